package io.natalia.cloud.web;

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * The dashboard's reads of one stitched call (table {@code call}) with its legs
 * ({@code call_record}) and the PBX's records, and of the sealed number an audited reveal
 * opens. The call's start comes with its id, so PostgreSQL reads one month partition through
 * the primary key {@code (tenant_id, started_at, id)}. Thread-safe.
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

  /** A PBX ticket of a call, with the PBX's own record (numbers pseudonymised). */
  public record Leg(String id, String pbxId, Long ticketId, Instant startedAt,
      String extension, String extensionName, String initialTarget, String trunk,
      int ringSeconds, int talkSeconds, boolean answered, BigDecimal cost, String businessCode,
      String rawJson) {}

  /** A call and its legs in start order. */
  public record CallDetail(CallRow call, List<Leg> legs, boolean hasNumber) {}

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

  private static CallRow callRow(ResultSet rows) throws SQLException {
    int timeToAnswer = rows.getInt(9);
    Integer timeToAnswerSeconds = rows.wasNull() ? null : timeToAnswer;
    return new CallRow(rows.getString(1), rows.getTimestamp(2).toInstant(),
        rows.getTimestamp(13).toInstant(), rows.getString(3), rows.getBoolean(4),
        rows.getString(5), rows.getString(6), rows.getString(7), rows.getString(8),
        timeToAnswerSeconds, rows.getInt(14), rows.getInt(10), rows.getBigDecimal(11),
        rows.getInt(12));
  }
}
