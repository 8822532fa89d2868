package io.natalia.cloud.alert;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;

/** A tenant's alert thresholds (table {@code alert_settings}, defaults when absent). */
record AlertSettings(
    Duration silence,
    Duration agentOffline,
    int missedRatePercent,
    Duration missedRateWindow,
    int missedRateMinCalls) {

  static final AlertSettings DEFAULTS = new AlertSettings(Duration.ofMinutes(120),
      Duration.ofMinutes(15), 25, Duration.ofMinutes(60), 10);

  static AlertSettings load(Connection connection, long tenantId) throws SQLException {
    try (PreparedStatement select = connection.prepareStatement(
        "SELECT silence_minutes, agent_offline_minutes, missed_rate_percent,"
            + " missed_rate_window_minutes, missed_rate_min_calls FROM alert_settings"
            + " WHERE tenant_id = ?")) {
      select.setLong(1, tenantId);
      try (ResultSet rows = select.executeQuery()) {
        if (!rows.next()) {
          return DEFAULTS;
        }
        return new AlertSettings(Duration.ofMinutes(rows.getInt(1)),
            Duration.ofMinutes(rows.getInt(2)), rows.getInt(3),
            Duration.ofMinutes(rows.getInt(4)), rows.getInt(5));
      }
    }
  }
}
