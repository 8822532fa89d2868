package io.natalia.cloud.retention;

import static org.assertj.core.api.Assertions.assertThat;

import io.natalia.cdr.CallRecord;
import io.natalia.cloud.service.CloudFixture;
import io.natalia.cloud.service.Records;
import io.natalia.cloud.tenant.Tenant;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.YearMonth;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class RetentionTest {
  @RegisterExtension static final CloudFixture cloud = new CloudFixture();

  @Test
  void retentionPerTenantAndMonthDrop() throws Exception {
    cloud.clock().set(Instant.parse("2026-06-15T12:00:00Z"));
    Tenant shortLived = tenant("Short", 30);
    Tenant longLived = tenant("Long", 400);
    String shortKey = cloud.newAgentKey(shortLived);
    String longKey = cloud.newAgentKey(longLived);
    CallRecord january = Records.numbered("jan", 0, Instant.parse("2026-01-10T10:00:00Z"));
    CallRecord april = Records.numbered("apr", 0, Instant.parse("2026-04-10T10:00:00Z"));
    CallRecord june = Records.numbered("jun", 0, Instant.parse("2026-06-10T10:00:00Z"));
    post(longKey, january, april, june);
    cloud.clock().set(Instant.parse("2026-05-01T12:00:00Z"));
    post(shortKey, april);
    cloud.clock().set(Instant.parse("2026-06-15T12:00:00Z"));
    post(shortKey, june);
    Retention retention = new Retention(cloud.dataSource(), cloud.parts().partitions(),
        cloud.clock());

    Retention.Result first = retention.runOnce();

    assertThat(first.droppedMonths()).isEmpty();
    assertThat(ids(shortLived)).containsExactly("jun-0");
    assertThat(ids(longLived)).containsExactly("apr-0", "jan-0", "jun-0");

    cloud.clock().advance(Duration.ofDays(380));
    Retention.Result second = retention.runOnce();

    assertThat(second.droppedMonths()).contains(YearMonth.of(2026, 1), YearMonth.of(2026, 4));
    assertThat(ids(longLived)).containsExactly("jun-0");
    assertThat(ids(shortLived)).isEmpty();
    cloud.clock().set(Instant.parse("2026-06-15T12:00:00Z"));
    var again = cloud.postIngest(shortKey, Records.bodyOf(List.of(june)), Map.of());
    assertThat(again.body()).as("its id was forgotten with it").contains("\"ingested\":1");
  }

  private static Tenant tenant(String name, int retentionDays) {
    return cloud.parts().tenants().create(name, "Europe/Paris", "EUR", retentionDays, "test");
  }

  private static void post(String key, CallRecord... records) throws Exception {
    var answer = cloud.postIngest(key, Records.bodyOf(List.of(records)), Map.of());
    assertThat(answer.body()).contains("\"rejected\":[]");
  }

  private static List<String> ids(Tenant tenant) throws SQLException {
    try (Connection c = cloud.dataSource().getConnection();
        PreparedStatement select = c.prepareStatement(
            "SELECT id FROM call_record WHERE tenant_id = ? ORDER BY id")) {
      select.setLong(1, tenant.id());
      try (ResultSet rows = select.executeQuery()) {
        List<String> ids = new java.util.ArrayList<>();
        while (rows.next()) {
          ids.add(rows.getString(1));
        }
        return ids;
      }
    }
  }
}
