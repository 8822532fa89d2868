-- Natalia cloud schema, version 1. Documented in docs/architecture.md, section Storage.
-- Every table that holds customer data carries tenant_id; every query filters on it.

-- Tenants -------------------------------------------------------------------------------------

CREATE TABLE tenant (
  id                      bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  name                    text        NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
  time_zone               text        NOT NULL DEFAULT 'UTC',
  currency                char(3)     NOT NULL DEFAULT 'EUR' CHECK (currency ~ '^[A-Z]{3}$'),
  -- Weekly opening hours in the tenant's time zone, e.g.
  -- {"mon": [["08:00", "12:00"], ["14:00", "18:00"]], ..., "sun": []}.
  business_hours          jsonb       NOT NULL DEFAULT
    '{"mon": [["08:00", "18:00"]], "tue": [["08:00", "18:00"]], "wed": [["08:00", "18:00"]],
      "thu": [["08:00", "18:00"]], "fri": [["08:00", "18:00"]], "sat": [], "sun": []}',
  retention_days          integer     NOT NULL DEFAULT 730 CHECK (retention_days BETWEEN 1 AND 36500),
  callback_window_seconds integer     NOT NULL DEFAULT 86400 CHECK (callback_window_seconds > 0),
  -- 32 random bytes, AES-GCM encrypted under the master key (12-byte nonce || ciphertext || tag).
  -- The pseudonym HMAC key and the number encryption key are derived from it.
  secret_cipher           bytea       NOT NULL,
  created_at              timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT tenant_name_unique UNIQUE (name)
);

-- People and permissions ---------------------------------------------------------------------

CREATE TABLE role_permission (
  role       text NOT NULL CHECK (role IN ('VIEWER', 'ANALYST', 'ADMIN', 'AUDITOR')),
  permission text NOT NULL,
  PRIMARY KEY (role, permission)
);

INSERT INTO role_permission (role, permission) VALUES
  ('VIEWER', 'cdr.read'),
  ('ANALYST', 'cdr.read'), ('ANALYST', 'cdr.export'),
  ('ADMIN', 'cdr.read'), ('ADMIN', 'cdr.export'), ('ADMIN', 'cdr.reveal_phone'),
  ('ADMIN', 'api_key.manage'), ('ADMIN', 'user.manage'), ('ADMIN', 'tenant.manage'),
  ('ADMIN', 'audit.read'),
  ('AUDITOR', 'cdr.read'), ('AUDITOR', 'audit.read');

CREATE TABLE app_user (
  id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  tenant_id       bigint      NOT NULL REFERENCES tenant (id) ON DELETE CASCADE,
  email           text        NOT NULL CHECK (email = lower(email) AND email LIKE '%_@_%'),
  display_name    text,
  role            text        NOT NULL CHECK (role IN ('VIEWER', 'ANALYST', 'ADMIN', 'AUDITOR')),
  -- PHC string: $argon2id$v=19$m=...,t=...,p=...$salt$hash
  password_hash   text        NOT NULL CHECK (password_hash LIKE '$argon2id$%'),
  disabled        boolean     NOT NULL DEFAULT false,
  failed_logins   integer     NOT NULL DEFAULT 0,
  locked_until    timestamptz,
  last_login_at   timestamptz,
  created_at      timestamptz NOT NULL DEFAULT now(),
  -- One login name across the service, so that logging in needs no tenant name.
  CONSTRAINT app_user_email_unique UNIQUE (email)
);
CREATE INDEX app_user_tenant ON app_user (tenant_id);

-- API keys: agent keys (POST /ingest/cdr) and API tokens (/api/v1/). The secret is shown once;
-- only its SHA-256 is kept (the secret is 256 random bits, so a slow hash adds nothing).
-- The key as given out is "<prefix>.<secret>"; the prefix finds the row.
CREATE TABLE api_key (
  id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  tenant_id     bigint      NOT NULL REFERENCES tenant (id) ON DELETE CASCADE,
  kind          text        NOT NULL CHECK (kind IN ('AGENT', 'API_TOKEN')),
  prefix        text        NOT NULL,
  secret_sha256 bytea       NOT NULL CHECK (length(secret_sha256) = 32),
  name          text        NOT NULL,
  -- API tokens act with the permissions of this role; agent keys only ingest.
  role          text        CHECK (role IN ('VIEWER', 'ANALYST', 'ADMIN', 'AUDITOR')),
  created_by    bigint      REFERENCES app_user (id) ON DELETE SET NULL,
  created_at    timestamptz NOT NULL DEFAULT now(),
  expires_at    timestamptz,
  revoked_at    timestamptz,
  last_used_at  timestamptz,
  CONSTRAINT api_key_prefix_unique UNIQUE (prefix),
  CONSTRAINT api_key_role_for_tokens CHECK ((kind = 'API_TOKEN') = (role IS NOT NULL))
);
CREATE INDEX api_key_tenant ON api_key (tenant_id);

-- Agents and PBXs ----------------------------------------------------------------------------

-- One agent per agent key; created on its first ingest.
CREATE TABLE agent (
  id             bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  tenant_id      bigint      NOT NULL REFERENCES tenant (id) ON DELETE CASCADE,
  api_key_id     bigint      NOT NULL REFERENCES api_key (id) ON DELETE CASCADE,
  host           text,
  version        text,
  -- The "agent" object of the last ingest body as reported (buffer use, error code, ...).
  health         jsonb       NOT NULL DEFAULT '{}',
  first_seen_at  timestamptz NOT NULL DEFAULT now(),
  last_seen_at   timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT agent_key_unique UNIQUE (api_key_id)
);
CREATE INDEX agent_tenant ON agent (tenant_id);

CREATE TABLE pbx (
  tenant_id       bigint      NOT NULL REFERENCES tenant (id) ON DELETE CASCADE,
  pbx_id          text        NOT NULL,
  type            text,
  time_zone       text,
  agent_id        bigint      REFERENCES agent (id) ON DELETE SET NULL,
  first_seen_at   timestamptz NOT NULL DEFAULT now(),
  last_seen_at    timestamptz NOT NULL DEFAULT now(),
  -- Start time of the newest record received from this PBX.
  last_record_at  timestamptz,
  PRIMARY KEY (tenant_id, pbx_id)
);

-- Call records -------------------------------------------------------------------------------

-- The arbiter of "one record per (tenant, id)": call_record is partitioned by month, and a
-- unique index on a partitioned table must contain the partition key, so uniqueness of the id
-- alone lives here. Ingest inserts here first (ON CONFLICT DO NOTHING) and stores in
-- call_record only the ids that were new.
CREATE TABLE call_record_key (
  tenant_id  bigint      NOT NULL,
  id         text        NOT NULL,
  started_at timestamptz NOT NULL,
  PRIMARY KEY (tenant_id, id)
);

-- One row per PBX ticket (leg). Phone numbers never appear in clear: number_pseudonym is
-- HMAC-SHA-256 under the tenant's key (hex, 32 characters), number_last4 the last four digits,
-- number_cipher the full number AES-GCM encrypted for an audited reveal. raw is the PBX's JSON
-- with every number field replaced by the pseudonym.
CREATE TABLE call_record (
  tenant_id        bigint        NOT NULL,
  id               text          NOT NULL,
  pbx_id           text          NOT NULL,
  ticket_id        bigint,
  direction        text          NOT NULL CHECK (direction IN ('incoming', 'outgoing', 'internal')),
  started_at       timestamptz   NOT NULL,
  ended_at         timestamptz   NOT NULL,
  ring_seconds     integer       NOT NULL CHECK (ring_seconds BETWEEN 0 AND 86400),
  talk_seconds     integer       NOT NULL CHECK (talk_seconds BETWEEN 0 AND 86400),
  answered         boolean       NOT NULL,
  extension        text,
  extension_name   text,
  initial_target   text,
  trunk            text,
  number_pseudonym text,
  number_last4     text,
  number_cipher    bytea,
  units            integer,
  cost             numeric(14, 4),
  business_code    text,
  raw              jsonb,
  received_at      timestamptz   NOT NULL DEFAULT now(),
  batch_id         bigint        NOT NULL,
  PRIMARY KEY (tenant_id, started_at, id)
) PARTITION BY RANGE (started_at);
-- Stitching and callback matching look legs up by number.
CREATE INDEX call_record_number ON call_record (tenant_id, number_pseudonym, started_at);

-- One row per ingest request that stored at least one record; the stitcher works through the
-- rows not yet stitched.
CREATE TABLE ingest_batch (
  id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  tenant_id    bigint      NOT NULL REFERENCES tenant (id) ON DELETE CASCADE,
  agent_id     bigint      REFERENCES agent (id) ON DELETE SET NULL,
  received_at  timestamptz NOT NULL DEFAULT now(),
  record_count integer     NOT NULL,
  min_started  timestamptz NOT NULL,
  max_started  timestamptz NOT NULL,
  stitched_at  timestamptz
);
CREATE INDEX ingest_batch_pending ON ingest_batch (id) WHERE stitched_at IS NULL;

-- Stitched calls: one row per conversation, its legs (call_record rows) linked by leg_ids in
-- start order. The id is the id of the first leg. Rebuilt whenever a leg of the same trunk and
-- number arrives within the stitching tolerance, whatever the order of arrival.
CREATE TABLE call (
  tenant_id           bigint         NOT NULL,
  id                  text           NOT NULL,
  pbx_id              text           NOT NULL,
  direction           text           NOT NULL
                        CHECK (direction IN ('incoming', 'outgoing', 'internal')),
  started_at          timestamptz    NOT NULL,
  ended_at            timestamptz    NOT NULL,
  answered            boolean        NOT NULL,
  -- Ring time of the legs up to and including the first answered one; null when missed.
  time_to_answer_seconds integer,
  -- Ring time summed over all legs.
  ring_seconds        integer        NOT NULL,
  talk_seconds        integer        NOT NULL,
  cost                numeric(14, 4),
  number_pseudonym    text,
  number_last4        text,
  trunk               text,
  initial_target      text,
  answering_extension text,
  leg_count           integer        NOT NULL CHECK (leg_count >= 1),
  leg_ids             text[]         NOT NULL,
  stitched_at         timestamptz    NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, started_at, id)
) PARTITION BY RANGE (started_at);
CREATE INDEX call_number ON call (tenant_id, number_pseudonym, started_at);

-- Records refused at ingest, kept for the operator with the reason. Number fields of the
-- payload are masked like those of stored records.
CREATE TABLE quarantine (
  id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  tenant_id     bigint      NOT NULL REFERENCES tenant (id) ON DELETE CASCADE,
  agent_id      bigint      REFERENCES agent (id) ON DELETE SET NULL,
  received_at   timestamptz NOT NULL DEFAULT now(),
  record_index  integer     NOT NULL,
  code          text        NOT NULL,
  reason        text        NOT NULL,
  payload       jsonb
);
CREATE INDEX quarantine_tenant ON quarantine (tenant_id, received_at);

-- Audit log ----------------------------------------------------------------------------------

-- Append-only and tamper-evident: each entry carries hash = SHA-256(prev_hash || UTF-8 of
-- audit_entry_text(entry)), chained per tenant (tenant_id null: the service's own chain); the
-- first entry of a chain has 32 zero bytes as prev_hash.
CREATE TABLE audit_log (
  id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  tenant_id  bigint      REFERENCES tenant (id),
  at         timestamptz NOT NULL,
  actor      text        NOT NULL,
  action     text        NOT NULL,
  target     text,
  details    jsonb       NOT NULL DEFAULT '{}',
  prev_hash  bytea       NOT NULL CHECK (length(prev_hash) = 32),
  hash       bytea       NOT NULL CHECK (length(hash) = 32),
  CONSTRAINT audit_log_hash_unique UNIQUE (hash)
);
CREATE INDEX audit_log_tenant ON audit_log (tenant_id, id);

-- The canonical text of an entry that its hash covers: a JSON array, as jsonb prints it.
CREATE FUNCTION audit_entry_text(
    tenant_id bigint, at timestamptz, actor text, action text, target text, details jsonb)
RETURNS text LANGUAGE sql IMMUTABLE AS $$
  SELECT jsonb_build_array(
    tenant_id, to_char(at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'),
    actor, action, target, details)::text
$$;

CREATE FUNCTION audit_log_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'audit_log is append-only: % refused', TG_OP;
END $$;

CREATE TRIGGER audit_log_append_only BEFORE UPDATE OR DELETE ON audit_log
  FOR EACH ROW EXECUTE FUNCTION audit_log_refuse_change();
CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log
  FOR EACH STATEMENT EXECUTE FUNCTION audit_log_refuse_change();

-- Monthly partitions -------------------------------------------------------------------------

-- Creates the partition of a month (UTC) of a table partitioned by started_at, when missing:
-- natalia_ensure_month_partition('call_record', DATE '2026-05-01') -> call_record_p2026_05.
CREATE FUNCTION natalia_ensure_month_partition(parent text, month date) RETURNS text
LANGUAGE plpgsql AS $$
DECLARE
  first_day date := date_trunc('month', month)::date;
  child text := parent || '_p' || to_char(first_day, 'YYYY_MM');
BEGIN
  IF to_regclass(child) IS NULL THEN
    BEGIN
      EXECUTE format(
        'CREATE TABLE %I PARTITION OF %I FOR VALUES FROM (%L) TO (%L)',
        child, parent,
        (first_day::timestamp AT TIME ZONE 'UTC'),
        ((first_day + interval '1 month')::timestamp AT TIME ZONE 'UTC'));
    EXCEPTION WHEN duplicate_table OR unique_violation THEN
      -- Another session created it first (a race on the catalog reports unique_violation).
      NULL;
    END;
  END IF;
  RETURN child;
END $$;
