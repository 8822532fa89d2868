-- Dashboard sign-ins and the notices shown to a tenant's admins. Documented in
-- docs/dashboard.md. Sessions live in the database so that any cloud node behind a load
-- balancer serves any signed-in person.

-- One row per signed-in browser. The cookie carries a random token; only its SHA-256 is kept,
-- so a copy of this table signs nobody in.
CREATE TABLE web_session (
  token_sha256  bytea       PRIMARY KEY CHECK (length(token_sha256) = 32),
  tenant_id     bigint      NOT NULL REFERENCES tenant (id) ON DELETE CASCADE,
  user_id       bigint      NOT NULL REFERENCES app_user (id) ON DELETE CASCADE,
  -- Sent back with every form and htmx request; a request without it changes nothing.
  csrf_token    text        NOT NULL,
  created_at    timestamptz NOT NULL,
  last_seen_at  timestamptz NOT NULL,
  client        text
);
CREATE INDEX web_session_user ON web_session (user_id);

-- Facts a tenant's admins must see, such as a phone number revealed by another admin.
CREATE TABLE admin_notice (
  id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  tenant_id   bigint      NOT NULL REFERENCES tenant (id) ON DELETE CASCADE,
  at          timestamptz NOT NULL,
  kind        text        NOT NULL,
  message     text        NOT NULL
);
CREATE INDEX admin_notice_tenant ON admin_notice (tenant_id, at);
