package io.natalia.cloud.retention;

import io.natalia.cloud.store.Partitions;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Removes what is older than each tenant's retention: records, calls, their ids, quarantined
 * records. The quarter-hour sums of the calls ({@code call_rollup}) follow the deleted calls
 * through the triggers of {@code call}, and the dropped months here.
 *
 * <p>Partitions hold every tenant's rows of a month, so a month is dropped whole (instant, no
 * dead rows left behind) once it is past the cutoff of every tenant; otherwise the rows of the
 * tenants past their cutoff are deleted. Run daily; running it more often is harmless.
 */
public final class Retention {
  private static final Logger log = LoggerFactory.getLogger(Retention.class);
  private static final Pattern PARTITION = Pattern.compile("call_record_p(\\d{4})_(\\d{2})");
  /** Stitched batches are kept this long for troubleshooting. */
  private static final Duration BATCH_HISTORY = Duration.ofDays(7);

  private final DataSource dataSource;
  private final Partitions partitions;
  private final Clock clock;

  public Retention(DataSource dataSource, Partitions partitions, Clock clock) {
    this.dataSource = dataSource;
    this.partitions = partitions;
    this.clock = clock;
  }

  /**
   * Outcome of one run.
   *
   * @param droppedMonths months whose partitions were dropped
   * @param deletedRecords records deleted row by row
   */
  public record Result(List<YearMonth> droppedMonths, long deletedRecords) {}

  /** Removes everything past retention, now. */
  public Result runOnce() throws SQLException {
    Instant now = clock.instant();
    try (Connection connection = dataSource.getConnection()) {
      connection.setAutoCommit(true);
      Map<Long, Instant> cutoffs = cutoffs(connection, now);
      if (cutoffs.isEmpty()) {
        return new Result(List.of(), 0);
      }
      Instant earliestCutoff = cutoffs.values().stream().min(Instant::compareTo).orElseThrow();
      List<YearMonth> dropped = dropMonthsBefore(connection, earliestCutoff);
      long deleted = 0;
      for (Map.Entry<Long, Instant> tenant : cutoffs.entrySet()) {
        deleted += deleteBefore(connection, tenant.getKey(), tenant.getValue());
      }
      cleanBatches(connection, now.minus(BATCH_HISTORY));
      if (!dropped.isEmpty() || deleted > 0) {
        log.info("Retention: dropped months {}, deleted {} records past retention", dropped,
            deleted);
      }
      return new Result(dropped, deleted);
    }
  }

  private static Map<Long, Instant> cutoffs(Connection connection, Instant now)
      throws SQLException {
    Map<Long, Instant> cutoffs = new LinkedHashMap<>();
    try (Statement select = connection.createStatement();
        ResultSet rows = select.executeQuery("SELECT id, retention_days FROM tenant")) {
      while (rows.next()) {
        cutoffs.put(rows.getLong(1), now.minus(Duration.ofDays(rows.getInt(2))));
      }
    }
    return cutoffs;
  }

  private List<YearMonth> dropMonthsBefore(Connection connection, Instant cutoff)
      throws SQLException {
    List<YearMonth> dropped = new ArrayList<>();
    for (YearMonth month : months(connection)) {
      Instant end = month.plusMonths(1).atDay(1).atStartOfDay().toInstant(ZoneOffset.UTC);
      if (end.isAfter(cutoff)) {
        continue;
      }
      // The trunk sums keep each call's end in the quarter hour it ended in. So the calls of
      // this month still in progress at its end are deleted row by row: their triggers then
      // take those ends out of the next month's sums.
      try (PreparedStatement straddling = connection.prepareStatement("DELETE FROM call"
          + " WHERE trunk IS NOT NULL AND started_at < ? AND tstzrange(started_at,"
          + " greatest(started_at, ended_at), '[]') @> ?::timestamptz")) {
        straddling.setTimestamp(1, Timestamp.from(end));
        straddling.setTimestamp(2, Timestamp.from(end));
        straddling.executeUpdate();
      }
      try (Statement drop = connection.createStatement()) {
        for (String table : Partitions.TABLES) {
          drop.execute("DROP TABLE IF EXISTS " + Partitions.name(table, month));
        }
      }
      partitions.forget(month);
      dropped.add(month);
      // Dropping a partition fires no trigger, so the sums of its calls are deleted here.
      for (String sql : new String[] {"DELETE FROM call_record_key WHERE started_at < ?",
          "SELECT natalia_call_rollup_forget(?)"}) {
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
          statement.setTimestamp(1, Timestamp.from(end));
          statement.execute();
        }
      }
    }
    return dropped;
  }

  private static List<YearMonth> months(Connection connection) throws SQLException {
    List<YearMonth> months = new ArrayList<>();
    try (Statement select = connection.createStatement();
        ResultSet rows = select.executeQuery("SELECT c.relname FROM pg_inherits i"
            + " JOIN pg_class c ON c.oid = i.inhrelid"
            + " WHERE i.inhparent = 'call_record'::regclass ORDER BY c.relname")) {
      while (rows.next()) {
        Matcher name = PARTITION.matcher(rows.getString(1));
        if (name.matches()) {
          months.add(YearMonth.of(Integer.parseInt(name.group(1)),
              Integer.parseInt(name.group(2))));
        }
      }
    }
    return months;
  }

  // Limitation: see docs/known-limitations.md#retention-straddling-calls
  private static long deleteBefore(Connection connection, long tenantId, Instant cutoff)
      throws SQLException {
    long records = 0;
    for (String table : new String[] {"call_record", "call", "call_record_key"}) {
      try (PreparedStatement delete = connection.prepareStatement(
          "DELETE FROM " + table + " WHERE tenant_id = ? AND started_at < ?")) {
        delete.setLong(1, tenantId);
        delete.setTimestamp(2, Timestamp.from(cutoff));
        int count = delete.executeUpdate();
        if (table.equals("call_record")) {
          records = count;
        }
      }
    }
    try (PreparedStatement delete = connection.prepareStatement(
        "DELETE FROM quarantine WHERE tenant_id = ? AND received_at < ?")) {
      delete.setLong(1, tenantId);
      delete.setTimestamp(2, Timestamp.from(cutoff));
      delete.executeUpdate();
    }
    return records;
  }

  private static void cleanBatches(Connection connection, Instant before) throws SQLException {
    try (PreparedStatement delete = connection.prepareStatement(
        "DELETE FROM ingest_batch WHERE stitched_at < ?")) {
      delete.setTimestamp(1, Timestamp.from(before));
      delete.executeUpdate();
    }
  }
}
