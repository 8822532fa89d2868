package io.natalia.cloud.web;

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;

/**
 * The dashboard's sums over a range, computed by PostgreSQL so that only the result crosses
 * the wire: headline numbers, chart buckets in the tenant's time zone, and the tables per
 * extension, hunt group, trunk and cost centre. Thread-safe.
 *
 * <p>A call is a row of {@code call} (stitched legs); per-extension figures count legs, since
 * each leg is the work of one extension.
 */
// Limitation: see docs/known-limitations.md#dashboard-own-queries
final class Aggregates {
  private static final String IN_RANGE =
      " WHERE tenant_id = ? AND started_at >= ? AND started_at < ?";
  private static final String RETURNED = "EXISTS (SELECT 1 FROM call c"
      + " WHERE c.tenant_id = m.tenant_id AND c.number_pseudonym = m.number_pseudonym"
      + " AND c.started_at > m.started_at"
      + " AND c.started_at <= m.started_at + make_interval(secs => ?)"
      + " AND (c.direction = 'outgoing' OR (c.direction = 'incoming' AND c.answered)))";

  private final DataSource dataSource;

  Aggregates(DataSource dataSource) {
    this.dataSource = dataSource;
  }

  /**
   * The headline numbers of a range.
   *
   * @param averageTimeToAnswer null when no call was answered; same for the others
   */
  record Summary(long incoming, long answered, long missed, long unreturned, long outgoing,
      long internal, Double averageTimeToAnswer, Double p90TimeToAnswer, Double averageTalk,
      BigDecimal cost) {}

  /** Answered and missed incoming calls of one bucket (a local day or hour). */
  record Bucket(LocalDateTime start, long answered, long missed) {}

  /** Figures of one extension; legs, not calls. */
  record ExtensionRow(String extension, String name, long answered, long missedFirst,
      long outgoing, long talkSeconds, Double averageRing, BigDecimal cost) {}

  /** Figures of one hunt group (calls whose first target it was). */
  record GroupRow(String group, long calls, long answered, long missed, Double averageTta,
      Double p90Tta) {}

  /** Figures of one trunk line. */
  record LineRow(String line, long incoming, long outgoing, long talkSeconds, BigDecimal cost) {}

  /** Highest number of simultaneous calls on a trunk group on one local day. */
  record DailyPeak(String group, java.time.LocalDate day, int peak) {}

  /** Cost of one key (extension, business code, trunk group). */
  record CostRow(String key, long calls, long units, BigDecimal cost) {}

  Summary summary(long tenantId, DateRange range, Duration callbackWindow)
      throws SQLException {
    String sql = "SELECT count(*) FILTER (WHERE direction = 'incoming'),"
        + " count(*) FILTER (WHERE direction = 'incoming' AND answered),"
        + " count(*) FILTER (WHERE direction = 'incoming' AND NOT answered),"
        + " count(*) FILTER (WHERE direction = 'outgoing'),"
        + " count(*) FILTER (WHERE direction = 'internal'),"
        + " avg(time_to_answer_seconds) FILTER (WHERE direction = 'incoming' AND answered),"
        + " percentile_cont(0.9) WITHIN GROUP (ORDER BY time_to_answer_seconds)"
        + "   FILTER (WHERE direction = 'incoming' AND answered),"
        + " avg(talk_seconds) FILTER (WHERE answered AND direction <> 'internal'),"
        + " coalesce(sum(cost), 0) FROM call" + IN_RANGE;
    try (Connection connection = dataSource.getConnection();
        PreparedStatement select = range(sql, tenantId, range).prepare(connection);
        ResultSet rows = select.executeQuery()) {
      rows.next();
      return new Summary(rows.getLong(1), rows.getLong(2), rows.getLong(3),
          unreturned(connection, tenantId, range, callbackWindow), rows.getLong(4),
          rows.getLong(5), nullableDouble(rows, 6), nullableDouble(rows, 7),
          nullableDouble(rows, 8), rows.getBigDecimal(9));
    }
  }

  private static long unreturned(Connection connection, long tenantId, DateRange range,
      Duration callbackWindow) throws SQLException {
    String sql = "SELECT count(*) FROM call m WHERE m.tenant_id = ? AND m.started_at >= ?"
        + " AND m.started_at < ? AND m.direction = 'incoming' AND NOT m.answered"
        + " AND NOT " + RETURNED;
    try (PreparedStatement select = new Sql(sql, tenantId, range.from(), range.to(),
            callbackWindow.toSeconds()).prepare(connection);
        ResultSet rows = select.executeQuery()) {
      rows.next();
      return rows.getLong(1);
    }
  }

  /** Returns incoming calls per local weekday (0 = Monday) and hour: {@code [7][24]}. */
  long[][] weekdayHourHeatmap(long tenantId, DateRange range) throws SQLException {
    String zone = range.zone().getId();
    Sql sql = new Sql("SELECT extract(isodow FROM started_at AT TIME ZONE ?)::int,"
        + " extract(hour FROM started_at AT TIME ZONE ?)::int, count(*) FROM call"
        + IN_RANGE + " AND direction = 'incoming' GROUP BY 1, 2",
        zone, zone, tenantId, range.from(), range.to());
    long[][] counts = new long[7][24];
    try (Connection connection = dataSource.getConnection();
        PreparedStatement select = sql.prepare(connection);
        ResultSet rows = select.executeQuery()) {
      while (rows.next()) {
        counts[rows.getInt(1) - 1][rows.getInt(2)] = rows.getLong(3);
      }
    }
    return counts;
  }

  /**
   * Returns answered and missed incoming calls per local hour (a range of one day) or day,
   * with empty buckets present.
   */
  List<Bucket> answeredAndMissed(long tenantId, DateRange range) throws SQLException {
    boolean hourly = range.days() == 1;
    String unit = hourly ? "hour" : "day";
    Sql sql = new Sql("SELECT date_trunc('" + unit + "', started_at AT TIME ZONE ?),"
        + " count(*) FILTER (WHERE answered), count(*) FILTER (WHERE NOT answered) FROM call"
        + IN_RANGE + " AND direction = 'incoming' GROUP BY 1",
        range.zone().getId(), tenantId, range.from(), range.to());
    Map<LocalDateTime, Bucket> found = new LinkedHashMap<>();
    try (Connection connection = dataSource.getConnection();
        PreparedStatement select = sql.prepare(connection);
        ResultSet rows = select.executeQuery()) {
      while (rows.next()) {
        LocalDateTime start = rows.getTimestamp(1).toLocalDateTime();
        found.put(start, new Bucket(start, rows.getLong(2), rows.getLong(3)));
      }
    }
    List<Bucket> buckets = new ArrayList<>();
    LocalDateTime start = range.firstDay().atStartOfDay();
    LocalDateTime end = range.lastDay().plusDays(1).atStartOfDay();
    for (LocalDateTime at = start; at.isBefore(end);
        at = hourly ? at.plusHours(1) : at.plusDays(1)) {
      buckets.add(found.getOrDefault(at, new Bucket(at, 0, 0)));
    }
    return buckets;
  }

  /** Upper bounds (seconds, exclusive) of the time-to-answer histogram; the last is open. */
  static final int[] TTA_BOUNDS = {5, 10, 15, 20, 30, 45, 60, 90};

  /** Returns answered incoming calls per time-to-answer bucket of {@link #TTA_BOUNDS}. */
  long[] timeToAnswerHistogram(long tenantId, DateRange range) throws SQLException {
    // width_bucket gives 0 below the first bound, i from the i-th bound on.
    Sql sql = new Sql("SELECT width_bucket(time_to_answer_seconds, '" + bounds()
        + "'::int[]), count(*) FROM call" + IN_RANGE
        + " AND direction = 'incoming' AND answered GROUP BY 1",
        tenantId, range.from(), range.to());
    long[] counts = new long[TTA_BOUNDS.length + 1];
    try (Connection connection = dataSource.getConnection();
        PreparedStatement select = sql.prepare(connection);
        ResultSet rows = select.executeQuery()) {
      while (rows.next()) {
        counts[rows.getInt(1)] = rows.getLong(2);
      }
    }
    return counts;
  }

  private static String bounds() {
    StringBuilder text = new StringBuilder("{");
    for (int i = 0; i < TTA_BOUNDS.length; i++) {
      text.append(i == 0 ? "" : ",").append(TTA_BOUNDS[i]);
    }
    return text.append('}').toString();
  }

  List<ExtensionRow> extensions(long tenantId, DateRange range) throws SQLException {
    String sql = "WITH legs AS (SELECT extension, max(extension_name) AS name,"
        + "   count(*) FILTER (WHERE direction = 'incoming' AND answered) AS answered,"
        + "   count(*) FILTER (WHERE direction = 'outgoing') AS outgoing,"
        + "   coalesce(sum(talk_seconds) FILTER (WHERE answered), 0) AS talk,"
        + "   avg(ring_seconds) FILTER (WHERE direction = 'incoming' AND answered) AS ring,"
        + "   coalesce(sum(cost), 0) AS cost"
        + " FROM call_record" + IN_RANGE + " AND extension IS NOT NULL GROUP BY extension),"
        + " missed AS (SELECT initial_target AS extension, count(*) AS missed FROM call"
        + IN_RANGE + " AND direction = 'incoming' AND NOT answered"
        + " AND initial_target IS NOT NULL GROUP BY initial_target)"
        + " SELECT coalesce(l.extension, m.extension), l.name, coalesce(l.answered, 0),"
        + " coalesce(m.missed, 0), coalesce(l.outgoing, 0), coalesce(l.talk, 0), l.ring,"
        + " coalesce(l.cost, 0) FROM legs l FULL JOIN missed m ON m.extension = l.extension"
        + " WHERE coalesce(l.extension, m.extension) NOT LIKE 'G%'"
        + " ORDER BY 1";
    List<ExtensionRow> result = new ArrayList<>();
    try (Connection connection = dataSource.getConnection();
        PreparedStatement select = new Sql(sql, tenantId, range.from(), range.to(), tenantId,
            range.from(), range.to()).prepare(connection);
        ResultSet rows = select.executeQuery()) {
      while (rows.next()) {
        result.add(new ExtensionRow(rows.getString(1), rows.getString(2), rows.getLong(3),
            rows.getLong(4), rows.getLong(5), rows.getLong(6), nullableDouble(rows, 7),
            rows.getBigDecimal(8)));
      }
    }
    return result;
  }

  List<GroupRow> huntGroups(long tenantId, DateRange range) throws SQLException {
    String sql = "SELECT initial_target, count(*), count(*) FILTER (WHERE answered),"
        + " count(*) FILTER (WHERE NOT answered), avg(time_to_answer_seconds),"
        + " percentile_cont(0.9) WITHIN GROUP (ORDER BY time_to_answer_seconds)"
        + " FROM call" + IN_RANGE + " AND direction = 'incoming' AND initial_target LIKE 'G%'"
        + " GROUP BY initial_target ORDER BY initial_target";
    List<GroupRow> result = new ArrayList<>();
    try (Connection connection = dataSource.getConnection();
        PreparedStatement select = range(sql, tenantId, range).prepare(connection);
        ResultSet rows = select.executeQuery()) {
      while (rows.next()) {
        result.add(new GroupRow(rows.getString(1), rows.getLong(2), rows.getLong(3),
            rows.getLong(4), nullableDouble(rows, 5), nullableDouble(rows, 6)));
      }
    }
    return result;
  }

  List<LineRow> trunkLines(long tenantId, DateRange range) throws SQLException {
    String sql = "SELECT trunk, count(*) FILTER (WHERE direction = 'incoming'),"
        + " count(*) FILTER (WHERE direction = 'outgoing'), coalesce(sum(talk_seconds), 0),"
        + " coalesce(sum(cost), 0) FROM call" + IN_RANGE + " AND trunk IS NOT NULL"
        + " GROUP BY trunk ORDER BY trunk";
    List<LineRow> result = new ArrayList<>();
    try (Connection connection = dataSource.getConnection();
        PreparedStatement select = range(sql, tenantId, range).prepare(connection);
        ResultSet rows = select.executeQuery()) {
      while (rows.next()) {
        result.add(new LineRow(rows.getString(1), rows.getLong(2), rows.getLong(3),
            rows.getLong(4), rows.getBigDecimal(5)));
      }
    }
    return result;
  }

  /**
   * Returns the peak of simultaneous calls per trunk group (the line's letter: {@code L}
   * analog, {@code N} BRI, {@code P} PRI, {@code V} VoIP) and local day.
   *
   * <p>A sweep over start (+1) and end (-1) events in time order; at equal times ends come
   * first, so a call that starts as another ends does not count as overlapping it.
   */
  List<DailyPeak> trunkPeaks(long tenantId, DateRange range) throws SQLException {
    String sql = "WITH events AS ("
        + "   SELECT left(trunk, 1) AS grp, started_at AS t, 1 AS delta FROM call" + IN_RANGE
        + "   AND trunk IS NOT NULL"
        + "   UNION ALL SELECT left(trunk, 1), ended_at, -1 FROM call" + IN_RANGE
        + "   AND trunk IS NOT NULL),"
        + " levels AS (SELECT grp, t, sum(delta) OVER (PARTITION BY grp ORDER BY t, delta"
        + "   ROWS UNBOUNDED PRECEDING) AS level FROM events)"
        + " SELECT grp, (t AT TIME ZONE ?)::date, max(level) FROM levels"
        + " WHERE t < ? GROUP BY 1, 2 ORDER BY 1, 2";
    List<DailyPeak> result = new ArrayList<>();
    try (Connection connection = dataSource.getConnection();
        PreparedStatement select = new Sql(sql, tenantId, range.from(), range.to(), tenantId,
            range.from(), range.to(), range.zone().getId(), range.to()).prepare(connection);
        ResultSet rows = select.executeQuery()) {
      while (rows.next()) {
        result.add(new DailyPeak(rows.getString(1), rows.getDate(2).toLocalDate(),
            rows.getInt(3)));
      }
    }
    return result;
  }

  /**
   * Returns costs of the range grouped by {@code key}: {@code extension},
   * {@code business_code} or {@code left(trunk, 1)}; legs without the key are one group.
   */
  List<CostRow> costs(long tenantId, DateRange range, String key) throws SQLException {
    if (!List.of("extension", "business_code", "left(trunk, 1)").contains(key)) {
      throw new IllegalArgumentException("costs cannot be grouped by " + key);
    }
    String sql = "SELECT " + key + ", count(*), coalesce(sum(units), 0),"
        + " coalesce(sum(cost), 0) FROM call_record" + IN_RANGE
        + " AND (cost > 0 OR units > 0) GROUP BY 1 ORDER BY 4 DESC, 1 LIMIT 50";
    List<CostRow> result = new ArrayList<>();
    try (Connection connection = dataSource.getConnection();
        PreparedStatement select = range(sql, tenantId, range).prepare(connection);
        ResultSet rows = select.executeQuery()) {
      while (rows.next()) {
        result.add(new CostRow(rows.getString(1), rows.getLong(2), rows.getLong(3),
            rows.getBigDecimal(4)));
      }
    }
    return result;
  }

  private static Sql range(String sql, long tenantId, DateRange range) {
    return new Sql(sql, tenantId, range.from(), range.to());
  }

  private static Double nullableDouble(ResultSet rows, int column) throws SQLException {
    double value = rows.getDouble(column);
    return rows.wasNull() ? null : value;
  }
}
