package io.natalia.cloud.analytics;

import io.natalia.cloud.analytics.Rollups.Split;
import io.natalia.cloud.tenant.Tenant;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The trunk table of a range from the per-quarter-hour rows of {@code trunk_rollup} (kept by
 * triggers on {@code call}, see migration V91), without sweeping every call of the range.
 *
 * <p>The peak concurrency is a sweep over the range's events in time order: a start raises
 * the count of calls in progress and is a candidate for the peak, an end lowers it, and at one
 * instant ends come first. The sweep starts from the calls in progress at the range's start
 * (found by the {@code call_trunk_span} range index however long ago they started), reads the
 * events of the partial quarter hours at both ends from the calls, and takes the whole quarter
 * hours in between as one step: their net change, and their highest count relative to the
 * count before them, which PostgreSQL adds up from the rows in order.
 */
final class TrunkLevels {
  /** The calls in progress at the range's start, per trunk. */
  private static final String AT_START = """
      SELECT c.trunk, count(*), count(*) FILTER (WHERE c.ended_at > ?)
      FROM call c
      WHERE c.tenant_id = ? AND c.trunk IS NOT NULL AND c.started_at < ?
        AND tstzrange(c.started_at, greatest(c.started_at, c.ended_at), '[]') @> ?::timestamptz
      GROUP BY c.trunk
      """;

  /**
   * Starts and ends in the partial quarter hours at both ends of the range, in sweep order. A
   * call that ends when it starts is never in progress: its start (d = 0) only counts it.
   */
  private static final String EDGE_EVENTS = """
      SELECT c.trunk, c.started_at AS t, (c.ended_at > c.started_at)::int AS d, c.direction,
        c.talk_seconds, c.cost
      FROM call c
      WHERE c.tenant_id = ? AND c.trunk IS NOT NULL
        AND (c.started_at >= ? AND c.started_at < ? OR c.started_at >= ? AND c.started_at < ?)
      UNION ALL
      SELECT c.trunk, c.ended_at, -1, NULL, NULL, NULL
      FROM call c
      WHERE c.tenant_id = ? AND c.trunk IS NOT NULL
        AND (c.ended_at >= ? AND c.ended_at < ? OR c.ended_at >= ? AND c.ended_at < ?)
        AND c.ended_at > c.started_at
      ORDER BY t, d
      """;

  /**
   * The whole quarter hours of the range, summed into one step per trunk. A step has the use
   * figures, the net change and the highest count relative to the count at its start. That
   * highest count is the count before a quarter hour plus the quarter hour's own highest. Its
   * instant is the earliest that reaches it, because quarter hours do not overlap.
   */
  private static final String MIDDLE = """
      SELECT trunk, sum(calls), sum(incoming), sum(outgoing), sum(talk_seconds), sum(cost),
        sum(level_change), max(top), min(level_peak_at) FILTER (WHERE top = highest)
      FROM (
        SELECT b.*, max(b.top) OVER (PARTITION BY b.trunk) AS highest
        FROM (
          SELECT r.trunk COLLATE "C" AS trunk, r.calls, r.incoming, r.outgoing,
            r.talk_seconds, r.cost, r.level_change, r.level_peak_at,
            sum(r.level_change) OVER (PARTITION BY r.trunk COLLATE "C"
              ORDER BY r.bucket_start ROWS UNBOUNDED PRECEDING) - r.level_change + r.level_peak
              AS top
          FROM trunk_rollup r
          WHERE r.tenant_id = ? AND r.bucket_start >= ? AND r.bucket_start < ?
        ) b
      ) q
      GROUP BY trunk
      """;

  private TrunkLevels() {}

  /** Returns the use and peak concurrency of each trunk in a range, by trunk. */
  static List<TrunkStats> byTrunk(Connection connection, Tenant tenant, TimeRange range)
      throws SQLException {
    Split split = Split.of(range);
    Map<String, Sweep> sweeps = new TreeMap<>();
    atStart(connection, tenant, range.from(), sweeps);
    List<Event> edges = edgeEvents(connection, tenant, split);
    int edge = 0;
    for (; edge < edges.size() && edges.get(edge).at().isBefore(split.middleFrom()); edge++) {
      edges.get(edge).applyTo(sweeps);
    }
    if (split.middleFrom().isBefore(split.middleTo())) {
      middle(connection, tenant, split, sweeps);
    }
    for (; edge < edges.size(); edge++) {
      edges.get(edge).applyTo(sweeps);
    }
    List<TrunkStats> trunks = new ArrayList<>();
    sweeps.forEach((trunk, sweep) -> {
      if (sweep.peakAt != null || sweep.calls > 0) {
        trunks.add(new TrunkStats(trunk, sweep.calls, sweep.incoming, sweep.outgoing,
            sweep.talkSeconds, sweep.cost, sweep.peak, sweep.peakAt));
      }
    });
    return trunks;
  }

  private static void atStart(Connection connection, Tenant tenant, Instant from,
      Map<String, Sweep> sweeps) throws SQLException {
    Timestamp start = Timestamp.from(from);
    try (PreparedStatement select = connection.prepareStatement(AT_START)) {
      select.setTimestamp(1, start);
      select.setLong(2, tenant.id());
      select.setTimestamp(3, start);
      select.setTimestamp(4, start);
      try (ResultSet rows = select.executeQuery()) {
        while (rows.next()) {
          Sweep sweep = sweeps.computeIfAbsent(rows.getString(1), trunk -> new Sweep());
          // A call that ends right at the start is counted here, because its end event lies
          // in the range. It was not in progress at the first instant; the others were.
          sweep.level = rows.getInt(2);
          int inProgress = rows.getInt(3);
          if (inProgress > 0) {
            sweep.candidate(inProgress, from);
          }
        }
      }
    }
  }

  private static List<Event> edgeEvents(Connection connection, Tenant tenant, Split split)
      throws SQLException {
    List<Event> events = new ArrayList<>();
    try (PreparedStatement select = connection.prepareStatement(EDGE_EVENTS)) {
      int next = 1;
      for (int part = 0; part < 2; part++) {
        select.setLong(next++, tenant.id());
        for (Instant bound : List.of(split.from(), split.middleFrom(), split.middleTo(),
            split.to())) {
          select.setTimestamp(next++, Timestamp.from(bound));
        }
      }
      try (ResultSet rows = select.executeQuery()) {
        while (rows.next()) {
          events.add(new Event(rows.getString(1), rows.getTimestamp(2).toInstant(),
              rows.getInt(3), rows.getString(4), rows.getLong(5),
              rows.getBigDecimal(6)));
        }
      }
    }
    return events;
  }

  private static void middle(Connection connection, Tenant tenant, Split split,
      Map<String, Sweep> sweeps) throws SQLException {
    try (PreparedStatement select = connection.prepareStatement(MIDDLE)) {
      select.setLong(1, tenant.id());
      select.setTimestamp(2, Timestamp.from(split.middleFrom()));
      select.setTimestamp(3, Timestamp.from(split.middleTo()));
      try (ResultSet rows = select.executeQuery()) {
        while (rows.next()) {
          Sweep sweep = sweeps.computeIfAbsent(rows.getString(1), trunk -> new Sweep());
          sweep.calls += rows.getLong(2);
          sweep.incoming += rows.getLong(3);
          sweep.outgoing += rows.getLong(4);
          sweep.talkSeconds += rows.getLong(5);
          BigDecimal cost = rows.getBigDecimal(6);
          if (cost != null) {
            sweep.cost = sweep.cost.add(cost);
          }
          int highest = rows.getInt(8);
          if (!rows.wasNull()) {
            sweep.candidate(sweep.level + highest, rows.getTimestamp(9).toInstant());
          }
          sweep.level += rows.getInt(7);
        }
      }
    }
  }

  /** The running count of one trunk's calls in progress, its peak, and its use figures. */
  private static final class Sweep {
    private long calls;
    private long incoming;
    private long outgoing;
    private long talkSeconds;
    private BigDecimal cost = BigDecimal.ZERO;
    private int level;
    private int peak;
    /** The first instant the peak was reached; null while no call was in progress. */
    private Instant peakAt;

    /** Keeps {@code count} as the peak when it is higher: the first instant wins a tie. */
    void candidate(int count, Instant at) {
      if (peakAt == null || count > peak) {
        peak = count;
        peakAt = at;
      }
    }
  }

  /**
   * A start (step 1, or 0 for a call that ends when it starts) with the call's figures, or an
   * end (step -1) of a call on a trunk.
   */
  private record Event(String trunk, Instant at, int step, String direction,
      long talkSeconds, BigDecimal cost) {
    void applyTo(Map<String, Sweep> sweeps) {
      Sweep sweep = sweeps.computeIfAbsent(trunk, name -> new Sweep());
      sweep.level += step;
      if (step < 0) {
        return;
      }
      if (step > 0) {
        sweep.candidate(sweep.level, at);
      }
      sweep.calls++;
      sweep.incoming += "incoming".equals(direction) ? 1 : 0;
      sweep.outgoing += "outgoing".equals(direction) ? 1 : 0;
      sweep.talkSeconds += talkSeconds;
      if (cost != null) {
        sweep.cost = sweep.cost.add(cost);
      }
    }
  }
}
