package io.natalia.cloud.alert;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.natalia.cloud.analytics.Analytics;
import io.natalia.cloud.analytics.CallFilter;
import io.natalia.cloud.analytics.Summary;
import io.natalia.cloud.analytics.TimeRange;
import io.natalia.cloud.ingest.AgentHealth;
import io.natalia.cloud.tenant.Tenant;
import io.natalia.cloud.tenant.Tenants;
import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Checks every tenant's alert conditions, keeps the {@code alert} table in step (opens an
 * alert when its condition starts holding, closes it when it clears) and e-mails each new
 * alert to the tenant's admins when a mailer is configured. {@link #checkOnce} is one round;
 * the service runs it every minute. Thread-safe.
 */
public final class AlertMonitor {
  private static final Logger log = LoggerFactory.getLogger(AlertMonitor.class);
  private static final ObjectMapper JSON = new ObjectMapper();
  static final String ALL_CALLS = "all calls";

  private final DataSource dataSource;
  private final Tenants tenants;
  private final Analytics analytics;
  private final AlertMailer mailer;
  private final Clock clock;

  public AlertMonitor(DataSource dataSource, Tenants tenants, Analytics analytics,
      AlertMailer mailer, Clock clock) {
    this.dataSource = dataSource;
    this.tenants = tenants;
    this.analytics = analytics;
    this.mailer = mailer;
    this.clock = clock;
  }

  /** A condition found holding in this round. */
  record Raised(AlertKind kind, String subject, String code, String message) {}

  /** Runs one round over every tenant; returns how many alerts were opened. */
  public int checkOnce() {
    int opened = 0;
    for (Tenant tenant : tenants.all()) {
      opened += check(tenant);
    }
    return opened;
  }

  /** Runs one round for one tenant; returns how many alerts were opened. */
  public int check(Tenant tenant) {
    try {
      return check(tenant, clock.instant());
    } catch (SQLException | IOException | RuntimeException e) {
      log.error("Tenant {}: alert check failed; retried next round", tenant.id(), e);
      return 0;
    }
  }

  private int check(Tenant tenant, Instant now) throws SQLException, IOException {
    try (Connection connection = dataSource.getConnection()) {
      AlertSettings settings = AlertSettings.load(connection, tenant.id());
      List<Raised> raised = new ArrayList<>();
      raised.addAll(silentPbxs(connection, tenant, settings, now));
      raised.addAll(agents(connection, tenant, settings, now));
      missedRate(tenant, settings, now, raised);
      int opened = AlertTable.reconcile(connection, tenant.id(), raised, now);
      mailUnsent(connection, tenant);
      return opened;
    }
  }

  private List<Raised> silentPbxs(Connection connection, Tenant tenant, AlertSettings settings,
      Instant now) throws SQLException, IOException {
    List<Raised> raised = new ArrayList<>();
    try (PreparedStatement select = connection.prepareStatement("""
        SELECT p.pbx_id, coalesce(p.last_record_at, p.first_seen_at), t.business_hours::text
        FROM pbx p JOIN tenant t ON t.id = p.tenant_id WHERE p.tenant_id = ?
        ORDER BY p.pbx_id""")) {
      select.setLong(1, tenant.id());
      try (ResultSet rows = select.executeQuery()) {
        while (rows.next()) {
          Instant last = rows.getTimestamp(2).toInstant();
          BusinessHours hours = BusinessHours.parse(JSON.readTree(rows.getString(3)),
              tenant.timeZone());
          Duration quiet = hours.openTimeBetween(last, now);
          if (quiet.compareTo(settings.silence()) > 0) {
            raised.add(new Raised(AlertKind.PBX_SILENT, rows.getString(1),
                AlertKind.PBX_SILENT.code(), "PBX " + rows.getString(1) + " sent no call record"
                + " for " + minutes(quiet) + " of business hours (threshold "
                + minutes(settings.silence()) + "); the newest record started at " + last
                + ". Check the PBX and its agent."));
          }
        }
      }
    }
    return raised;
  }

  private List<Raised> agents(Connection connection, Tenant tenant, AlertSettings settings,
      Instant now) throws SQLException {
    List<Raised> raised = new ArrayList<>();
    try (PreparedStatement select = connection.prepareStatement(
        "SELECT id, host, last_seen_at, health::text FROM agent WHERE tenant_id = ?"
            + " ORDER BY id")) {
      select.setLong(1, tenant.id());
      try (ResultSet rows = select.executeQuery()) {
        while (rows.next()) {
          String subject = rows.getString(2) == null ? "agent " + rows.getLong(1)
              : rows.getString(2);
          Instant seen = rows.getTimestamp(3).toInstant();
          // Limitation: see docs/known-limitations.md#agent-heartbeat
          Duration away = Duration.between(seen, now);
          if (away.compareTo(settings.agentOffline()) > 0) {
            raised.add(new Raised(AlertKind.AGENT_OFFLINE, subject,
                AlertKind.AGENT_OFFLINE.code(), "Agent " + subject + " has not contacted the"
                + " cloud for " + minutes(away) + " (threshold "
                + minutes(settings.agentOffline()) + "); last seen at " + seen
                + ". Check that its service runs and reaches the cloud."));
          }
          bufferAlarm(subject, rows.getString(4), raised);
        }
      }
    }
    return raised;
  }

  /**
   * Raises a buffer alarm from the health an agent reported: its error code NAT-AGT-008 or
   * NAT-AGT-007, or a buffer use at the agent's own thresholds (95 % and 80 %), which still
   * applies while a more severe code hides the buffer's.
   */
  private static void bufferAlarm(String subject, String healthJson, List<Raised> raised) {
    AgentHealth health = AgentHealth.fromStored(healthJson);
    double percent = health.bufferUsedPercent() == null ? 0 : health.bufferUsedPercent();
    if ("NAT-AGT-008".equals(health.errorCode()) || percent >= 95) {
      raised.add(new Raised(AlertKind.BUFFER_ALARM, subject, "NAT-AGT-008", "Agent " + subject
          + " reports its disk buffer above 95 %: polling is paused and records wait on the"
          + " PBX, which drops new ones when full. Restore the agent's link to the cloud."));
    } else if ("NAT-AGT-007".equals(health.errorCode()) || percent >= 80) {
      raised.add(new Raised(AlertKind.BUFFER_ALARM, subject, "NAT-AGT-007", "Agent " + subject
          + " reports its disk buffer above 80 %: it has not reached the cloud for a while."
          + " Check its network path to the cloud."));
    }
  }

  private void missedRate(Tenant tenant, AlertSettings settings, Instant now,
      List<Raised> raised) {
    TimeRange window = new TimeRange(now.minus(settings.missedRateWindow()), now);
    Summary summary = analytics.summary(tenant, window, CallFilter.NONE);
    if (summary.incoming() >= settings.missedRateMinCalls()
        && summary.missed() * 100 > settings.missedRatePercent() * summary.incoming()) {
      raised.add(new Raised(AlertKind.MISSED_RATE, ALL_CALLS, AlertKind.MISSED_RATE.code(),
          summary.missed() + " of " + summary.incoming() + " incoming calls missed in the last "
          + minutes(settings.missedRateWindow()) + " (" + (summary.missed() * 100
          / summary.incoming()) + " %, threshold " + settings.missedRatePercent() + " %)."));
    }
  }

  private void mailUnsent(Connection connection, Tenant tenant) throws SQLException {
    if (!mailer.enabled()) {
      return;
    }
    List<Alert> unsent = AlertTable.unsent(connection, tenant.id());
    if (unsent.isEmpty()) {
      return;
    }
    List<String> admins = AlertTable.adminEmails(connection, tenant.id());
    if (admins.isEmpty()) {
      log.warn("Tenant {}: {} alerts not e-mailed: the tenant has no enabled admin",
          tenant.id(), unsent.size());
      return;
    }
    for (Alert alert : unsent) {
      try {
        mailer.send(admins, "[Natalia] " + tenant.name() + ": " + alert.message(),
            alert.message() + "\n\nAlert " + alert.code() + " (" + alert.kind().wireName()
            + ") opened at " + alert.openedAt() + ".\n");
        AlertTable.markEmailed(connection, alert.id(), clock.instant());
      } catch (RuntimeException e) {
        log.warn("Tenant {}: alert {} not e-mailed, retried next round: {} (check the SMTP"
            + " settings)", tenant.id(), alert.id(), e.getMessage());
        return;
      }
    }
  }

  private static String minutes(Duration duration) {
    long minutes = duration.toMinutes();
    return minutes < 120 ? minutes + " min" : (minutes / 60) + " h " + (minutes % 60) + " min";
  }
}
