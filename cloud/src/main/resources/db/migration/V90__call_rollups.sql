-- Sums of the calls of each tenant per UTC quarter hour, so that the dashboard figures of a
-- long range read a few thousand rows instead of every call. Quarter hours do not depend on
-- the tenant's time zone: in every zone in use today, local midnights and whole hours fall on
-- one. Triggers on
-- `call` keep the sums in the same transaction as the rows they sum (the stitcher deletes and
-- rebuilds calls, retention deletes them), so a rollup never disagrees with `call`. Only
-- additive figures are kept here; analytics/Analytics reads them and adds the calls of the
-- range's partial quarter hours at query time.

-- Returns of a missed call are looked for at most this long after it (first_return_at below).
-- The settings page already offers 1 hour to 30 days.
ALTER TABLE tenant ADD CONSTRAINT tenant_callback_window_max
  CHECK (callback_window_seconds <= 2592000);

-- The start of the first return of a missed incoming call within 30 days: an outgoing call to
-- its number or an answered incoming call from it, started after it. Null for other calls and
-- for missed calls without such a return. Whatever the tenant's callback window (at most 30
-- days), the call is returned when first_return_at <= started_at + window.
ALTER TABLE call ADD COLUMN first_return_at timestamptz;

-- The missed-call figures, the missed-call list and the missed calls per extension scan only
-- the missed calls of a range, from this index.
CREATE INDEX call_missed ON call (tenant_id, started_at)
  INCLUDE (id, first_return_at, initial_target)
  WHERE direction = 'incoming' AND NOT answered;

-- The longest and costliest calls of a range: read in this order, the first rows in the range
-- are the answer, instead of sorting every call of the range.
CREATE INDEX call_longest ON call (tenant_id, talk_seconds DESC, started_at, id);
CREATE INDEX call_costliest ON call (tenant_id, cost DESC NULLS LAST, started_at, id);

-- The call log filtered on the last digits of the number: the digits reversed make a suffix a
-- prefix, which a byte-ordered ("C") index finds as a range.
CREATE INDEX call_number_suffix ON call (tenant_id, (reverse(number_last4) COLLATE "C"),
  started_at);

CREATE TABLE call_rollup (
  tenant_id              bigint      NOT NULL REFERENCES tenant (id) ON DELETE CASCADE,
  -- date_bin('15 minutes', started_at, '2000-01-01 00:00:00+00') of the calls summed here
  bucket_start           timestamptz NOT NULL,
  calls                  bigint      NOT NULL,
  tickets                bigint      NOT NULL,
  incoming               bigint      NOT NULL,
  answered_incoming      bigint      NOT NULL,
  missed                 bigint      NOT NULL,
  outgoing               bigint      NOT NULL,
  internal               bigint      NOT NULL,
  -- answered calls of every direction, and their talk time (for the average talk time)
  answered               bigint      NOT NULL,
  talk_seconds           bigint      NOT NULL,
  answered_talk_seconds  bigint      NOT NULL,
  -- answered incoming calls with a time to answer, and the sum of those times
  timed_answers          bigint      NOT NULL,
  time_to_answer_seconds bigint      NOT NULL,
  -- calls with a cost, and the sum of their costs (null when there is none, as sum() is)
  costed_calls           bigint      NOT NULL,
  cost                   numeric,
  PRIMARY KEY (tenant_id, bucket_start)
);

-- Answered incoming calls per quarter hour and exact time to answer: the distribution that
-- the p90 time to answer is read from.
CREATE TABLE call_rollup_answer (
  tenant_id              bigint      NOT NULL REFERENCES tenant (id) ON DELETE CASCADE,
  bucket_start           timestamptz NOT NULL,
  time_to_answer_seconds integer     NOT NULL,
  calls                  bigint      NOT NULL,
  PRIMARY KEY (tenant_id, bucket_start, time_to_answer_seconds)
);

-- Incoming calls that rang a hunt group first (initial_target G1, G2, ...), per group.
CREATE TABLE call_rollup_hunt_group (
  tenant_id              bigint      NOT NULL REFERENCES tenant (id) ON DELETE CASCADE,
  bucket_start           timestamptz NOT NULL,
  hunt_group             text        NOT NULL,
  calls                  bigint      NOT NULL,
  answered               bigint      NOT NULL,
  missed                 bigint      NOT NULL,
  timed_answers          bigint      NOT NULL,
  time_to_answer_seconds bigint      NOT NULL,
  talk_seconds           bigint      NOT NULL,
  PRIMARY KEY (tenant_id, bucket_start, hunt_group)
);

CREATE TABLE call_rollup_hunt_group_answer (
  tenant_id              bigint      NOT NULL REFERENCES tenant (id) ON DELETE CASCADE,
  bucket_start           timestamptz NOT NULL,
  hunt_group             text        NOT NULL,
  time_to_answer_seconds integer     NOT NULL,
  calls                  bigint      NOT NULL,
  PRIMARY KEY (tenant_id, bucket_start, hunt_group, time_to_answer_seconds)
);

-- Returns the statements that add $1 (1 or -1) times the sums of the calls in relation `calls`
-- (columns of `call`) to the sums of their quarter hours. The trigger runs them on its
-- transition table, which only the trigger function itself can read.
CREATE FUNCTION natalia_call_rollup_statements(calls text) RETURNS text[]
LANGUAGE plpgsql IMMUTABLE AS $$
DECLARE
  statements text[] := '{}';
BEGIN
  statements := statements || format($sql$
    INSERT INTO call_rollup AS r
    SELECT tenant_id, date_bin('15 minutes', started_at, timestamptz '2000-01-01 00:00:00+00'),
      $1 * count(*), $1 * sum(leg_count),
      $1 * count(*) FILTER (WHERE direction = 'incoming'),
      $1 * count(*) FILTER (WHERE direction = 'incoming' AND answered),
      $1 * count(*) FILTER (WHERE direction = 'incoming' AND NOT answered),
      $1 * count(*) FILTER (WHERE direction = 'outgoing'),
      $1 * count(*) FILTER (WHERE direction = 'internal'),
      $1 * count(*) FILTER (WHERE answered),
      $1 * sum(talk_seconds),
      $1 * coalesce(sum(talk_seconds) FILTER (WHERE answered), 0),
      $1 * count(time_to_answer_seconds) FILTER (WHERE direction = 'incoming' AND answered),
      $1 * coalesce(sum(time_to_answer_seconds)
        FILTER (WHERE direction = 'incoming' AND answered), 0),
      $1 * count(cost), $1 * sum(cost)
    FROM %1$I GROUP BY 1, 2 ORDER BY 1, 2
    ON CONFLICT (tenant_id, bucket_start) DO UPDATE SET
      calls = r.calls + excluded.calls,
      tickets = r.tickets + excluded.tickets,
      incoming = r.incoming + excluded.incoming,
      answered_incoming = r.answered_incoming + excluded.answered_incoming,
      missed = r.missed + excluded.missed,
      outgoing = r.outgoing + excluded.outgoing,
      internal = r.internal + excluded.internal,
      answered = r.answered + excluded.answered,
      talk_seconds = r.talk_seconds + excluded.talk_seconds,
      answered_talk_seconds = r.answered_talk_seconds + excluded.answered_talk_seconds,
      timed_answers = r.timed_answers + excluded.timed_answers,
      time_to_answer_seconds = r.time_to_answer_seconds + excluded.time_to_answer_seconds,
      costed_calls = r.costed_calls + excluded.costed_calls,
      cost = CASE WHEN r.costed_calls + excluded.costed_calls = 0 THEN NULL
                  ELSE coalesce(r.cost, 0) + coalesce(excluded.cost, 0) END
    $sql$, calls);

  statements := statements || format($sql$
    INSERT INTO call_rollup_answer AS r
    SELECT tenant_id, date_bin('15 minutes', started_at, timestamptz '2000-01-01 00:00:00+00'),
      time_to_answer_seconds, $1 * count(*)
    FROM %1$I
    WHERE direction = 'incoming' AND answered AND time_to_answer_seconds IS NOT NULL
    GROUP BY 1, 2, 3 ORDER BY 1, 2, 3
    ON CONFLICT (tenant_id, bucket_start, time_to_answer_seconds) DO UPDATE SET
      calls = r.calls + excluded.calls
    $sql$, calls);

  statements := statements || format($sql$
    INSERT INTO call_rollup_hunt_group AS r
    SELECT tenant_id, date_bin('15 minutes', started_at, timestamptz '2000-01-01 00:00:00+00'),
      initial_target, $1 * count(*), $1 * count(*) FILTER (WHERE answered),
      $1 * count(*) FILTER (WHERE NOT answered),
      $1 * count(time_to_answer_seconds) FILTER (WHERE answered),
      $1 * coalesce(sum(time_to_answer_seconds) FILTER (WHERE answered), 0),
      $1 * sum(talk_seconds)
    FROM %1$I
    WHERE direction = 'incoming' AND initial_target ~ '^G[0-9]+$'
    GROUP BY 1, 2, 3 ORDER BY 1, 2, 3
    ON CONFLICT (tenant_id, bucket_start, hunt_group) DO UPDATE SET
      calls = r.calls + excluded.calls,
      answered = r.answered + excluded.answered,
      missed = r.missed + excluded.missed,
      timed_answers = r.timed_answers + excluded.timed_answers,
      time_to_answer_seconds = r.time_to_answer_seconds + excluded.time_to_answer_seconds,
      talk_seconds = r.talk_seconds + excluded.talk_seconds
    $sql$, calls);

  statements := statements || format($sql$
    INSERT INTO call_rollup_hunt_group_answer AS r
    SELECT tenant_id, date_bin('15 minutes', started_at, timestamptz '2000-01-01 00:00:00+00'),
      initial_target, time_to_answer_seconds, $1 * count(*)
    FROM %1$I
    WHERE direction = 'incoming' AND initial_target ~ '^G[0-9]+$' AND answered
      AND time_to_answer_seconds IS NOT NULL
    GROUP BY 1, 2, 3, 4 ORDER BY 1, 2, 3, 4
    ON CONFLICT (tenant_id, bucket_start, hunt_group, time_to_answer_seconds) DO UPDATE SET
      calls = r.calls + excluded.calls
    $sql$, calls);

  RETURN statements;
END $$;

-- Returns the statement that lists the numbers of the calls in relation `calls` with the
-- span of their starts: the missed calls whose first return may have changed are those of
-- these numbers, from 30 days before the earliest.
CREATE FUNCTION natalia_call_touched_numbers_statement(calls text) RETURNS text
LANGUAGE sql IMMUTABLE AS $$
  SELECT format($sql$
    CREATE TEMPORARY TABLE natalia_touched_number ON COMMIT DROP AS
    SELECT tenant_id, number_pseudonym, min(started_at) AS lo, max(started_at) AS hi
    FROM %1$I
    WHERE number_pseudonym IS NOT NULL AND direction IN ('incoming', 'outgoing')
    GROUP BY 1, 2
    $sql$, calls)
$$;

-- Recomputes first_return_at of the missed calls of the numbers in natalia_touched_number (made
-- by the statement above), then drops it.
CREATE FUNCTION natalia_call_first_return_refresh() RETURNS void
LANGUAGE plpgsql AS $$
DECLARE
  missed record;
BEGIN
  -- LATERAL looks each number up by index, and each changed call is updated by its key: a
  -- join could scan every partition of `call` once per stitched batch.
  FOR missed IN
    SELECT m.tenant_id, m.started_at, m.id, f.first_return_at
    FROM natalia_touched_number t
    CROSS JOIN LATERAL (
      SELECT c.tenant_id, c.number_pseudonym, c.started_at, c.id, c.first_return_at
      FROM call c
      WHERE c.tenant_id = t.tenant_id AND c.number_pseudonym = t.number_pseudonym
        AND c.started_at >= t.lo - interval '720 hours' AND c.started_at <= t.hi
        AND c.direction = 'incoming' AND NOT c.answered
    ) m
    CROSS JOIN LATERAL (
      SELECT min(r.started_at) AS first_return_at FROM call r
      WHERE r.tenant_id = m.tenant_id AND r.number_pseudonym = m.number_pseudonym
        AND r.started_at > m.started_at
        AND r.started_at <= m.started_at + interval '720 hours'
        AND (r.direction = 'outgoing' OR (r.direction = 'incoming' AND r.answered))
    ) f
    WHERE f.first_return_at IS DISTINCT FROM m.first_return_at
  LOOP
    UPDATE call SET first_return_at = missed.first_return_at
    WHERE tenant_id = missed.tenant_id AND started_at = missed.started_at AND id = missed.id;
  END LOOP;
  DROP TABLE natalia_touched_number;
END $$;

-- Statement trigger of `call`: adds inserted calls to the sums, subtracts deleted ones, and
-- recomputes the first returns of the missed calls of their numbers.
CREATE FUNCTION natalia_call_rollup_apply() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  changed text := CASE TG_OP WHEN 'INSERT' THEN 'new_calls' ELSE 'old_calls' END;
  sign integer := CASE TG_OP WHEN 'INSERT' THEN 1 ELSE -1 END;
  statement text;
  pruned record;
BEGIN
  FOREACH statement IN ARRAY natalia_call_rollup_statements(changed) LOOP
    EXECUTE statement USING sign;
  END LOOP;
  IF sign < 0 THEN
    -- Sums that fell to no call go, looked up by key: the transition table has no statistics
    -- for the planner to join it well.
    FOR pruned IN
      SELECT tenant_id, array_agg(DISTINCT date_bin('15 minutes', started_at,
        timestamptz '2000-01-01 00:00:00+00')) AS buckets
      FROM old_calls GROUP BY tenant_id
    LOOP
      DELETE FROM call_rollup WHERE tenant_id = pruned.tenant_id
        AND bucket_start = ANY (pruned.buckets) AND calls = 0;
      DELETE FROM call_rollup_answer WHERE tenant_id = pruned.tenant_id
        AND bucket_start = ANY (pruned.buckets) AND calls = 0;
      DELETE FROM call_rollup_hunt_group WHERE tenant_id = pruned.tenant_id
        AND bucket_start = ANY (pruned.buckets) AND calls = 0;
      DELETE FROM call_rollup_hunt_group_answer WHERE tenant_id = pruned.tenant_id
        AND bucket_start = ANY (pruned.buckets) AND calls = 0;
    END LOOP;
  END IF;
  EXECUTE natalia_call_touched_numbers_statement(changed);
  PERFORM natalia_call_first_return_refresh();
  RETURN NULL;
END $$;

CREATE FUNCTION natalia_call_rollup_clear() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  DELETE FROM call_rollup;
  DELETE FROM call_rollup_answer;
  DELETE FROM call_rollup_hunt_group;
  DELETE FROM call_rollup_hunt_group_answer;
  RETURN NULL;
END $$;

-- Deletes the sums of every tenant's calls before an instant, for a dropped month partition
-- (dropping a partition fires no trigger).
CREATE FUNCTION natalia_call_rollup_forget(before timestamptz) RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
  DELETE FROM call_rollup WHERE bucket_start < before;
  DELETE FROM call_rollup_answer WHERE bucket_start < before;
  DELETE FROM call_rollup_hunt_group WHERE bucket_start < before;
  DELETE FROM call_rollup_hunt_group_answer WHERE bucket_start < before;
  DELETE FROM call_record_rollup WHERE bucket_start < before;
END $$;

-- The sums only follow inserts and deletes: a changed figure must be a deleted and inserted
-- call, as the stitcher does.
CREATE FUNCTION natalia_call_reject_update() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'call rows are deleted and inserted, never updated, so that call_rollup'
    ' stays true (only first_return_at may be updated)';
END $$;

-- Recomputes a tenant's sums and first returns from its calls: the back-fill below, and the
-- way to load calls in bulk (with the triggers of `call` disabled, then this once).
CREATE FUNCTION natalia_call_rollup_rebuild(rebuilt_tenant bigint) RETURNS void
LANGUAGE plpgsql AS $$
DECLARE
  statement text;
BEGIN
  DELETE FROM call_rollup WHERE tenant_id = rebuilt_tenant;
  DELETE FROM call_rollup_answer WHERE tenant_id = rebuilt_tenant;
  DELETE FROM call_rollup_hunt_group WHERE tenant_id = rebuilt_tenant;
  DELETE FROM call_rollup_hunt_group_answer WHERE tenant_id = rebuilt_tenant;
  EXECUTE format('CREATE TEMPORARY VIEW natalia_rebuilt_call AS'
    ' SELECT * FROM call WHERE tenant_id = %s', rebuilt_tenant);
  FOREACH statement IN ARRAY natalia_call_rollup_statements('natalia_rebuilt_call') LOOP
    EXECUTE statement USING 1;
  END LOOP;
  DROP VIEW natalia_rebuilt_call;

  UPDATE call m SET first_return_at = (
    SELECT min(r.started_at) FROM call r
    WHERE r.tenant_id = m.tenant_id AND r.number_pseudonym = m.number_pseudonym
      AND r.started_at > m.started_at AND r.started_at <= m.started_at + interval '720 hours'
      AND (r.direction = 'outgoing' OR (r.direction = 'incoming' AND r.answered)))
  WHERE m.tenant_id = rebuilt_tenant AND m.direction = 'incoming' AND NOT m.answered;
END $$;

SELECT natalia_call_rollup_rebuild(id) FROM tenant;

-- Tickets per UTC day, extension, business code and destination type: the per-extension table
-- and the costs. The bucket is a day because an extension has few tickets a quarter hour. The
-- partial days at both ends of a range are read from the tickets.
CREATE TABLE call_record_rollup (
  tenant_id             bigint      NOT NULL REFERENCES tenant (id) ON DELETE CASCADE,
  -- date_bin('1 day', started_at, '2000-01-01 00:00:00+00') of the tickets summed here
  bucket_start          timestamptz NOT NULL,
  extension             text,
  business_code         text,
  destination_type      text,
  tickets               bigint      NOT NULL,
  units                 bigint      NOT NULL,
  costed_tickets        bigint      NOT NULL,
  cost                  numeric,
  -- incoming tickets answered, and their ring time (the extension's time to answer)
  answered              bigint      NOT NULL,
  answered_ring_seconds bigint      NOT NULL,
  outgoing              bigint      NOT NULL,
  internal              bigint      NOT NULL,
  talk_seconds          bigint      NOT NULL,
  -- the name of the latest ticket that has one, and its start
  extension_name        text,
  extension_name_at     timestamptz,
  UNIQUE NULLS NOT DISTINCT (tenant_id, bucket_start, extension, business_code,
    destination_type)
);

-- Returns the statement that adds $1 (1 or -1) times the sums of the tickets in relation
-- `tickets` (columns of `call_record`) to the sums of their days.
CREATE FUNCTION natalia_call_record_rollup_statement(tickets text) RETURNS text
LANGUAGE sql IMMUTABLE AS $$
  SELECT format($sql$
    INSERT INTO call_record_rollup AS r
    SELECT tenant_id, date_bin('1 day', started_at, timestamptz '2000-01-01 00:00:00+00'),
      extension, business_code, destination_type,
      $1 * count(*), $1 * coalesce(sum(units), 0), $1 * count(cost), $1 * sum(cost),
      $1 * count(*) FILTER (WHERE direction = 'incoming' AND answered),
      $1 * coalesce(sum(ring_seconds) FILTER (WHERE direction = 'incoming' AND answered), 0),
      $1 * count(*) FILTER (WHERE direction = 'outgoing'),
      $1 * count(*) FILTER (WHERE direction = 'internal'),
      $1 * sum(talk_seconds),
      (array_agg(extension_name ORDER BY started_at DESC)
        FILTER (WHERE extension_name IS NOT NULL))[1],
      max(started_at) FILTER (WHERE extension_name IS NOT NULL)
    FROM %1$I GROUP BY 1, 2, 3, 4, 5 ORDER BY 1, 2, 3, 4, 5
    ON CONFLICT (tenant_id, bucket_start, extension, business_code, destination_type)
    DO UPDATE SET
      tickets = r.tickets + excluded.tickets,
      units = r.units + excluded.units,
      costed_tickets = r.costed_tickets + excluded.costed_tickets,
      cost = CASE WHEN r.costed_tickets + excluded.costed_tickets = 0 THEN NULL
                  ELSE coalesce(r.cost, 0) + coalesce(excluded.cost, 0) END,
      answered = r.answered + excluded.answered,
      answered_ring_seconds = r.answered_ring_seconds + excluded.answered_ring_seconds,
      outgoing = r.outgoing + excluded.outgoing,
      internal = r.internal + excluded.internal,
      talk_seconds = r.talk_seconds + excluded.talk_seconds,
      extension_name = CASE WHEN $1 > 0 AND excluded.extension_name_at
                               > coalesce(r.extension_name_at, '-infinity')
                            THEN excluded.extension_name ELSE r.extension_name END,
      extension_name_at = CASE WHEN $1 > 0 AND excluded.extension_name_at
                                  > coalesce(r.extension_name_at, '-infinity')
                               THEN excluded.extension_name_at ELSE r.extension_name_at END
    $sql$, tickets)
$$;


-- Returns the statement that, after a subtraction of the tickets in relation `tickets`, deletes
-- the sums that fell to no ticket and looks up the latest extension name of the others again.
CREATE FUNCTION natalia_call_record_rollup_prune_statement(tickets text) RETURNS text
LANGUAGE sql IMMUTABLE AS $$
  SELECT format($sql$
      WITH changed AS (
        SELECT DISTINCT tenant_id,
          date_bin('1 day', started_at, timestamptz '2000-01-01 00:00:00+00') AS bucket_start,
          extension, business_code, destination_type
        FROM %1$I
      ), emptied AS (
        DELETE FROM call_record_rollup r USING changed c
        WHERE r.tenant_id = c.tenant_id AND r.bucket_start = c.bucket_start
          AND r.extension IS NOT DISTINCT FROM c.extension
          AND r.business_code IS NOT DISTINCT FROM c.business_code
          AND r.destination_type IS NOT DISTINCT FROM c.destination_type AND r.tickets = 0
      )
      UPDATE call_record_rollup r SET (extension_name, extension_name_at) = (
        SELECT t.extension_name, t.started_at FROM call_record t
        WHERE t.tenant_id = r.tenant_id AND t.started_at >= r.bucket_start
          AND t.started_at < r.bucket_start + interval '24 hours'
          AND t.extension IS NOT DISTINCT FROM r.extension
          AND t.business_code IS NOT DISTINCT FROM r.business_code
          AND t.destination_type IS NOT DISTINCT FROM r.destination_type
          AND t.extension_name IS NOT NULL
        ORDER BY t.started_at DESC LIMIT 1)
      FROM changed c
      WHERE r.tenant_id = c.tenant_id AND r.bucket_start = c.bucket_start
        AND r.extension IS NOT DISTINCT FROM c.extension
        AND r.business_code IS NOT DISTINCT FROM c.business_code
        AND r.destination_type IS NOT DISTINCT FROM c.destination_type AND r.tickets > 0
      $sql$, tickets)
$$;

CREATE FUNCTION natalia_call_record_rollup_apply() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  changed text := CASE TG_OP WHEN 'INSERT' THEN 'new_tickets' ELSE 'old_tickets' END;
BEGIN
  EXECUTE natalia_call_record_rollup_statement(changed)
    USING CASE TG_OP WHEN 'INSERT' THEN 1 ELSE -1 END;
  IF TG_OP = 'DELETE' THEN
    EXECUTE natalia_call_record_rollup_prune_statement(changed);
  END IF;
  RETURN NULL;
END $$;

CREATE FUNCTION natalia_call_record_rollup_clear() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  DELETE FROM call_record_rollup;
  RETURN NULL;
END $$;

CREATE FUNCTION natalia_call_record_reject_update() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'call_record rows are never updated, so that call_record_rollup stays true';
END $$;

-- Recomputes a tenant's ticket sums from its tickets (see natalia_call_rollup_rebuild).
CREATE FUNCTION natalia_call_record_rollup_rebuild(rebuilt_tenant bigint) RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
  DELETE FROM call_record_rollup WHERE tenant_id = rebuilt_tenant;
  EXECUTE format('CREATE TEMPORARY VIEW natalia_rebuilt_ticket AS'
    ' SELECT * FROM call_record WHERE tenant_id = %s', rebuilt_tenant);
  EXECUTE natalia_call_record_rollup_statement('natalia_rebuilt_ticket') USING 1;
  DROP VIEW natalia_rebuilt_ticket;
END $$;

SELECT natalia_call_record_rollup_rebuild(id) FROM tenant;

CREATE TRIGGER call_record_rollup_insert AFTER INSERT ON call_record
  REFERENCING NEW TABLE AS new_tickets
  FOR EACH STATEMENT EXECUTE FUNCTION natalia_call_record_rollup_apply();
CREATE TRIGGER call_record_rollup_delete AFTER DELETE ON call_record
  REFERENCING OLD TABLE AS old_tickets
  FOR EACH STATEMENT EXECUTE FUNCTION natalia_call_record_rollup_apply();
CREATE TRIGGER call_record_rollup_truncate AFTER TRUNCATE ON call_record
  FOR EACH STATEMENT EXECUTE FUNCTION natalia_call_record_rollup_clear();
CREATE TRIGGER call_record_reject_update BEFORE UPDATE OF tenant_id, started_at, direction,
  extension, extension_name, answered, ring_seconds, talk_seconds, units, cost, business_code,
  destination_type
  ON call_record FOR EACH STATEMENT EXECUTE FUNCTION natalia_call_record_reject_update();

CREATE TRIGGER call_rollup_insert AFTER INSERT ON call
  REFERENCING NEW TABLE AS new_calls
  FOR EACH STATEMENT EXECUTE FUNCTION natalia_call_rollup_apply();
CREATE TRIGGER call_rollup_delete AFTER DELETE ON call
  REFERENCING OLD TABLE AS old_calls
  FOR EACH STATEMENT EXECUTE FUNCTION natalia_call_rollup_apply();
CREATE TRIGGER call_rollup_truncate AFTER TRUNCATE ON call
  FOR EACH STATEMENT EXECUTE FUNCTION natalia_call_rollup_clear();
CREATE TRIGGER call_reject_update BEFORE UPDATE OF tenant_id, id, direction, started_at,
  ended_at, answered, time_to_answer_seconds, talk_seconds, cost, number_pseudonym, leg_count,
  initial_target
  ON call FOR EACH STATEMENT EXECUTE FUNCTION natalia_call_reject_update();
