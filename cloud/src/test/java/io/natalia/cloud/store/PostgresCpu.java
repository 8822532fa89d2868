package io.natalia.cloud.store;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import javax.sql.DataSource;

/** The CPU time of an embedded PostgreSQL's processes, for the benchmarks (Linux only). */
public final class PostgresCpu {
  private PostgresCpu() {}

  /**
   * Returns the CPU seconds used so far by the postmaster of {@code dataSource}'s server and
   * its children that are still running, read from /proc.
   */
  public static double seconds(DataSource dataSource) throws SQLException, IOException {
    String dataDirectory;
    try (Connection connection = dataSource.getConnection();
        Statement statement = connection.createStatement();
        ResultSet rows = statement.executeQuery("SELECT current_setting('data_directory')")) {
      rows.next();
      dataDirectory = rows.getString(1);
    }
    long postmaster = Long.parseLong(
        Files.readAllLines(Path.of(dataDirectory, "postmaster.pid")).get(0).strip());
    long ticks = ticks(postmaster);
    for (ProcessHandle child : ProcessHandle.of(postmaster).orElseThrow().children().toList()) {
      ticks += ticks(child.pid());
    }
    return ticks / 100.0;
  }

  /**
   * Returns the user and system CPU ticks of a process, or 0 when it has ended. Assumes 100
   * ticks a second, the Linux default (getconf CLK_TCK).
   */
  private static long ticks(long pid) {
    try {
      String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
      String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
      return Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
    } catch (IOException e) {
      return 0;
    }
  }
}
