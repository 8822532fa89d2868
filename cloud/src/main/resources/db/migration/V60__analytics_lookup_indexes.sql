-- Callback matching looks up the first return of each missed call by number; carrying the
-- columns it reads lets that lookup skip the table (index-only scans). Same key as the index
-- it replaces, so every query that used it still can.
CREATE INDEX call_number_return ON call (tenant_id, number_pseudonym, started_at)
  INCLUDE (direction, answered, initial_target, answering_extension);
DROP INDEX call_number;
-- The trunk table's concurrency sweep and use figures read calls of one range per trunk,
-- with their end time, from this index alone.
CREATE INDEX call_trunk_range ON call (tenant_id, trunk, started_at)
  INCLUDE (ended_at, direction, talk_seconds, cost)
  WHERE trunk IS NOT NULL;
