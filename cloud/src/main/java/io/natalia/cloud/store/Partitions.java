package io.natalia.cloud.store;

import java.sql.Connection;
import java.sql.Date;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.YearMonth;
import java.util.Collection;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import javax.sql.DataSource;

/**
 * The monthly partitions of {@code call_record} and {@code call} (UTC months), created before
 * the first row of a month arrives. Remembers the months it made sure of. Thread-safe.
 */
public final class Partitions {
  /** Tables partitioned by month of {@code started_at}. */
  public static final String[] TABLES = {"call_record", "call"};

  private final DataSource dataSource;
  private final Set<YearMonth> ensured = ConcurrentHashMap.newKeySet();

  public Partitions(DataSource dataSource) {
    this.dataSource = dataSource;
  }

  /** Creates the partitions of these months that do not exist yet, each in its own commit. */
  public void ensure(Collection<YearMonth> months) throws SQLException {
    for (YearMonth month : months) {
      if (!ensured.contains(month)) {
        create(month);
        ensured.add(month);
      }
    }
  }

  /** Forgets a month whose partitions were dropped, so that they are created again if needed. */
  public void forget(YearMonth month) {
    ensured.remove(month);
  }

  /** Returns the partition name of a table for a month: {@code call_record_p2026_05}. */
  public static String name(String table, YearMonth month) {
    return String.format("%s_p%04d_%02d", table, month.getYear(), month.getMonthValue());
  }

  private void create(YearMonth month) throws SQLException {
    try (Connection connection = dataSource.getConnection();
        PreparedStatement ensure = connection.prepareStatement(
            "SELECT natalia_ensure_month_partition(?, ?)")) {
      connection.setAutoCommit(true);
      for (String table : TABLES) {
        ensure.setString(1, table);
        ensure.setDate(2, Date.valueOf(month.atDay(1)));
        ensure.execute();
      }
    }
  }
}
