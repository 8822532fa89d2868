package io.natalia.cloud.audit;

import static org.assertj.core.api.Assertions.assertThat;

import io.natalia.cloud.service.FakeClock;
import io.natalia.cloud.store.TestDatabase;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class AuditLogTest {
  @RegisterExtension static final TestDatabase db = new TestDatabase();
  private final FakeClock clock = new FakeClock(Instant.parse("2026-06-15T12:00:00.123456789Z"));

  @Test
  void chainOfUntouchedEntriesVerifies() {
    AuditLog log = new AuditLog(db.dataSource(), clock);
    long tenant = tenant("Intact");
    for (int n = 0; n < 5; n++) {
      log.append(tenant, "user:ann@example.com", "export", "calls", Map.of("rows", n,
          "text", "é \"quoted\""));
      clock.advance(Duration.ofMinutes(1));
    }

    AuditLog.Verification result = log.verify(tenant);

    assertThat(result.intact()).isTrue();
    assertThat(result.entries()).isEqualTo(5);
  }

  @Test
  void alteredEntryBreaksTheChainAtThatEntry() throws SQLException {
    AuditLog log = new AuditLog(db.dataSource(), clock);
    long tenant = tenant("Tampered");
    log.append(tenant, "admin-cli", "user.add", "bob@example.com", Map.of("role", "VIEWER"));
    log.append(tenant, "admin-cli", "user.add", "eve@example.com", Map.of("role", "VIEWER"));
    log.append(tenant, "admin-cli", "api_key.revoke", "nat_ak_x", Map.of());

    superuser("ALTER TABLE audit_log DISABLE TRIGGER audit_log_append_only;"
        + " UPDATE audit_log SET details = '{\"role\": \"ADMIN\"}'"
        + " WHERE target = 'eve@example.com';"
        + " ALTER TABLE audit_log ENABLE TRIGGER audit_log_append_only");
    AuditLog.Verification result = log.verify(tenant);

    assertThat(result.intact()).isFalse();
    assertThat(result.entries()).isEqualTo(1);
    assertThat(result.problem()).contains("altered");
  }

  @Test
  void removedEntryBreaksChain() throws SQLException {
    AuditLog log = new AuditLog(db.dataSource(), clock);
    long tenant = tenant("Removed");
    log.append(tenant, "admin-cli", "a", null, Map.of());
    log.append(tenant, "admin-cli", "b", null, Map.of());
    log.append(tenant, "admin-cli", "c", null, Map.of());

    superuser("ALTER TABLE audit_log DISABLE TRIGGER audit_log_append_only;"
        + " DELETE FROM audit_log WHERE action = 'b' AND tenant_id = " + tenant + ";"
        + " ALTER TABLE audit_log ENABLE TRIGGER audit_log_append_only");

    assertThat(log.verify(tenant).problem()).contains("does not follow");
  }

  @Test
  void chainsOfTenantsAreIndependent() {
    AuditLog log = new AuditLog(db.dataSource(), clock);
    long first = tenant("First");
    long second = tenant("Second");

    log.append(first, "admin-cli", "one", null, Map.of());
    log.append(second, "admin-cli", "two", null, Map.of());
    log.append(null, "service", "started", null, Map.of());
    log.append(first, "admin-cli", "three", null, Map.of());

    assertThat(log.verify(first).entries()).isEqualTo(2);
    assertThat(log.verify(second).entries()).isEqualTo(1);
    assertThat(log.verify(null).intact()).isTrue();
  }

  private static long tenant(String name) {
    try (Connection c = db.dataSource().getConnection(); Statement s = c.createStatement()) {
      var rows = s.executeQuery("INSERT INTO tenant (name, secret_cipher) VALUES ('" + name
          + "', '\\x00') RETURNING id");
      rows.next();
      return rows.getLong(1);
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  private static void superuser(String sql) throws SQLException {
    try (Connection c = db.dataSource().getConnection(); Statement s = c.createStatement()) {
      s.execute(sql);
    }
  }
}
