package io.natalia.cloud.analytics;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import org.postgresql.copy.CopyOut;

/**
 * Reads the calls of a {@code COPY ... TO STDOUT} in PostgreSQL's text format and passes each
 * to a visitor as {@link CallColumns}: one line per call, columns separated by tabs,
 * {@code \N} for null, and a backslash before a backslash, tab, newline or other control
 * character inside a value. The columns are those of {@code Analytics.COPY_COLUMNS}, with
 * times in UTC ({@code 2026-03-29 08:31:12.5+00}).
 *
 * <p>PostgreSQL sends each row of a COPY as one CopyData message (the protocol documentation,
 * "Message Formats": "Messages sent from the backend will always correspond to single data
 * rows"), so each row is parsed in the array the driver returns, without searching for line
 * ends or copying it.
 */
final class CopyRows {
  private CopyRows() {}

  /**
   * Visits every row of a started COPY. When the visitor fails (the client went away), it
   * reads the rest of the COPY without visiting it and then throws: pgjdbc 42.7's
   * {@code cancelCopy}, which {@code CopyManager.copyOut} calls, leaves the connection out of
   * step with the server, and the next statement on it fails.
   *
   * @return how many calls were visited
   */
  static long read(CopyOut copy, Analytics.CallColumnsVisitor visitor)
      throws SQLException, IOException {
    CallColumns columns = new CallColumns();
    long count = 0;
    try {
      for (byte[] row; (row = copy.readFromCopy()) != null; count++) {
        columns.read(row, lineLength(row));
        visitor.visit(columns);
      }
      return count;
    } catch (IOException | RuntimeException e) {
      // Limitation: see docs/known-limitations.md#export-client-gone
      drain(copy, e);
      throw e;
    }
  }

  /** Returns the length of a row without its line end, after checking that it has one. */
  private static int lineLength(byte[] row) {
    if (row.length == 0 || row[row.length - 1] != '\n') {
      throw new IllegalStateException("a COPY message does not end with a line end: "
          + new String(row, 0, Math.min(row.length, 200), StandardCharsets.UTF_8));
    }
    return row.length - 1;
  }

  private static void drain(CopyOut copy, Exception failure) {
    try {
      while (copy.readFromCopy() != null) {
        // Dropped, because the export has no reader any more.
      }
    } catch (SQLException e) {
      failure.addSuppressed(e);
    }
  }
}
