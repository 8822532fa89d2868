package io.natalia.cloud.web;

import io.natalia.cloud.audit.AuditLog;
import io.natalia.cloud.tenant.Tenant;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.DateTimeException;
import java.time.ZoneId;
import java.util.LinkedHashMap;
import java.util.Map;
import javax.sql.DataSource;

/** Changes a tenant's settings from the admin page, audited with the old and new values. */
// Limitation: see docs/known-limitations.md#tenant-settings-from-dashboard
final class TenantSettings {
  private final DataSource dataSource;
  private final AuditLog auditLog;

  TenantSettings(DataSource dataSource, AuditLog auditLog) {
    this.dataSource = dataSource;
    this.auditLog = auditLog;
  }

  /**
   * Validates and stores new settings.
   *
   * @throws IllegalArgumentException naming the first invalid field and its value
   */
  void update(SignedIn user, String timeZone, String currency, String retentionDays,
      String callbackHours) throws SQLException {
    ZoneId zone = zone(timeZone);
    String code = currency == null ? "" : currency.strip().toUpperCase(java.util.Locale.ROOT);
    if (!code.matches("[A-Z]{3}")) {
      throw new IllegalArgumentException(
          "currency must be an ISO 4217 code such as EUR: '" + currency + "'");
    }
    int retention = number("retention", retentionDays, 1, 36_500);
    int hours = number("callback window", callbackHours, 1, 24 * 30);
    Tenant old = user.tenant();
    try (Connection connection = dataSource.getConnection()) {
      connection.setAutoCommit(false);
      try (PreparedStatement update = connection.prepareStatement("UPDATE tenant SET"
          + " time_zone = ?, currency = ?, retention_days = ?, callback_window_seconds = ?"
          + " WHERE id = ?")) {
        update.setString(1, zone.getId());
        update.setString(2, code);
        update.setInt(3, retention);
        update.setInt(4, hours * 3600);
        update.setLong(5, old.id());
        update.executeUpdate();
      }
      Map<String, Object> details = new LinkedHashMap<>();
      details.put("timeZone", old.timeZone().getId() + " -> " + zone.getId());
      details.put("currency", old.currency() + " -> " + code);
      details.put("retentionDays", old.retentionDays() + " -> " + retention);
      details.put("callbackWindowHours", old.callbackWindow().toHours() + " -> " + hours);
      auditLog.append(connection, old.id(), user.actor(), "tenant.update", old.name(),
          details);
      connection.commit();
    }
  }

  private static ZoneId zone(String value) {
    try {
      return ZoneId.of(value == null ? "" : value.strip());
    } catch (DateTimeException e) {
      throw new IllegalArgumentException(
          "time zone must be a region id such as Europe/Paris: '" + value + "'", e);
    }
  }

  private static int number(String field, String value, int min, int max) {
    try {
      int parsed = Integer.parseInt(value == null ? "" : value.strip());
      if (parsed >= min && parsed <= max) {
        return parsed;
      }
    } catch (NumberFormatException e) {
      // Reported below with the rule.
    }
    throw new IllegalArgumentException(
        field + " must be a whole number from " + min + " to " + max + ": '" + value + "'");
  }
}
