package io.natalia.cloud.analytics;

import java.math.BigDecimal;
import java.sql.ResultSet;
import java.sql.SQLException;

/**
 * The figures of one bucket of a range, as the figure queries of {@link Analytics} and
 * {@link Rollups} return them: one row of 14 columns in this order.
 *
 * @param bucket 1-based index of the bucket in the series, 0 for a summary
 */
record Figures(int bucket, long calls, long incoming, long answered, long missed,
    long unreturned, long outgoing, long internal, Double avgTimeToAnswer,
    Integer p90TimeToAnswer, long talkSeconds, Double avgTalk, BigDecimal cost,
    long tickets) {
  static final Figures EMPTY = new Figures(0, 0, 0, 0, 0, 0, 0, 0, null, null, 0, null,
      BigDecimal.ZERO, 0);

  static Figures read(ResultSet rows) throws SQLException {
    return new Figures(rows.getInt(1), rows.getLong(2), rows.getLong(3), rows.getLong(4),
        rows.getLong(5), rows.getLong(6), rows.getLong(7), rows.getLong(8),
        doubleOrNull(rows, 9), (Integer) rows.getObject(10), rows.getLong(11),
        doubleOrNull(rows, 12), rows.getBigDecimal(13), rows.getLong(14));
  }

  Figures withP90TimeToAnswer(Integer seconds) {
    return new Figures(bucket, calls, incoming, answered, missed, unreturned, outgoing,
        internal, avgTimeToAnswer, seconds, talkSeconds, avgTalk, cost, tickets);
  }

  static Double doubleOrNull(ResultSet rows, int column) throws SQLException {
    double value = rows.getDouble(column);
    return rows.wasNull() ? null : value;
  }
}
