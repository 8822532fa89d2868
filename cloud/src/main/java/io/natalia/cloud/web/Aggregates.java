package io.natalia.cloud.web;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.ZonedDateTime;
import javax.sql.DataSource;

/**
 * The two sums of the overview that the analytics query layer does not offer: incoming calls
 * per local weekday and hour, and answered calls per time-to-answer bucket. Computed by
 * PostgreSQL over stitched calls ({@code call}) so that only the counts cross the wire.
 * Thread-safe.
 */
final class Aggregates {
  private static final String IN_RANGE =
      " WHERE tenant_id = ? AND started_at >= ? AND started_at < ?";

  private final DataSource dataSource;

  Aggregates(DataSource dataSource) {
    this.dataSource = dataSource;
  }

  /**
   * Returns incoming calls per local weekday (0 = Monday) and hour: {@code [7][24]}.
   *
   * <p>PostgreSQL counts per UTC quarter of an hour ({@code date_bin}, about 3 times faster than
   * converting each row to local time); each quarter then goes to its local weekday and hour.
   * Every time zone's offset is a whole number of quarters, so no quarter straddles two local
   * hours.
   */
  long[][] weekdayHourHeatmap(long tenantId, DateRange range) throws SQLException {
    Sql sql = new Sql("SELECT date_bin('15 minutes', started_at, timestamptz"
        + " '2000-01-01 00:00:00+00'), count(*) FROM call" + IN_RANGE
        + " AND direction = 'incoming' GROUP BY 1", tenantId, range.from(), range.to());
    long[][] counts = new long[7][24];
    try (Connection connection = dataSource.getConnection();
        PreparedStatement select = sql.prepare(connection);
        ResultSet rows = select.executeQuery()) {
      while (rows.next()) {
        ZonedDateTime local = rows.getTimestamp(1).toInstant().atZone(range.zone());
        counts[local.getDayOfWeek().getValue() - 1][local.getHour()] += rows.getLong(2);
      }
    }
    return counts;
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
}
