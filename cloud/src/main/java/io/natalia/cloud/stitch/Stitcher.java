package io.natalia.cloud.stitch;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Builds {@code call} rows from the legs in {@code call_record}, one ingest batch at a time.
 *
 * <p>A transfer closes a ticket and opens the next, so one conversation may leave several
 * legs, in any order and in different batches. Legs belong to one call when they share PBX,
 * direction, trunk and number pseudonym and each starts when the one before it ends, within
 * {@code tolerance}. For each such group touched by a batch, the stitcher takes the time range
 * of the batch's legs and widens it over every existing call of the group that touches it,
 * until no other call touches it. It then deletes those calls and rebuilds them from all legs
 * in the range, in one transaction. Rebuilding is idempotent, so the order in which batches are
 * stitched does not matter. Legs without trunk or number (internal calls) are calls of one leg.
 *
 * <p>Stitches of one tenant are serialised by an advisory lock, so several cloud nodes may run
 * a stitcher. Thread-safe.
 */
public final class Stitcher {
  private static final Logger log = LoggerFactory.getLogger(Stitcher.class);
  /** Legs whose end and next start differ by at most this belong to one call. */
  public static final Duration DEFAULT_TOLERANCE = Duration.ofSeconds(5);
  private static final long LOCK_BASE = 0x4e41_5453_0000_0000L;
  private static final int BATCHES_PER_ROUND = 100;
  private static final int MAX_WIDENINGS = 50;

  private static final String GROUP = "pbx_id, direction, trunk, number_pseudonym";
  private static final String SAME_GROUP = "c.pbx_id = g.pbx_id AND c.direction = g.direction"
      + " AND c.trunk = g.trunk AND c.number_pseudonym = g.number_pseudonym";

  private static final String GROUPS = """
      CREATE TEMPORARY TABLE stitch_group ON COMMIT DROP AS
      SELECT %s, min(started_at) AS lo, max(ended_at) AS hi
      FROM call_record
      WHERE tenant_id = ? AND batch_id = ? AND started_at BETWEEN ? AND ?
        AND trunk IS NOT NULL AND number_pseudonym IS NOT NULL
      GROUP BY %1$s
      """.formatted(GROUP);

  private static final String WIDEN = """
      UPDATE stitch_group g SET lo = x.lo, hi = x.hi
      FROM (
        SELECT g.pbx_id, g.direction, g.trunk, g.number_pseudonym,
               least(g.lo, min(c.started_at)) AS lo, greatest(g.hi, max(c.ended_at)) AS hi
        FROM stitch_group g JOIN call c ON c.tenant_id = ? AND %s
         AND c.started_at <= g.hi + ? * interval '1 second'
         AND c.ended_at >= g.lo - ? * interval '1 second'
        GROUP BY g.pbx_id, g.direction, g.trunk, g.number_pseudonym, g.lo, g.hi
      ) x
      WHERE g.pbx_id = x.pbx_id AND g.direction = x.direction AND g.trunk = x.trunk
        AND g.number_pseudonym = x.number_pseudonym AND (x.lo < g.lo OR x.hi > g.hi)
      """.formatted(SAME_GROUP);

  private static final String DELETE = """
      DELETE FROM call c USING stitch_group g
      WHERE c.tenant_id = ? AND %s AND c.started_at BETWEEN g.lo AND g.hi
      """.formatted(SAME_GROUP);

  private static final String CALL_COLUMNS = "tenant_id, id, pbx_id, direction, started_at,"
      + " ended_at, answered, time_to_answer_seconds, ring_seconds, talk_seconds, cost,"
      + " number_pseudonym, number_last4, trunk, initial_target, answering_extension,"
      + " leg_count, leg_ids, stitched_at";

  private static final String REBUILD = """
      INSERT INTO call (%s)
      WITH legs AS (
        SELECT c.* FROM stitch_group g JOIN call_record c ON c.tenant_id = ? AND %s
         AND c.started_at BETWEEN g.lo AND g.hi
      ), marked AS (
        SELECT *, CASE WHEN abs(extract(epoch FROM started_at - lag(ended_at) OVER w)) <= ?
                       THEN 0 ELSE 1 END AS new_call
        FROM legs WINDOW w AS (PARTITION BY %s ORDER BY started_at, id)
      ), chained AS (
        SELECT *, sum(new_call) OVER (PARTITION BY %3$s ORDER BY started_at, id) AS chain
        FROM marked
      ), ranked AS (
        SELECT *, sum(ring_seconds) OVER (PARTITION BY %3$s, chain ORDER BY started_at, id)
                    AS ring_until
        FROM chained
      )
      SELECT ?, (array_agg(id ORDER BY started_at, id))[1], pbx_id, direction,
             min(started_at), max(ended_at), bool_or(answered),
             min(ring_until) FILTER (WHERE answered), sum(ring_seconds), sum(talk_seconds),
             sum(cost), number_pseudonym, (array_agg(number_last4 ORDER BY started_at, id))[1],
             trunk, (array_agg(initial_target ORDER BY started_at, id))[1],
             (array_agg(extension ORDER BY started_at, id) FILTER (WHERE answered))[1],
             count(*), array_agg(id ORDER BY started_at, id), ?
      FROM ranked GROUP BY %3$s, chain
      """.formatted(CALL_COLUMNS, SAME_GROUP, GROUP);

  private static final String SINGLE_LEGS = """
      INSERT INTO call (%s)
      SELECT tenant_id, id, pbx_id, direction, started_at, ended_at, answered,
             CASE WHEN answered THEN ring_seconds END, ring_seconds, talk_seconds, cost,
             number_pseudonym, number_last4, trunk, initial_target,
             CASE WHEN answered THEN extension END, 1, ARRAY[id], ?
      FROM call_record
      WHERE tenant_id = ? AND batch_id = ? AND started_at BETWEEN ? AND ?
        AND (trunk IS NULL OR number_pseudonym IS NULL)
      ON CONFLICT DO NOTHING
      """.formatted(CALL_COLUMNS);

  private final DataSource dataSource;
  private final Duration tolerance;
  private final Clock clock;

  public Stitcher(DataSource dataSource, Duration tolerance, Clock clock) {
    this.dataSource = dataSource;
    this.tolerance = tolerance;
    this.clock = clock;
  }

  /** An ingest batch waiting to be stitched. */
  private record Batch(long id, long tenantId, Timestamp minStarted, Timestamp maxStarted) {}

  /** Stitches every batch waiting; returns how many were stitched. */
  public int stitchPending() throws SQLException {
    int total = 0;
    while (true) {
      List<Batch> batches = pending();
      for (Batch batch : batches) {
        stitch(batch);
      }
      total += batches.size();
      if (batches.size() < BATCHES_PER_ROUND) {
        return total;
      }
    }
  }

  private List<Batch> pending() throws SQLException {
    try (Connection connection = dataSource.getConnection();
        PreparedStatement select = connection.prepareStatement(
            "SELECT id, tenant_id, min_started, max_started FROM ingest_batch"
                + " WHERE stitched_at IS NULL ORDER BY id LIMIT " + BATCHES_PER_ROUND);
        ResultSet rows = select.executeQuery()) {
      List<Batch> batches = new ArrayList<>();
      while (rows.next()) {
        batches.add(new Batch(rows.getLong(1), rows.getLong(2), rows.getTimestamp(3),
            rows.getTimestamp(4)));
      }
      return batches;
    }
  }

  private void stitch(Batch batch) throws SQLException {
    try (Connection connection = dataSource.getConnection()) {
      connection.setAutoCommit(false);
      try {
        if (lock(connection, batch)) {
          stitch(connection, batch);
        }
        connection.commit();
      } catch (SQLException | RuntimeException e) {
        connection.rollback();
        throw e;
      }
    }
  }

  /** Takes the tenant's lock; returns false when another stitcher already did this batch. */
  private static boolean lock(Connection connection, Batch batch) throws SQLException {
    try (PreparedStatement lock = connection.prepareStatement("SELECT pg_advisory_xact_lock(?)")) {
      lock.setLong(1, LOCK_BASE + batch.tenantId());
      lock.execute();
    }
    try (PreparedStatement check = connection.prepareStatement(
        "SELECT 1 FROM ingest_batch WHERE id = ? AND stitched_at IS NULL")) {
      check.setLong(1, batch.id());
      try (ResultSet rows = check.executeQuery()) {
        return rows.next();
      }
    }
  }

  private void stitch(Connection connection, Batch batch) throws SQLException {
    Timestamp now = Timestamp.from(clock.instant());
    double toleranceSeconds = tolerance.toMillis() / 1000.0;
    try (PreparedStatement groups = connection.prepareStatement(GROUPS)) {
      setBatch(groups, 1, batch);
      groups.execute();
    }
    // Without statistics the planner guesses the size of the new table and may hash-join it
    // with every call and leg of the tenant instead of looking each group up by number.
    try (Statement analyze = connection.createStatement()) {
      analyze.execute("ANALYZE stitch_group");
    }
    widen(connection, batch, toleranceSeconds);
    try (PreparedStatement delete = connection.prepareStatement(DELETE)) {
      delete.setLong(1, batch.tenantId());
      delete.executeUpdate();
    }
    try (PreparedStatement rebuild = connection.prepareStatement(REBUILD)) {
      rebuild.setLong(1, batch.tenantId());
      rebuild.setDouble(2, toleranceSeconds);
      rebuild.setLong(3, batch.tenantId());
      rebuild.setTimestamp(4, now);
      rebuild.executeUpdate();
    }
    try (PreparedStatement single = connection.prepareStatement(SINGLE_LEGS)) {
      single.setTimestamp(1, now);
      setBatch(single, 2, batch);
      single.executeUpdate();
    }
    try (PreparedStatement done = connection.prepareStatement(
        "UPDATE ingest_batch SET stitched_at = ? WHERE id = ?")) {
      done.setTimestamp(1, now);
      done.setLong(2, batch.id());
      done.executeUpdate();
    }
    try (Statement drop = connection.createStatement()) {
      drop.execute("DROP TABLE stitch_group");
    }
  }

  /** Widens each group's range over the calls that touch it, until none does. */
  private static void widen(Connection connection, Batch batch, double toleranceSeconds)
      throws SQLException {
    try (PreparedStatement widen = connection.prepareStatement(WIDEN)) {
      widen.setLong(1, batch.tenantId());
      widen.setDouble(2, toleranceSeconds);
      widen.setDouble(3, toleranceSeconds);
      for (int round = 0; round < MAX_WIDENINGS; round++) {
        if (widen.executeUpdate() == 0) {
          return;
        }
      }
      // Limitation: see docs/known-limitations.md#stitch-long-chains
      log.warn("Tenant {} batch {}: stitching range still growing after {} rounds; calls of"
          + " this batch may be split", batch.tenantId(), batch.id(), MAX_WIDENINGS);
    }
  }

  private static void setBatch(PreparedStatement statement, int first, Batch batch)
      throws SQLException {
    statement.setLong(first, batch.tenantId());
    statement.setLong(first + 1, batch.id());
    statement.setTimestamp(first + 2, batch.minStarted());
    statement.setTimestamp(first + 3, batch.maxStarted());
  }
}
