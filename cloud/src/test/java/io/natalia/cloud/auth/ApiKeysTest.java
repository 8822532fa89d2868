package io.natalia.cloud.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.natalia.cloud.audit.AuditLog;
import io.natalia.cloud.auth.ApiKeys.IssuedKey;
import io.natalia.cloud.auth.ApiKeys.Kind;
import io.natalia.cloud.service.FakeClock;
import io.natalia.cloud.store.TestDatabase;
import io.natalia.cloud.tenant.MasterKey;
import io.natalia.cloud.tenant.Tenants;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class ApiKeysTest {
  @RegisterExtension static final TestDatabase db = new TestDatabase();
  private final FakeClock clock = new FakeClock(Instant.parse("2026-06-15T12:00:00Z"));
  private final AuditLog audit = new AuditLog(db.dataSource(), clock);
  private final ApiKeys keys = new ApiKeys(db.dataSource(), audit, clock);
  private final Tenants tenants = new Tenants(db.dataSource(), MasterKey.random(), audit);

  @Test
  void onlyTheHashOfTheSecretIsStored() throws SQLException {
    long tenant = tenants.create("Hash only", "UTC", "EUR", 30, "test").id();

    IssuedKey issued = keys.create(tenant, Kind.AGENT, "site 1", null, "test");

    String secret = issued.key().substring(issued.key().indexOf('.') + 1);
    assertThat(issued.key()).matches("nat_ak_[a-z2-7]{12}\\.[A-Za-z0-9_-]{43}");
    assertThat(issued.toString()).doesNotContain(secret);
    String row = dump("SELECT a::text FROM api_key a WHERE id = " + issued.id());
    assertThat(row).doesNotContain(secret)
        .contains(HexFormat.of().formatHex(ApiKeys.sha256(secret)));
    assertThat(dump("SELECT string_agg(a::text, ' ') FROM audit_log a")).doesNotContain(secret);
  }

  @Test
  void validKeyRecordsLastUse() throws SQLException {
    long tenant = tenants.create("Valid", "UTC", "EUR", 30, "test").id();
    IssuedKey issued = keys.create(tenant, Kind.AGENT, "site 1", null, "test");

    var principal = keys.authenticate(issued.key(), Kind.AGENT);

    assertThat(principal).hasValueSatisfying(p -> {
      assertThat(p.tenantId()).isEqualTo(tenant);
      assertThat(p.prefix()).isEqualTo(issued.prefix());
    });
    assertThat(keys.list(tenant).get(0).lastUsedAt()).isEqualTo(clock.instant());
    clock.advance(Duration.ofMinutes(5));
    keys.authenticate(issued.key(), Kind.AGENT);
    assertThat(keys.list(tenant).get(0).lastUsedAt()).isEqualTo(clock.instant());
  }

  @Test
  void invalidKeysRejected() {
    long tenant = tenants.create("Refused", "UTC", "EUR", 30, "test").id();
    IssuedKey agent = keys.create(tenant, Kind.AGENT, "site 1", null, "test");
    IssuedKey token = keys.create(tenant, Kind.API_TOKEN, "report", Role.ANALYST, "test");
    String tampered = agent.key().substring(0, agent.key().length() - 1)
        + (agent.key().endsWith("A") ? "B" : "A");

    assertThat(keys.authenticate(tampered, Kind.AGENT)).isEmpty();
    assertThat(keys.authenticate(token.key(), Kind.AGENT)).isEmpty();
    assertThat(keys.authenticate(token.key(), Kind.API_TOKEN)).get()
        .extracting(ApiKeys.Principal::role).isEqualTo(Role.ANALYST);
    assertThat(keys.revoke(tenant, agent.prefix(), "test")).isTrue();
    assertThat(keys.authenticate(agent.key(), Kind.AGENT)).isEmpty();
    assertThat(keys.revoke(tenant, agent.prefix(), "test")).as("already revoked").isFalse();
  }

  @Test
  void revokeLimitedToOwnTenant() {
    long owner = tenants.create("Owner", "UTC", "EUR", 30, "test").id();
    long other = tenants.create("Other", "UTC", "EUR", 30, "test").id();
    IssuedKey issued = keys.create(owner, Kind.AGENT, "site", null, "test");

    assertThat(keys.revoke(other, issued.prefix(), "test")).isFalse();
    assertThat(keys.authenticate(issued.key(), Kind.AGENT)).isPresent();
  }

  @Test
  void tokensNeedARoleAndAgentKeysTakeNone() {
    assertThatThrownBy(() -> keys.create(1, Kind.API_TOKEN, "t", null, "test"))
        .hasMessageContaining("role");
    assertThatThrownBy(() -> keys.create(1, Kind.AGENT, "a", Role.ADMIN, "test"))
        .hasMessageContaining("role");
  }

  private static String dump(String sql) throws SQLException {
    try (Connection c = db.dataSource().getConnection();
        Statement s = c.createStatement();
        ResultSet rows = s.executeQuery(sql)) {
      rows.next();
      return rows.getString(1);
    }
  }
}
