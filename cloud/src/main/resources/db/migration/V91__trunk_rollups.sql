-- What the trunk table needs of each trunk and UTC quarter hour, so that a range of weeks
-- reads a few thousand rows instead of sweeping every call in it (analytics/TrunkLevels).
--
-- The use figures (calls, incoming, outgoing, talk time, cost) are those of the calls that
-- started in the quarter hour. The peak concurrency of a range is not a sum. So each quarter
-- hour keeps what a sweep over its own events gives, counted from zero at its start: the net
-- change in calls in progress (starts minus ends), and the highest count reached right after
-- a start, with its first instant. A reader that knows how many calls were in progress at the
-- start of the range adds the changes of the quarter hours in order. The peak of a quarter
-- hour is then that running count plus its own highest count. Events are ordered as the sweep
-- at query time orders them: by instant, and at one instant ends before starts. So a call
-- ending when another starts does not overlap it ([start, end)). A call that ends when it
-- starts is never in progress: it has a start (d = 0) for the use figures and no end.
--
-- A call touches the quarter hour of its start and the quarter hour of its end, whatever its
-- length. Triggers on `call` recompute those quarter hours from the calls in the same
-- transaction, so the rows never disagree with `call`.
CREATE TABLE trunk_rollup (
  tenant_id     bigint      NOT NULL REFERENCES tenant (id) ON DELETE CASCADE,
  trunk         text        NOT NULL,
  -- date_bin('15 minutes', instant, '2000-01-01 00:00:00+00') of the events summed here
  bucket_start  timestamptz NOT NULL,
  calls         bigint      NOT NULL,
  incoming      bigint      NOT NULL,
  outgoing      bigint      NOT NULL,
  talk_seconds  bigint      NOT NULL,
  -- null when no call that started here has a cost, as sum() is
  cost          numeric,
  -- starts minus ends in the quarter hour
  level_change  integer     NOT NULL,
  -- The highest count right after a start, from zero at the quarter hour's start, and the
  -- first instant it was reached. Null when no call started here, or each ended as it started.
  level_peak    integer,
  level_peak_at timestamptz,
  -- A range is read across every trunk at once, so the time comes before the trunk.
  PRIMARY KEY (tenant_id, bucket_start, trunk)
);

-- The ends of the calls of a quarter hour, for the recomputation, and the ends at both edges
-- of a range.
CREATE INDEX call_trunk_end ON call (tenant_id, ended_at) INCLUDE (trunk)
  WHERE trunk IS NOT NULL;

-- The calls in progress at an instant (at the start of a range): a range index finds them
-- however long ago they started, where a key on the start would read every earlier call.
-- greatest() keeps the range valid should a call ever end before it starts.
CREATE INDEX call_trunk_span ON call
  USING gist (tstzrange(started_at, greatest(started_at, ended_at), '[]'))
  WHERE trunk IS NOT NULL;

-- Returns the statement that inserts the rows of the quarter hours of the events in relation
-- `events` (tenant_id, trunk, t, d, direction, talk_seconds, cost): d is 1 for a start, with
-- the call's figures (0 for a call that ends when it starts), and -1 for an end. The relation
-- must hold every event of each quarter hour it touches.
CREATE FUNCTION natalia_trunk_rollup_statement(events text) RETURNS text
LANGUAGE sql IMMUTABLE AS $$
  SELECT format($sql$
    INSERT INTO trunk_rollup
    SELECT tenant_id, trunk, bucket_start,
      count(*) FILTER (WHERE d >= 0),
      count(*) FILTER (WHERE d >= 0 AND direction = 'incoming'),
      count(*) FILTER (WHERE d >= 0 AND direction = 'outgoing'),
      coalesce(sum(talk_seconds), 0), sum(cost), sum(d),
      max(level) FILTER (WHERE d = 1),
      (array_agg(t ORDER BY level DESC, t) FILTER (WHERE d = 1))[1]
    FROM (
      SELECT e.*, sum(e.d) OVER (PARTITION BY e.tenant_id, e.trunk, e.bucket_start
        ORDER BY e.t, e.d ROWS UNBOUNDED PRECEDING) AS level
      FROM (
        SELECT ev.*,
          date_bin('15 minutes', ev.t, timestamptz '2000-01-01 00:00:00+00') AS bucket_start
        FROM (%1$s) ev
      ) e
    ) levels
    GROUP BY tenant_id, trunk, bucket_start
    $sql$, events)
$$;

-- Returns the query of the quarter hours that the calls in relation `calls` touch: those of
-- their starts and of their ends.
CREATE FUNCTION natalia_trunk_touched_query(calls text) RETURNS text
LANGUAGE sql IMMUTABLE AS $$
  SELECT format($sql$
    SELECT DISTINCT c.tenant_id, c.trunk,
      date_bin('15 minutes', e.at, timestamptz '2000-01-01 00:00:00+00') AS bucket_start
    FROM %1$I c CROSS JOIN LATERAL (VALUES (c.started_at), (c.ended_at)) e (at)
    WHERE c.trunk IS NOT NULL
    $sql$, calls)
$$;

-- Statement trigger of `call`: recomputes the quarter hours the inserted or deleted calls
-- touch, from the calls as they now are.
CREATE FUNCTION natalia_trunk_rollup_apply() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  touched text := natalia_trunk_touched_query(
    CASE TG_OP WHEN 'INSERT' THEN 'new_calls' ELSE 'old_calls' END);
BEGIN
  EXECUTE format($sql$
    DELETE FROM trunk_rollup r USING (%1$s) k
    WHERE r.tenant_id = k.tenant_id AND r.trunk = k.trunk AND r.bucket_start = k.bucket_start
    $sql$, touched);
  EXECUTE natalia_trunk_rollup_statement(format($sql$
    WITH k AS (%1$s)
    SELECT c.tenant_id, c.trunk, c.started_at AS t, (c.ended_at > c.started_at)::int AS d,
      c.direction, c.talk_seconds, c.cost
    FROM k JOIN call c ON c.tenant_id = k.tenant_id AND c.trunk IS NOT NULL
      AND c.trunk = k.trunk AND c.started_at >= k.bucket_start
      AND c.started_at < k.bucket_start + interval '15 minutes'
    UNION ALL
    SELECT c.tenant_id, c.trunk, c.ended_at, -1, NULL, NULL, NULL
    FROM k JOIN call c ON c.tenant_id = k.tenant_id AND c.trunk IS NOT NULL
      AND c.trunk = k.trunk AND c.ended_at >= k.bucket_start
      AND c.ended_at < k.bucket_start + interval '15 minutes' AND c.ended_at > c.started_at
    $sql$, touched));
  RETURN NULL;
END $$;

CREATE FUNCTION natalia_trunk_rollup_clear() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  DELETE FROM trunk_rollup;
  RETURN NULL;
END $$;

-- Recomputes a tenant's rows from its calls: the back-fill below, and the way to load calls
-- in bulk (with the triggers of `call` disabled, then this once).
CREATE FUNCTION natalia_trunk_rollup_rebuild(rebuilt_tenant bigint) RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
  DELETE FROM trunk_rollup WHERE tenant_id = rebuilt_tenant;
  EXECUTE natalia_trunk_rollup_statement(format($sql$
    SELECT tenant_id, trunk, started_at AS t, (ended_at > started_at)::int AS d, direction,
      talk_seconds, cost
    FROM call WHERE tenant_id = %1$s AND trunk IS NOT NULL
    UNION ALL
    SELECT tenant_id, trunk, ended_at, -1, NULL, NULL, NULL
    FROM call WHERE tenant_id = %1$s AND trunk IS NOT NULL AND ended_at > started_at
    $sql$, rebuilt_tenant));
END $$;

SELECT natalia_trunk_rollup_rebuild(id) FROM tenant;

-- Deletes the rows before an instant, for a dropped month partition. Retention first deletes,
-- row by row, the calls of that month still in progress at the instant, so that no later
-- quarter hour keeps the end of a call that is gone.
CREATE OR REPLACE FUNCTION natalia_call_rollup_forget(before timestamptz) RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
  DELETE FROM call_rollup WHERE bucket_start < before;
  DELETE FROM call_rollup_answer WHERE bucket_start < before;
  DELETE FROM call_rollup_hunt_group WHERE bucket_start < before;
  DELETE FROM call_rollup_hunt_group_answer WHERE bucket_start < before;
  DELETE FROM call_record_rollup WHERE bucket_start < before;
  DELETE FROM trunk_rollup WHERE bucket_start < before;
END $$;

CREATE TRIGGER trunk_rollup_insert AFTER INSERT ON call
  REFERENCING NEW TABLE AS new_calls
  FOR EACH STATEMENT EXECUTE FUNCTION natalia_trunk_rollup_apply();
CREATE TRIGGER trunk_rollup_delete AFTER DELETE ON call
  REFERENCING OLD TABLE AS old_calls
  FOR EACH STATEMENT EXECUTE FUNCTION natalia_trunk_rollup_apply();
CREATE TRIGGER trunk_rollup_truncate AFTER TRUNCATE ON call
  FOR EACH STATEMENT EXECUTE FUNCTION natalia_trunk_rollup_clear();

-- A call's trunk and end now feed these rows too, so an update of either is refused as well.
DROP TRIGGER call_reject_update ON call;
CREATE TRIGGER call_reject_update BEFORE UPDATE OF tenant_id, id, direction, started_at,
  ended_at, answered, time_to_answer_seconds, talk_seconds, cost, number_pseudonym, leg_count,
  initial_target, trunk
  ON call FOR EACH STATEMENT EXECUTE FUNCTION natalia_call_reject_update();
