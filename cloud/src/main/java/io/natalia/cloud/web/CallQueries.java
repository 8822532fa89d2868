package io.natalia.cloud.web;

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * The dashboard's reads of stitched calls (table {@code call}) and their legs
 * ({@code call_record}): the call log, one call, the missed calls and their callbacks.
 *
 * <p>Every query filters on the tenant and on a range of {@code started_at}, so PostgreSQL
 * reads only the month partitions of the range, through the primary key
 * {@code (tenant_id, started_at, id)}. The call log pages by key (the last row's start and id),
 * which costs the same on page 1 and page 1000. Thread-safe.
 */
final class CallQueries {
  private static final String CALL_COLUMNS = "id, started_at, direction, answered, number_last4,"
      + " trunk, initial_target, answering_extension, time_to_answer_seconds, talk_seconds,"
      + " cost, leg_count, ended_at, ring_seconds";

  private final DataSource dataSource;

  CallQueries(DataSource dataSource) {
    this.dataSource = dataSource;
  }

  /**
   * A stitched call.
   *
   * @param timeToAnswerSeconds null when missed
   * @param cost null when the PBX sent none
   */
  public record CallRow(String id, Instant startedAt, Instant endedAt, String direction,
      boolean answered, String last4, String trunk, String initialTarget, String extension,
      Integer timeToAnswerSeconds, int ringSeconds, int talkSeconds, BigDecimal cost,
      int legCount) {}

  /** One page of rows and the cursor of the next page, null on the last page. */
  public record Page<T>(List<T> rows, String nextCursor) {}

  /** A PBX ticket of a call, with the PBX's own record (numbers pseudonymised). */
  public record Leg(String id, String pbxId, Long ticketId, Instant startedAt,
      String extension, String extensionName, String initialTarget, String trunk,
      int ringSeconds, int talkSeconds, boolean answered, BigDecimal cost, String businessCode,
      String rawJson) {}

  /** A call and its legs in start order. */
  public record CallDetail(CallRow call, List<Leg> legs, boolean hasNumber) {}

  /**
   * A missed call and what became of it.
   *
   * @param callbackAt start of the first callback or answered call-in of the same number
   *     within the window, null when none (yet)
   * @param callbackDirection {@code outgoing} (we called back) or {@code incoming} (they
   *     called again and were answered), null when none
   */
  public record MissedCall(CallRow call, Instant callbackAt, String callbackDirection,
      boolean callbackAnswered) {}

  /**
   * Returns a page of calls, newest first.
   *
   * @param cursor null for the first page, else the {@code nextCursor} of the previous page
   */
  Page<CallRow> calls(long tenantId, DateRange range, CallFilter filter, String cursor,
      int limit) throws SQLException {
    Sql sql = new Sql("SELECT " + CALL_COLUMNS + " FROM call WHERE tenant_id = ?"
        + " AND started_at >= ? AND started_at < ?", tenantId, range.from(), range.to());
    filter.apply(sql);
    if (cursor != null) {
      Cursor after = Cursor.parse(cursor);
      sql.and("(started_at, id) < (?, ?)", after.startedAt, after.id);
    }
    sql.append("ORDER BY started_at DESC, id DESC LIMIT ?", limit + 1);
    List<CallRow> rows = new ArrayList<>();
    try (Connection connection = dataSource.getConnection();
        PreparedStatement statement = sql.prepare(connection);
        ResultSet result = statement.executeQuery()) {
      while (result.next()) {
        rows.add(callRow(result));
      }
    }
    if (rows.size() <= limit) {
      return new Page<>(rows, null);
    }
    rows.remove(limit);
    CallRow last = rows.get(limit - 1);
    return new Page<>(rows, new Cursor(last.startedAt(), last.id()).text());
  }

  /** Passes every call of a range and filter to {@code sink}, oldest first, streamed. */
  void eachCall(long tenantId, DateRange range, CallFilter filter, RowSink<CallRow> sink)
      throws SQLException, java.io.IOException {
    Sql sql = new Sql("SELECT " + CALL_COLUMNS + " FROM call WHERE tenant_id = ?"
        + " AND started_at >= ? AND started_at < ?", tenantId, range.from(), range.to());
    filter.apply(sql);
    sql.append("ORDER BY started_at, id");
    try (Connection connection = dataSource.getConnection()) {
      // A cursor instead of the whole result in memory: exports have millions of rows.
      connection.setAutoCommit(false);
      try (PreparedStatement statement = sql.prepare(connection)) {
        statement.setFetchSize(2000);
        try (ResultSet result = statement.executeQuery()) {
          while (result.next()) {
            sink.accept(callRow(result));
          }
        }
      } finally {
        connection.rollback();
      }
    }
  }

  /** Receives rows one by one; may fail with an I/O error of the response. */
  @FunctionalInterface
  interface RowSink<T> {
    void accept(T row) throws java.io.IOException;
  }

  /** Returns a call and its legs; {@code startedAt} finds its partition. */
  Optional<CallDetail> call(long tenantId, String id, Instant startedAt) throws SQLException {
    try (Connection connection = dataSource.getConnection()) {
      CallRow call;
      String[] legIds;
      boolean hasNumber;
      try (PreparedStatement select = connection.prepareStatement("SELECT " + CALL_COLUMNS
          + ", leg_ids, number_pseudonym IS NOT NULL FROM call"
          + " WHERE tenant_id = ? AND started_at = ? AND id = ?")) {
        select.setLong(1, tenantId);
        select.setTimestamp(2, Timestamp.from(startedAt));
        select.setString(3, id);
        try (ResultSet rows = select.executeQuery()) {
          if (!rows.next()) {
            return Optional.empty();
          }
          call = callRow(rows);
          legIds = (String[]) rows.getArray(15).getArray();
          hasNumber = rows.getBoolean(16);
        }
      }
      return Optional.of(new CallDetail(call, legs(connection, tenantId, call, legIds),
          hasNumber));
    }
  }

  private static List<Leg> legs(Connection connection, long tenantId, CallRow call,
      String[] legIds) throws SQLException {
    try (PreparedStatement select = connection.prepareStatement(
        "SELECT id, pbx_id, ticket_id, started_at, extension, extension_name, initial_target,"
            + " trunk, ring_seconds, talk_seconds, answered, cost, business_code, raw::text"
            + " FROM call_record WHERE tenant_id = ? AND id = ANY (?)"
            + " AND started_at >= ? AND started_at <= ? ORDER BY started_at, id")) {
      select.setLong(1, tenantId);
      select.setArray(2, connection.createArrayOf("text", legIds));
      select.setTimestamp(3, Timestamp.from(call.startedAt()));
      select.setTimestamp(4, Timestamp.from(call.endedAt()));
      try (ResultSet rows = select.executeQuery()) {
        List<Leg> legs = new ArrayList<>();
        while (rows.next()) {
          long ticket = rows.getLong(3);
          legs.add(new Leg(rows.getString(1), rows.getString(2),
              rows.wasNull() ? null : ticket, rows.getTimestamp(4).toInstant(),
              rows.getString(5), rows.getString(6), rows.getString(7), rows.getString(8),
              rows.getInt(9), rows.getInt(10), rows.getBoolean(11), rows.getBigDecimal(12),
              rows.getString(13), rows.getString(14)));
        }
        return legs;
      }
    }
  }

  /**
   * Returns the sealed full number of a call (from its first leg), for the audited reveal;
   * empty when the call has none.
   */
  Optional<byte[]> numberCipher(long tenantId, String id, Instant startedAt)
      throws SQLException {
    try (Connection connection = dataSource.getConnection();
        PreparedStatement select = connection.prepareStatement(
            "SELECT number_cipher FROM call_record WHERE tenant_id = ? AND started_at = ?"
                + " AND id = ? AND number_cipher IS NOT NULL")) {
      select.setLong(1, tenantId);
      select.setTimestamp(2, Timestamp.from(startedAt));
      select.setString(3, id);
      try (ResultSet rows = select.executeQuery()) {
        return rows.next() ? Optional.of(rows.getBytes(1)) : Optional.empty();
      }
    }
  }

  /**
   * Returns the missed incoming calls of a range with their callback, the unreturned ones
   * first, then newest first.
   *
   * @param callbackWindow how long after a missed call a callback still counts
   * @param limit most rows returned
   */
  List<MissedCall> missed(long tenantId, DateRange range, Duration callbackWindow, int limit)
      throws SQLException {
    String sql = "SELECT " + prefixed("m") + ", cb.started_at, cb.direction, cb.answered"
        + " FROM call m LEFT JOIN LATERAL ("
        + "   SELECT c.started_at, c.direction, c.answered FROM call c"
        + "   WHERE c.tenant_id = m.tenant_id AND c.number_pseudonym = m.number_pseudonym"
        + "     AND c.started_at > m.started_at"
        + "     AND c.started_at <= m.started_at + make_interval(secs => ?)"
        + "     AND (c.direction = 'outgoing' OR (c.direction = 'incoming' AND c.answered))"
        + "   ORDER BY c.started_at LIMIT 1) cb ON true"
        + " WHERE m.tenant_id = ? AND m.started_at >= ? AND m.started_at < ?"
        + "   AND m.direction = 'incoming' AND NOT m.answered"
        + " ORDER BY cb.started_at IS NOT NULL, m.started_at DESC, m.id DESC LIMIT ?";
    try (Connection connection = dataSource.getConnection();
        PreparedStatement select = new Sql(sql, callbackWindow.toSeconds(), tenantId,
            range.from(), range.to(), limit).prepare(connection);
        ResultSet rows = select.executeQuery()) {
      List<MissedCall> missed = new ArrayList<>();
      while (rows.next()) {
        Timestamp callback = rows.getTimestamp(15);
        missed.add(new MissedCall(callRow(rows), callback == null ? null : callback.toInstant(),
            rows.getString(16), rows.getBoolean(17)));
      }
      return missed;
    }
  }

  private static String prefixed(String alias) {
    return alias + "." + CALL_COLUMNS.replace(", ", ", " + alias + ".");
  }

  private static CallRow callRow(ResultSet rows) throws SQLException {
    int timeToAnswer = rows.getInt(9);
    Integer timeToAnswerSeconds = rows.wasNull() ? null : timeToAnswer;
    return new CallRow(rows.getString(1), rows.getTimestamp(2).toInstant(),
        rows.getTimestamp(13).toInstant(), rows.getString(3), rows.getBoolean(4),
        rows.getString(5), rows.getString(6), rows.getString(7), rows.getString(8),
        timeToAnswerSeconds, rows.getInt(14), rows.getInt(10), rows.getBigDecimal(11),
        rows.getInt(12));
  }

  /** Where a page of the call log starts: after the call with this start and id. */
  record Cursor(Instant startedAt, String id) {
    static Cursor parse(String text) {
      int bar = text.indexOf('~');
      try {
        return new Cursor(Instant.ofEpochSecond(0, Long.parseLong(text.substring(0, bar))),
            text.substring(bar + 1));
      } catch (RuntimeException e) {
        throw new IllegalArgumentException("after is not a page cursor: '" + text + "'", e);
      }
    }

    String text() {
      long nanos = startedAt.getEpochSecond() * 1_000_000_000L + startedAt.getNano();
      return nanos + "~" + id;
    }
  }
}
