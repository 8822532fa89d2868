package io.natalia.cloud.alert;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.natalia.cloud.analytics.Analytics;
import io.natalia.cloud.audit.AuditLog;
import io.natalia.cloud.auth.ApiKeys;
import io.natalia.cloud.service.CloudConfig;
import io.natalia.cloud.service.FakeClock;
import io.natalia.cloud.store.TestDatabase;
import io.natalia.cloud.tenant.MasterKey;
import io.natalia.cloud.tenant.Tenant;
import io.natalia.cloud.tenant.Tenants;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.List;
import java.util.Properties;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/** Alert conditions, their open/close cycle and their e-mail, on a fake clock. */
class AlertMonitorTest {
  private static final ZoneId PARIS = ZoneId.of("Europe/Paris");
  /** A Friday, 17:00 in Paris. */
  private static final Instant FRIDAY_17H =
      ZonedDateTime.of(2026, 6, 12, 17, 0, 0, 0, PARIS).toInstant();
  private static int tenantCount;

  @RegisterExtension static final TestDatabase db = new TestDatabase();
  private final FakeClock clock = new FakeClock(FRIDAY_17H);
  private FakeSmtpServer smtp;
  private Tenant tenant;
  private Tenants tenants;
  private AlertMonitor monitor;
  private Alerts alerts;
  private long agentKeyId;

  @BeforeEach
  void setUp() throws Exception {
    AuditLog audit = new AuditLog(db.dataSource(), clock);
    tenants = new Tenants(db.dataSource(), MasterKey.random(), audit);
    tenant = tenants.create("Alerts " + ++tenantCount, "Europe/Paris", "EUR", 3650, "test");
    agentKeyId = new ApiKeys(db.dataSource(), audit, clock)
        .create(tenant.id(), ApiKeys.Kind.AGENT, "agent", null, "test").id();
    smtp = new FakeSmtpServer();
    AlertMailer mailer = new SmtpAlertMailer("127.0.0.1", smtp.port(), "none", null, null,
        "alerts@natalia.test");
    monitor = new AlertMonitor(db.dataSource(), tenants,
        new Analytics(db.dataSource()), mailer, clock);
    alerts = new Alerts(db.dataSource());
    db.execute("INSERT INTO app_user (tenant_id, email, role, password_hash) VALUES (" + tenant.id()
        + ", 'boss" + tenantCount + "@acme.test', 'ADMIN', '$argon2id$test')");
  }

  @AfterEach
  void tearDown() throws Exception {
    smtp.close();
  }

  @Test
  void configuredSmtpGetsAlertWithLogin(@TempDir Path folder) throws Exception {
    Files.writeString(folder.resolve("smtp-password"), "Sm7p-s3cret\n");
    Properties properties = new Properties();
    properties.setProperty("smtp.host", "127.0.0.1");
    properties.setProperty("smtp.port", Integer.toString(smtp.port()));
    properties.setProperty("smtp.security", "none");
    properties.setProperty("smtp.user", "natalia");
    properties.setProperty("smtp.password-file", "smtp-password");
    properties.setProperty("smtp.from", "noc@natalia.test");
    CloudConfig config = CloudConfig.from(properties, folder, "cloud.properties");
    AlertMailer mailer = SmtpAlertMailer.of(config.smtp());
    AlertMonitor configured = new AlertMonitor(db.dataSource(), tenants,
        new Analytics(db.dataSource()), mailer, clock);
    agentSeen(FRIDAY_17H.minus(Duration.ofMinutes(20)), "{}");
    Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    ListAppender<ILoggingEvent> events = new ListAppender<>();
    events.start();
    root.addAppender(events);

    try {
      configured.check(tenant);
    } finally {
      root.detachAppender(events);
    }

    assertThat(mailer.toString()).isEqualTo(
        "smtp://127.0.0.1:" + smtp.port() + " (none, login natalia, from noc@natalia.test)");
    assertThat(events.list).allSatisfy(event ->
        assertThat(event.getFormattedMessage()).doesNotContain("Sm7p-s3cret"));
    assertThat(smtp.received()).singleElement().satisfies(mail -> {
      assertThat(mail.login()).isEqualTo("natalia:Sm7p-s3cret");
      assertThat(mail.recipients()).containsExactly("boss" + tenantCount + "@acme.test");
      assertThat(mail.data()).contains("From: Natalia alerts <noc@natalia.test>")
          .contains("has not contacted the");
    });
  }

  @Test
  void pbxSilenceCountsOnlyBusinessHours() throws SQLException {
    agentSeen(FRIDAY_17H, "{}");
    pbxLastRecord(FRIDAY_17H);

    clock.set(ZonedDateTime.of(2026, 6, 15, 8, 30, 0, 0, PARIS).toInstant());
    agentSeen(clock.instant(), "{}");
    monitor.check(tenant);
    List<Alert> afterWeekend = alerts.list(tenant.id(), true);
    clock.set(ZonedDateTime.of(2026, 6, 15, 9, 30, 0, 0, PARIS).toInstant());
    agentSeen(clock.instant(), "{}");
    monitor.check(tenant);

    assertThat(afterWeekend).isEmpty();
    assertThat(alerts.list(tenant.id(), true)).singleElement().satisfies(alert -> {
      assertThat(alert.kind()).isEqualTo(AlertKind.PBX_SILENT);
      assertThat(alert.subject()).isEqualTo("oxo-main");
      assertThat(alert.message()).contains("2 h 30 min of business hours");
    });
  }

  @Test
  void alertClosesWhenItsConditionClears() throws SQLException {
    agentSeen(FRIDAY_17H.minus(Duration.ofHours(1)), "{}");
    monitor.check(tenant);
    Alert open = alerts.list(tenant.id(), true).get(0);

    agentSeen(clock.instant(), "{}");
    clock.advance(Duration.ofMinutes(1));
    monitor.check(tenant);

    assertThat(open.kind()).isEqualTo(AlertKind.AGENT_OFFLINE);
    assertThat(alerts.list(tenant.id(), true)).isEmpty();
    assertThat(alerts.list(tenant.id(), false)).singleElement()
        .satisfies(alert -> assertThat(alert.closedAt()).isEqualTo(clock.instant()));
  }

  @Test
  void bufferAlarmTakesTheAgentsWorstCode() throws SQLException {
    agentSeen(FRIDAY_17H, "{\"bufferUsedPercent\": 97.0, \"errorCode\": \"NAT-AGT-008\","
        + " \"lagSeconds\": 3600, \"pendingRecords\": 90000}");

    monitor.check(tenant);

    assertThat(alerts.list(tenant.id(), true)).singleElement().satisfies(alert -> {
      assertThat(alert.kind()).isEqualTo(AlertKind.BUFFER_ALARM);
      assertThat(alert.code()).isEqualTo("NAT-AGT-008");
      assertThat(alert.message()).contains("polling is paused");
    });
  }

  @Test
  void bufferUseAlarmsUnderAMoreSevereCode() throws SQLException {
    agentSeen(FRIDAY_17H, "{\"bufferUsedPercent\": 85.5, \"errorCode\": \"NAT-AGT-011\","
        + " \"lagSeconds\": 7200, \"pendingRecords\": 5000}");

    monitor.check(tenant);

    assertThat(alerts.list(tenant.id(), true)).singleElement().satisfies(alert -> {
      assertThat(alert.kind()).isEqualTo(AlertKind.BUFFER_ALARM);
      assertThat(alert.code()).isEqualTo("NAT-AGT-007");
    });
  }

  @Test
  void missedRateAboveThresholdRaisesAnAlert() throws SQLException {
    agentSeen(FRIDAY_17H, "{}");
    db.execute("SELECT natalia_ensure_month_partition('call', DATE '2026-06-01')");
    for (int i = 0; i < 12; i++) {
      boolean answered = i % 3 != 0;
      db.execute("INSERT INTO call (tenant_id, id, pbx_id, direction, started_at, ended_at,"
          + " answered, ring_seconds, talk_seconds, leg_count, leg_ids) VALUES (" + tenant.id()
          + ", 'c" + i + "', 'oxo-main', 'incoming', '" + FRIDAY_17H.minusSeconds(60L * i + 60)
          + "', '" + FRIDAY_17H.minusSeconds(60L * i) + "', " + answered + ", 10, "
          + (answered ? 30 : 0) + ", 1, ARRAY['c" + i + "'])");
    }

    monitor.check(tenant);

    assertThat(alerts.list(tenant.id(), true)).singleElement().satisfies(alert -> {
      assertThat(alert.kind()).isEqualTo(AlertKind.MISSED_RATE);
      assertThat(alert.message()).startsWith("4 of 12 incoming calls missed in the last 60 min");
    });
  }

  @Test
  void newAlertMailedOnceToAdmins() throws SQLException {
    agentSeen(FRIDAY_17H.minus(Duration.ofHours(1)), "{}");

    monitor.check(tenant);
    clock.advance(Duration.ofMinutes(1));
    monitor.check(tenant);

    assertThat(smtp.received()).singleElement().satisfies(mail -> {
      assertThat(mail.recipients()).containsExactly("boss" + tenantCount + "@acme.test");
      assertThat(mail.data()).contains("Subject: [Natalia] " + tenant.name(),
          "has not contacted the cloud for 60 min");
    });
    assertThat(alerts.list(tenant.id(), true).get(0).emailedAt()).isNotNull();
  }

  @Test
  void failedMailRetriedNextRound() throws Exception {
    agentSeen(FRIDAY_17H.minus(Duration.ofHours(1)), "{}");
    smtp.close();

    monitor.check(tenant);

    assertThat(alerts.list(tenant.id(), true)).singleElement()
        .satisfies(alert -> assertThat(alert.emailedAt()).isNull());
  }

  private void agentSeen(Instant at, String health) throws SQLException {
    try (Connection connection = db.dataSource().getConnection();
        PreparedStatement upsert = connection.prepareStatement("""
            INSERT INTO agent (tenant_id, api_key_id, host, health, last_seen_at)
            VALUES (?, ?, 'pbx-agent-1', ?::jsonb, ?)
            ON CONFLICT (api_key_id) DO UPDATE SET health = excluded.health,
              last_seen_at = excluded.last_seen_at""")) {
      upsert.setLong(1, tenant.id());
      upsert.setLong(2, agentKeyId);
      upsert.setString(3, health);
      upsert.setTimestamp(4, Timestamp.from(at));
      upsert.executeUpdate();
    }
  }

  private void pbxLastRecord(Instant at) throws SQLException {
    db.execute("INSERT INTO pbx (tenant_id, pbx_id, last_record_at, first_seen_at) VALUES ("
        + tenant.id() + ", 'oxo-main', '" + at + "', '" + at + "')");
  }
}
