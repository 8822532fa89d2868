package io.natalia.cloud.web;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;

/**
 * Reads for the health, admin and audit pages: agents and PBXs, users, audit entries and the
 * notices to admins; and writes those notices. Thread-safe.
 */
final class AdminQueries {
  private final DataSource dataSource;

  AdminQueries(DataSource dataSource) {
    this.dataSource = dataSource;
  }

  /**
   * An agent as it last reported itself.
   *
   * @param healthJson the {@code agent} object of its last ingest
   */
  record AgentRow(String host, String version, Instant lastSeen, String keyPrefix,
      String healthJson) {}

  /** A PBX and the freshness of its records. */
  record PbxRow(String pbxId, String type, String timeZone, Instant lastSeen,
      Instant lastRecord, String agentHost) {}

  /** A user of the tenant. */
  record UserRow(long id, String email, String role, boolean disabled, Instant lastLogin,
      Instant created) {}

  /** An audit entry. */
  record AuditRow(long id, Instant at, String actor, String action, String target,
      String detailsJson) {}

  /** A notice to the tenant's admins. */
  record Notice(Instant at, String kind, String message) {}

  List<AgentRow> agents(long tenantId) throws SQLException {
    String sql = "SELECT a.host, a.version, a.last_seen_at, k.prefix, a.health::text"
        + " FROM agent a JOIN api_key k ON k.id = a.api_key_id WHERE a.tenant_id = ?"
        + " ORDER BY a.host, a.id";
    List<AgentRow> result = new ArrayList<>();
    try (Connection connection = dataSource.getConnection();
        PreparedStatement select = new Sql(sql, tenantId).prepare(connection);
        ResultSet rows = select.executeQuery()) {
      while (rows.next()) {
        result.add(new AgentRow(rows.getString(1), rows.getString(2), instant(rows, 3),
            rows.getString(4), rows.getString(5)));
      }
    }
    return result;
  }

  List<PbxRow> pbxs(long tenantId) throws SQLException {
    String sql = "SELECT p.pbx_id, p.type, p.time_zone, p.last_seen_at, p.last_record_at,"
        + " a.host FROM pbx p LEFT JOIN agent a ON a.id = p.agent_id WHERE p.tenant_id = ?"
        + " ORDER BY p.pbx_id";
    List<PbxRow> result = new ArrayList<>();
    try (Connection connection = dataSource.getConnection();
        PreparedStatement select = new Sql(sql, tenantId).prepare(connection);
        ResultSet rows = select.executeQuery()) {
      while (rows.next()) {
        result.add(new PbxRow(rows.getString(1), rows.getString(2), rows.getString(3),
            instant(rows, 4), instant(rows, 5), rows.getString(6)));
      }
    }
    return result;
  }

  List<UserRow> users(long tenantId) throws SQLException {
    String sql = "SELECT id, email, role, disabled, last_login_at, created_at FROM app_user"
        + " WHERE tenant_id = ? ORDER BY email";
    List<UserRow> result = new ArrayList<>();
    try (Connection connection = dataSource.getConnection();
        PreparedStatement select = new Sql(sql, tenantId).prepare(connection);
        ResultSet rows = select.executeQuery()) {
      while (rows.next()) {
        result.add(new UserRow(rows.getLong(1), rows.getString(2), rows.getString(3),
            rows.getBoolean(4), instant(rows, 5), instant(rows, 6)));
      }
    }
    return result;
  }

  /** Records a successful sign-in on the user's row. */
  void loggedIn(long userId, Instant at) throws SQLException {
    try (Connection connection = dataSource.getConnection();
        PreparedStatement update = new Sql("UPDATE app_user SET last_login_at = ?"
            + " WHERE id = ?", at, userId).prepare(connection)) {
      update.executeUpdate();
    }
  }

  /**
   * Returns audit entries of the tenant, newest first.
   *
   * @param beforeId only entries older than this id; null for the newest
   */
  List<AuditRow> audit(long tenantId, Long beforeId, int limit) throws SQLException {
    Sql sql = new Sql("SELECT id, at, actor, action, target, details::text FROM audit_log"
        + " WHERE tenant_id = ?", tenantId);
    if (beforeId != null) {
      sql.and("id < ?", beforeId);
    }
    sql.append("ORDER BY id DESC LIMIT ?", limit);
    List<AuditRow> result = new ArrayList<>();
    try (Connection connection = dataSource.getConnection();
        PreparedStatement select = sql.prepare(connection);
        ResultSet rows = select.executeQuery()) {
      while (rows.next()) {
        result.add(new AuditRow(rows.getLong(1), instant(rows, 2), rows.getString(3),
            rows.getString(4), rows.getString(5), rows.getString(6)));
      }
    }
    return result;
  }

  void addNotice(long tenantId, Instant at, String kind, String message) throws SQLException {
    try (Connection connection = dataSource.getConnection();
        PreparedStatement insert = new Sql("INSERT INTO admin_notice (tenant_id, at, kind,"
            + " message) VALUES (?, ?, ?, ?)", tenantId, at, kind, message)
            .prepare(connection)) {
      insert.executeUpdate();
    }
  }

  List<Notice> notices(long tenantId, int limit) throws SQLException {
    List<Notice> result = new ArrayList<>();
    try (Connection connection = dataSource.getConnection();
        PreparedStatement select = new Sql("SELECT at, kind, message FROM admin_notice"
            + " WHERE tenant_id = ? ORDER BY at DESC, id DESC LIMIT ?", tenantId, limit)
            .prepare(connection);
        ResultSet rows = select.executeQuery()) {
      while (rows.next()) {
        result.add(new Notice(instant(rows, 1), rows.getString(2), rows.getString(3)));
      }
    }
    return result;
  }

  private static Instant instant(ResultSet rows, int column) throws SQLException {
    Timestamp value = rows.getTimestamp(column);
    return value == null ? null : value.toInstant();
  }
}
