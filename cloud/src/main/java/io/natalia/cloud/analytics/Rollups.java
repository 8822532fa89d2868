package io.natalia.cloud.analytics;

import io.natalia.cloud.tenant.Tenant;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The figures of a range read from the per-quarter-hour sums of {@code call_rollup} (kept by
 * triggers on {@code call}, see migration V90) for the whole quarter hours inside the range,
 * plus the calls of its partial quarter hours at both ends, counted at query time.
 *
 * <p>A quarter hour is {@code date_bin('15 minutes', started_at, 2000-01-01Z)}: UTC, so the
 * sums do not depend on the tenant's time zone. A bucket of a series can be summed from
 * quarter hours only when each of its boundaries falls on one, which {@link #fit} checks; every
 * time zone in use today has offsets that are whole quarter hours.
 *
 * <p>Unreturned missed calls are not additive (a callback can arrive later, and the callback
 * window is a tenant setting), so they are counted at query time over the missed calls of the
 * range only, from the {@code call_missed} index and each call's {@code first_return_at}.
 */
final class Rollups {
  static final Duration QUARTER_HOUR = Duration.ofMinutes(15);
  /** Bucket of the ticket sums ({@code call_record_rollup}): a UTC day. */
  static final Duration TICKET_DAY = Duration.ofDays(1);

  private static final String PARTS = """
      SELECT %1$s AS bucket, r.calls, r.tickets, r.incoming, r.answered_incoming, r.missed,
        0 AS unreturned, r.outgoing, r.internal, r.answered, r.talk_seconds,
        r.answered_talk_seconds, r.timed_answers, r.time_to_answer_seconds, r.cost
      FROM call_rollup r
      WHERE r.tenant_id = ? AND r.bucket_start >= ? AND r.bucket_start < ?
      UNION ALL
      SELECT %2$s, 1, c.leg_count, (c.direction = 'incoming')::int,
        (c.direction = 'incoming' AND c.answered)::int,
        (c.direction = 'incoming' AND NOT c.answered)::int, 0,
        (c.direction = 'outgoing')::int, (c.direction = 'internal')::int, c.answered::int,
        c.talk_seconds, CASE WHEN c.answered THEN c.talk_seconds ELSE 0 END,
        (c.direction = 'incoming' AND c.answered
          AND c.time_to_answer_seconds IS NOT NULL)::int,
        CASE WHEN c.direction = 'incoming' AND c.answered THEN c.time_to_answer_seconds END,
        c.cost
      FROM call c
      WHERE c.tenant_id = ? AND (c.started_at >= ? AND c.started_at < ?
        OR c.started_at >= ? AND c.started_at < ?)
      UNION ALL
      SELECT %2$s, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, NULL, NULL
      FROM call c
      WHERE c.tenant_id = ? AND c.started_at >= ? AND c.started_at < ? AND %3$s
      """;

  private static final String FIGURES = """
      SELECT bucket, sum(calls), sum(incoming), sum(answered_incoming), sum(missed),
        sum(unreturned), sum(outgoing), sum(internal),
        sum(time_to_answer_seconds) / nullif(sum(timed_answers), 0), NULL::integer,
        sum(talk_seconds), sum(answered_talk_seconds) / nullif(sum(answered), 0),
        coalesce(sum(cost), 0), sum(tickets)
      FROM (%s) p
      GROUP BY bucket ORDER BY bucket
      """;

  /**
   * The nearest-rank 90th percentile of the time to answer, computed as PostgreSQL's
   * {@code percentile_disc(0.9)} does: the value at row {@code ceil(0.9 * n)} in order, at
   * least the first.
   */
  private static final String P90_TIME_TO_ANSWER = """
      WITH times AS (
        SELECT a.time_to_answer_seconds AS seconds, a.calls
        FROM call_rollup_answer a
        WHERE a.tenant_id = ? AND a.bucket_start >= ? AND a.bucket_start < ?
        UNION ALL
        SELECT c.time_to_answer_seconds, 1
        FROM call c
        WHERE c.tenant_id = ? AND (c.started_at >= ? AND c.started_at < ?
          OR c.started_at >= ? AND c.started_at < ?)
          AND c.direction = 'incoming' AND c.answered AND c.time_to_answer_seconds IS NOT NULL
      ), distribution AS (
        SELECT seconds, sum(calls) AS calls FROM times GROUP BY seconds
      ), ranked AS (
        SELECT seconds, sum(calls) OVER (ORDER BY seconds) AS up_to,
          sum(calls) OVER () AS total
        FROM distribution
      )
      SELECT min(seconds) FROM ranked
      WHERE up_to >= greatest(1, ceil(0.9::float8 * total::float8))
      """;

  private static final String COUNT = """
      SELECT (SELECT coalesce(sum(r.calls), 0) FROM call_rollup r
              WHERE r.tenant_id = ? AND r.bucket_start >= ? AND r.bucket_start < ?)
        + (SELECT count(*) FROM call c
           WHERE c.tenant_id = ? AND (c.started_at >= ? AND c.started_at < ?
             OR c.started_at >= ? AND c.started_at < ?))
      """;

  /** Per hunt group, the columns of {@link HuntGroupStats} in order. */
  private static final String HUNT_GROUPS = """
      WITH parts AS (
        SELECT g.hunt_group, g.calls, g.answered, g.missed, g.timed_answers,
          g.time_to_answer_seconds, g.talk_seconds
        FROM call_rollup_hunt_group g
        WHERE g.tenant_id = ? AND g.bucket_start >= ? AND g.bucket_start < ?
        UNION ALL
        SELECT c.initial_target, 1, c.answered::int, (NOT c.answered)::int,
          (c.answered AND c.time_to_answer_seconds IS NOT NULL)::int,
          CASE WHEN c.answered THEN c.time_to_answer_seconds END, c.talk_seconds
        FROM call c
        WHERE c.tenant_id = ? AND (c.started_at >= ? AND c.started_at < ?
          OR c.started_at >= ? AND c.started_at < ?)
          AND c.direction = 'incoming' AND c.initial_target ~ '^G[0-9]+$'
      ), times AS (
        SELECT a.hunt_group, a.time_to_answer_seconds AS seconds, a.calls
        FROM call_rollup_hunt_group_answer a
        WHERE a.tenant_id = ? AND a.bucket_start >= ? AND a.bucket_start < ?
        UNION ALL
        SELECT c.initial_target, c.time_to_answer_seconds, 1
        FROM call c
        WHERE c.tenant_id = ? AND (c.started_at >= ? AND c.started_at < ?
          OR c.started_at >= ? AND c.started_at < ?)
          AND c.direction = 'incoming' AND c.initial_target ~ '^G[0-9]+$' AND c.answered
          AND c.time_to_answer_seconds IS NOT NULL
      ), distribution AS (
        SELECT hunt_group, seconds, sum(calls) AS calls FROM times GROUP BY hunt_group, seconds
      ), ranked AS (
        SELECT hunt_group, seconds,
          sum(calls) OVER (PARTITION BY hunt_group ORDER BY seconds) AS up_to,
          sum(calls) OVER (PARTITION BY hunt_group) AS total
        FROM distribution
      ), p90 AS (
        SELECT hunt_group, min(seconds) AS seconds FROM ranked
        WHERE up_to >= greatest(1, ceil(0.9::float8 * total::float8))
        GROUP BY hunt_group
      )
      SELECT p.hunt_group, sum(p.calls), sum(p.answered), sum(p.missed),
        sum(p.time_to_answer_seconds) / nullif(sum(p.timed_answers), 0), p90.seconds,
        sum(p.talk_seconds)
      FROM parts p LEFT JOIN p90 USING (hunt_group)
      GROUP BY p.hunt_group, p90.seconds
      ORDER BY length(p.hunt_group), p.hunt_group
      """;

  /**
   * Per extension, the ticket figures: the columns of the query-time {@code legs} of
   * {@link Analytics#byExtension}.
   */
  static final String EXTENSION_TICKETS = """
      SELECT extension,
        (array_agg(name ORDER BY name_at DESC) FILTER (WHERE name IS NOT NULL))[1] AS name,
        sum(answered) AS answered, sum(outgoing) AS outgoing, sum(internal) AS internal,
        sum(answered_ring_seconds) / nullif(sum(answered), 0) AS tta,
        sum(talk_seconds) AS talk, coalesce(sum(cost), 0) AS cost
      FROM (
        SELECT r.extension, r.extension_name AS name, r.extension_name_at AS name_at,
          r.answered, r.outgoing, r.internal, r.answered_ring_seconds, r.talk_seconds, r.cost
        FROM call_record_rollup r
        WHERE r.tenant_id = ? AND r.bucket_start >= ? AND r.bucket_start < ?
          AND r.extension IS NOT NULL AND r.extension !~ '^G[0-9]+$'
        UNION ALL
        SELECT extension, extension_name,
          CASE WHEN extension_name IS NOT NULL THEN started_at END,
          (direction = 'incoming' AND answered)::int, (direction = 'outgoing')::int,
          (direction = 'internal')::int,
          CASE WHEN direction = 'incoming' AND answered THEN ring_seconds ELSE 0 END,
          talk_seconds, cost
        FROM call_record
        WHERE tenant_id = ? AND (started_at >= ? AND started_at < ?
          OR started_at >= ? AND started_at < ?)
          AND extension IS NOT NULL AND extension !~ '^G[0-9]+$'
      ) p
      GROUP BY extension
      """;

  /** The cost of tickets by a column of {@code call_record} (format argument), as costs. */
  static final String COSTS = """
      SELECT coalesce(key, '%2$s') AS key, sum(tickets), coalesce(sum(units), 0),
        coalesce(sum(cost), 0) AS cost
      FROM (
        SELECT r.%1$s AS key, r.tickets, r.units, r.cost
        FROM call_record_rollup r
        WHERE r.tenant_id = ? AND r.bucket_start >= ? AND r.bucket_start < ?
        UNION ALL
        SELECT %1$s, 1, units, cost
        FROM call_record
        WHERE tenant_id = ? AND (started_at >= ? AND started_at < ?
          OR started_at >= ? AND started_at < ?)
      ) p
      GROUP BY 1 ORDER BY cost DESC, key
      """;

  /** Incoming calls per UTC quarter hour that has some. */
  private static final String INCOMING_PER_QUARTER_HOUR = """
      SELECT r.bucket_start, r.incoming
      FROM call_rollup r
      WHERE r.tenant_id = ? AND r.bucket_start >= ? AND r.bucket_start < ? AND r.incoming > 0
      UNION ALL
      SELECT date_bin('15 minutes', c.started_at, timestamptz '2000-01-01 00:00:00+00'),
        count(*)
      FROM call c
      WHERE c.tenant_id = ? AND (c.started_at >= ? AND c.started_at < ?
        OR c.started_at >= ? AND c.started_at < ?) AND c.direction = 'incoming'
      GROUP BY 1
      """;

  /** Answered incoming calls per time to answer in seconds (null: calls without one). */
  private static final String ANSWERED_PER_TIME_TO_ANSWER = """
      SELECT seconds, sum(calls) FROM (
        SELECT a.time_to_answer_seconds AS seconds, a.calls
        FROM call_rollup_answer a
        WHERE a.tenant_id = ? AND a.bucket_start >= ? AND a.bucket_start < ?
        UNION ALL
        SELECT NULL, r.answered_incoming - r.timed_answers
        FROM call_rollup r
        WHERE r.tenant_id = ? AND r.bucket_start >= ? AND r.bucket_start < ?
          AND r.answered_incoming > r.timed_answers
        UNION ALL
        SELECT c.time_to_answer_seconds, 1
        FROM call c
        WHERE c.tenant_id = ? AND (c.started_at >= ? AND c.started_at < ?
          OR c.started_at >= ? AND c.started_at < ?)
          AND c.direction = 'incoming' AND c.answered
      ) t
      GROUP BY seconds
      """;

  private Rollups() {}

  /**
   * Returns whether a series with these bucket starts can be summed from quarter hours: each
   * start after the first (which is the start of the range) is on a quarter hour.
   */
  static boolean fit(List<Instant> starts) {
    for (int i = 1; i < starts.size(); i++) {
      if (!onQuarterHour(starts.get(i))) {
        return false;
      }
    }
    return true;
  }

  /**
   * Returns the figures per bucket of a range: one row per bucket that has calls, bucket 0
   * when {@code starts} is null (a summary, whose p90 time to answer is null here: see
   * {@link #p90TimeToAnswer}).
   *
   * @param unreturned the condition on {@code call c} of an unreturned missed call, with one
   *     parameter: the callback window in seconds
   */
  static List<Figures> figures(Connection connection, Tenant tenant, TimeRange range,
      List<Instant> starts, String unreturned) throws SQLException {
    String sql = FIGURES.formatted(PARTS.formatted(bucketOf("r.bucket_start", starts),
        bucketOf("c.started_at", starts), unreturned));
    Split split = Split.of(range);
    try (PreparedStatement select = connection.prepareStatement(sql)) {
      int next = bindBuckets(select, 1, starts);
      next = bindAll(select, next, tenant.id(), split.middleFrom(), split.middleTo());
      next = bindBuckets(select, next, starts);
      next = bindEdges(select, next, tenant, split);
      next = bindBuckets(select, next, starts);
      bindAll(select, next, tenant.id(), split.from(), split.to(),
          tenant.callbackWindow().toSeconds());
      List<Figures> figures = new ArrayList<>();
      try (ResultSet rows = select.executeQuery()) {
        while (rows.next()) {
          figures.add(Figures.read(rows));
        }
      }
      return figures;
    }
  }

  /** Returns the p90 time to answer of the answered incoming calls of a range, or null. */
  static Integer p90TimeToAnswer(Connection connection, Tenant tenant, TimeRange range)
      throws SQLException {
    Split split = Split.of(range);
    try (PreparedStatement select = connection.prepareStatement(P90_TIME_TO_ANSWER)) {
      int next = bindAll(select, 1, tenant.id(), split.middleFrom(), split.middleTo());
      bindEdges(select, next, tenant, split);
      try (ResultSet rows = select.executeQuery()) {
        rows.next();
        return (Integer) rows.getObject(1);
      }
    }
  }

  /** Returns how many calls started in a range. */
  static long count(Connection connection, Tenant tenant, TimeRange range)
      throws SQLException {
    Split split = Split.of(range);
    try (PreparedStatement select = connection.prepareStatement(COUNT)) {
      int next = bindAll(select, 1, tenant.id(), split.middleFrom(), split.middleTo());
      bindEdges(select, next, tenant, split);
      try (ResultSet rows = select.executeQuery()) {
        rows.next();
        return rows.getLong(1);
      }
    }
  }

  /** Returns the incoming calls that rang each hunt group first, by group. */
  static List<HuntGroupStats> huntGroups(Connection connection, Tenant tenant, TimeRange range)
      throws SQLException {
    Split split = Split.of(range);
    try (PreparedStatement select = connection.prepareStatement(HUNT_GROUPS)) {
      int next = bindAll(select, 1, tenant.id(), split.middleFrom(), split.middleTo());
      next = bindEdges(select, next, tenant, split);
      next = bindAll(select, next, tenant.id(), split.middleFrom(), split.middleTo());
      bindEdges(select, next, tenant, split);
      List<HuntGroupStats> groups = new ArrayList<>();
      try (ResultSet rows = select.executeQuery()) {
        while (rows.next()) {
          groups.add(new HuntGroupStats(rows.getString(1), rows.getLong(2), rows.getLong(3),
              rows.getLong(4), Figures.doubleOrNull(rows, 5), (Integer) rows.getObject(6),
              rows.getLong(7)));
        }
      }
      return groups;
    }
  }

  /** Binds the parameters of {@link #EXTENSION_TICKETS} and {@link #COSTS}; returns the next. */
  static int bindTicketDays(PreparedStatement statement, int first, Tenant tenant,
      TimeRange range) throws SQLException {
    Split split = Split.of(range, TICKET_DAY);
    int next = bindAll(statement, first, tenant.id(), split.middleFrom(), split.middleTo());
    return bindEdges(statement, next, tenant, split);
  }

  /** Returns the incoming calls of a range per UTC quarter hour, for those that have some. */
  static Map<Instant, Long> incomingPerQuarterHour(Connection connection, Tenant tenant,
      TimeRange range) throws SQLException {
    Split split = Split.of(range);
    try (PreparedStatement select = connection.prepareStatement(INCOMING_PER_QUARTER_HOUR)) {
      int next = bindAll(select, 1, tenant.id(), split.middleFrom(), split.middleTo());
      bindEdges(select, next, tenant, split);
      Map<Instant, Long> counts = new HashMap<>();
      try (ResultSet rows = select.executeQuery()) {
        while (rows.next()) {
          counts.merge(rows.getTimestamp(1).toInstant(), rows.getLong(2), Long::sum);
        }
      }
      return counts;
    }
  }

  /**
   * Returns the answered incoming calls of a range per time to answer in seconds; the key null
   * counts those without a time to answer.
   */
  static Map<Integer, Long> answeredPerTimeToAnswer(Connection connection, Tenant tenant,
      TimeRange range) throws SQLException {
    Split split = Split.of(range);
    try (PreparedStatement select = connection.prepareStatement(ANSWERED_PER_TIME_TO_ANSWER)) {
      int next = bindAll(select, 1, tenant.id(), split.middleFrom(), split.middleTo());
      next = bindAll(select, next, tenant.id(), split.middleFrom(), split.middleTo());
      bindEdges(select, next, tenant, split);
      Map<Integer, Long> counts = new HashMap<>();
      try (ResultSet rows = select.executeQuery()) {
        while (rows.next()) {
          counts.put((Integer) rows.getObject(1), rows.getLong(2));
        }
      }
      return counts;
    }
  }

  private static String bucketOf(String column, List<Instant> starts) {
    return starts == null ? "0" : "width_bucket(" + column + ", ?::timestamptz[])";
  }

  private static int bindBuckets(PreparedStatement statement, int first, List<Instant> starts)
      throws SQLException {
    if (starts == null) {
      return first;
    }
    Timestamp[] bounds = starts.stream().map(Timestamp::from).toArray(Timestamp[]::new);
    statement.setArray(first, statement.getConnection().createArrayOf("timestamptz", bounds));
    return first + 1;
  }

  private static int bindEdges(PreparedStatement statement, int first, Tenant tenant,
      Split split) throws SQLException {
    return bindAll(statement, first, tenant.id(), split.from(), split.middleFrom(),
        split.middleTo(), split.to());
  }

  private static int bindAll(PreparedStatement statement, int first, Object... values)
      throws SQLException {
    for (int i = 0; i < values.length; i++) {
      Object value = values[i];
      statement.setObject(first + i, value instanceof Instant instant
          ? Timestamp.from(instant) : value);
    }
    return first + values.length;
  }

  static boolean onQuarterHour(Instant instant) {
    return instant.getNano() == 0 && instant.getEpochSecond() % QUARTER_HOUR.toSeconds() == 0;
  }

  /**
   * A range cut into its whole buckets {@code [middleFrom, middleTo)}, read from the sums, and
   * the partial ones at each end, {@code [from, middleFrom)} and {@code [middleTo, to)}, read
   * from the rows. A range inside one bucket has no middle.
   */
  record Split(Instant from, Instant middleFrom, Instant middleTo, Instant to) {
    static Split of(TimeRange range) {
      return of(range, QUARTER_HOUR);
    }

    /** Cuts a range at multiples of {@code bucket} since the epoch (UTC). */
    static Split of(TimeRange range, Duration bucket) {
      Instant middleFrom = ceil(range.from(), bucket);
      Instant middleTo = floor(range.to(), bucket);
      if (!middleFrom.isBefore(middleTo)) {
        return new Split(range.from(), range.from(), range.from(), range.to());
      }
      return new Split(range.from(), middleFrom, middleTo, range.to());
    }

    private static Instant floor(Instant instant, Duration bucket) {
      long seconds = bucket.toSeconds();
      return Instant.ofEpochSecond(Math.floorDiv(instant.getEpochSecond(), seconds) * seconds);
    }

    private static Instant ceil(Instant instant, Duration bucket) {
      Instant floor = floor(instant, bucket);
      return floor.equals(instant) ? floor : floor.plus(bucket);
    }
  }
}
