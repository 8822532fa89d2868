-- Dashboard figures of a range read only this index (index-only scans): the columns of the
-- summary and time series ride along with the range key.
CREATE INDEX call_range_figures ON call (tenant_id, started_at)
  INCLUDE (direction, answered, time_to_answer_seconds, talk_seconds, cost, leg_count,
           number_pseudonym, trunk, initial_target);
