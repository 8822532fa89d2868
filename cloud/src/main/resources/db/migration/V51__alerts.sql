-- Alerts: a PBX silent during business hours, an agent offline, buffer alarms reported by an
-- agent, a missed-call rate above a threshold. At most one open alert per tenant, kind and
-- subject; it stays open while its condition holds and is closed when it clears.
CREATE TABLE alert (
  id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  tenant_id     bigint      NOT NULL REFERENCES tenant (id) ON DELETE CASCADE,
  kind          text        NOT NULL
                  CHECK (kind IN ('pbx_silent', 'agent_offline', 'buffer_alarm', 'missed_rate')),
  -- What the alert is about: a PBX id, an agent host, or 'all calls'.
  subject       text        NOT NULL,
  code          text,
  message       text        NOT NULL,
  opened_at     timestamptz NOT NULL,
  last_seen_at  timestamptz NOT NULL,
  closed_at     timestamptz,
  emailed_at    timestamptz
);
CREATE UNIQUE INDEX alert_one_open ON alert (tenant_id, kind, subject) WHERE closed_at IS NULL;
CREATE INDEX alert_tenant ON alert (tenant_id, opened_at DESC);

-- Thresholds per tenant; a tenant without a row uses the defaults.
CREATE TABLE alert_settings (
  tenant_id                  bigint  PRIMARY KEY REFERENCES tenant (id) ON DELETE CASCADE,
  silence_minutes            integer NOT NULL DEFAULT 120 CHECK (silence_minutes > 0),
  agent_offline_minutes      integer NOT NULL DEFAULT 15 CHECK (agent_offline_minutes > 0),
  missed_rate_percent        integer NOT NULL DEFAULT 25
                               CHECK (missed_rate_percent BETWEEN 1 AND 100),
  missed_rate_window_minutes integer NOT NULL DEFAULT 60 CHECK (missed_rate_window_minutes > 0),
  missed_rate_min_calls      integer NOT NULL DEFAULT 10 CHECK (missed_rate_min_calls > 0)
);
