package io.natalia.cloud.web;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.natalia.cloud.alert.AlertMailer;
import io.natalia.cloud.alert.FakeSmtpServer;
import io.natalia.cloud.alert.SmtpAlertMailer;
import io.natalia.cloud.audit.AuditLog;
import io.natalia.cloud.auth.ApiKeys;
import io.natalia.cloud.auth.PasswordHasher;
import io.natalia.cloud.auth.Role;
import io.natalia.cloud.auth.Users;
import io.natalia.cloud.ingest.Ingest;
import io.natalia.cloud.server.CloudServer;
import io.natalia.cloud.server.TlsMaterial;
import io.natalia.cloud.stitch.Stitcher;
import io.natalia.cloud.store.Partitions;
import io.natalia.cloud.tenant.MasterKey;
import io.natalia.cloud.tenant.Tenant;
import io.natalia.cloud.tenant.Tenants;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;

/**
 * A cloud with the dashboard on 127.0.0.1 (port chosen by the system), over a migrated test
 * database holding one tenant in Europe/Paris, a user of each role and 30 days of sample
 * traffic that crosses the change to summer time on 29 March 2026.
 *
 * <p>The clock stands still at {@link #NOW}, Monday 30 March 2026, 16:00 in Paris.
 */
final class DashboardFixture implements AutoCloseable {
  static final Instant NOW = Instant.parse("2026-03-30T14:00:00Z");
  static final ZoneId PARIS = ZoneId.of("Europe/Paris");
  static final String PASSWORD = "correct horse battery staple";

  final Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);
  final DataSource dataSource;
  final AuditLog auditLog;
  final Tenants tenants;
  final Users users;
  final ApiKeys apiKeys;
  final Tenant tenant;
  final Map<Role, String> emails = new EnumMap<>(Role.class);
  final SampleTraffic traffic;
  final TlsMaterial tls;
  /** Receives the notices the dashboard mails to admins. */
  final FakeSmtpServer smtp;
  private final CloudServer server;

  DashboardFixture(DataSource dataSource, Path folder) throws Exception {
    this.dataSource = dataSource;
    this.auditLog = new AuditLog(dataSource, clock);
    this.tenants = new Tenants(dataSource, MasterKey.random(), auditLog);
    this.users = new Users(dataSource, new PasswordHasher(1024, 1), auditLog);
    this.apiKeys = new ApiKeys(dataSource, auditLog, clock);
    this.tenant = tenants.create("Acme Plumbing", PARIS.getId(), "EUR", 730, "test");
    for (Role role : Role.values()) {
      String email = role.name().toLowerCase() + "@acme.test";
      users.add(tenant.id(), email, role, PASSWORD.toCharArray(), "test");
      emails.put(role, email);
    }
    LocalDateTime nowLocal = LocalDateTime.ofInstant(NOW, PARIS);
    this.traffic = new SampleTraffic(PARIS).generate(nowLocal.toLocalDate(), 30, nowLocal);
    ingest();
    this.tls = TlsMaterial.selfSigned(folder);
    this.smtp = new FakeSmtpServer();
    AlertMailer mailer = new SmtpAlertMailer("127.0.0.1", smtp.port(), "none", null, null,
        "alerts@natalia.test");
    this.server = CloudServer.start("127.0.0.1", 0, tls, List.of(new Dashboard(dataSource,
        tenants, users, apiKeys, auditLog, clock, mailer)::install));
  }

  private void ingest() throws SQLException {
    ApiKeys.IssuedKey key = apiKeys.create(tenant.id(), ApiKeys.Kind.AGENT, "headquarters",
        null, "test");
    Ingest ingest = new Ingest(dataSource, tenants, new Partitions(dataSource), clock, 5000,
        () -> { });
    for (ObjectNode body : traffic.bodies(1000)) {
      var response = ingest.ingest(tenant.id(), key.id(), body);
      if (!response.rejected().isEmpty()) {
        throw new IllegalStateException("sample records rejected: " + response.rejected());
      }
    }
    new Stitcher(dataSource, Stitcher.DEFAULT_TOLERANCE, clock).stitchPending();
  }

  /** Returns the dashboard's base URL, {@code https://127.0.0.1:<port>}. */
  String baseUrl() {
    return "https://127.0.0.1:" + server.port();
  }

  LocalDate today() {
    return LocalDate.ofInstant(NOW, PARIS);
  }

  @Override
  public void close() {
    server.close();
    try {
      smtp.close();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
