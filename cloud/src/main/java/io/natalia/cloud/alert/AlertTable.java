package io.natalia.cloud.alert;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The SQL that keeps {@code alert} rows in step with the conditions of a round. */
final class AlertTable {
  private static final Logger log = LoggerFactory.getLogger(AlertTable.class);

  private AlertTable() {}

  /**
   * Opens an alert for each raised condition without an open one, refreshes those already
   * open, and closes the tenant's open alerts whose condition no longer holds. Returns how many
   * were opened.
   */
  static int reconcile(Connection connection, long tenantId, List<AlertMonitor.Raised> raised,
      Instant now) throws SQLException {
    Timestamp at = Timestamp.from(now);
    int opened = 0;
    List<String> keys = new ArrayList<>();
    try (PreparedStatement upsert = connection.prepareStatement("""
        INSERT INTO alert (tenant_id, kind, subject, code, message, opened_at, last_seen_at)
        VALUES (?, ?, ?, ?, ?, ?, ?)
        ON CONFLICT (tenant_id, kind, subject) WHERE closed_at IS NULL DO UPDATE
          SET code = excluded.code, message = excluded.message,
              last_seen_at = excluded.last_seen_at
        RETURNING (xmax = 0)""")) {
      for (AlertMonitor.Raised alert : raised) {
        keys.add(alert.kind().wireName() + "/" + alert.subject());
        upsert.setLong(1, tenantId);
        upsert.setString(2, alert.kind().wireName());
        upsert.setString(3, alert.subject());
        upsert.setString(4, alert.code());
        upsert.setString(5, alert.message());
        upsert.setTimestamp(6, at);
        upsert.setTimestamp(7, at);
        try (ResultSet rows = upsert.executeQuery()) {
          if (rows.next() && rows.getBoolean(1)) {
            opened++;
            log.warn("Tenant {}: alert {} opened [{}]: {}", tenantId, alert.kind().wireName(),
                alert.code(), alert.message());
          }
        }
      }
    }
    close(connection, tenantId, keys, at);
    return opened;
  }

  private static void close(Connection connection, long tenantId, List<String> holding,
      Timestamp at) throws SQLException {
    try (PreparedStatement close = connection.prepareStatement("""
        UPDATE alert SET closed_at = ?
        WHERE tenant_id = ? AND closed_at IS NULL AND NOT (kind || '/' || subject = ANY (?))
        RETURNING kind, subject""")) {
      Array keys = connection.createArrayOf("text", holding.toArray());
      close.setTimestamp(1, at);
      close.setLong(2, tenantId);
      close.setArray(3, keys);
      try (ResultSet rows = close.executeQuery()) {
        while (rows.next()) {
          log.info("Tenant {}: alert {} for {} cleared", tenantId, rows.getString(1),
              rows.getString(2));
        }
      }
    }
  }

  /** Returns the tenant's open alerts not e-mailed yet, oldest first. */
  static List<Alert> unsent(Connection connection, long tenantId) throws SQLException {
    try (PreparedStatement select = connection.prepareStatement(
        "SELECT id, kind, subject, code, message, opened_at, last_seen_at, closed_at,"
            + " emailed_at FROM alert WHERE tenant_id = ? AND closed_at IS NULL"
            + " AND emailed_at IS NULL ORDER BY id")) {
      select.setLong(1, tenantId);
      try (ResultSet rows = select.executeQuery()) {
        List<Alert> alerts = new ArrayList<>();
        while (rows.next()) {
          alerts.add(Alerts.read(rows));
        }
        return alerts;
      }
    }
  }

  /** Returns the e-mail addresses of the tenant's enabled admins. */
  static List<String> adminEmails(Connection connection, long tenantId) throws SQLException {
    try (PreparedStatement select = connection.prepareStatement(
        "SELECT email FROM app_user WHERE tenant_id = ? AND role = 'ADMIN' AND NOT disabled"
            + " ORDER BY email")) {
      select.setLong(1, tenantId);
      try (ResultSet rows = select.executeQuery()) {
        List<String> emails = new ArrayList<>();
        while (rows.next()) {
          emails.add(rows.getString(1));
        }
        return emails;
      }
    }
  }

  static void markEmailed(Connection connection, long alertId, Instant at)
      throws SQLException {
    try (PreparedStatement update = connection.prepareStatement(
        "UPDATE alert SET emailed_at = ? WHERE id = ?")) {
      update.setTimestamp(1, Timestamp.from(at));
      update.setLong(2, alertId);
      update.executeUpdate();
    }
  }
}
