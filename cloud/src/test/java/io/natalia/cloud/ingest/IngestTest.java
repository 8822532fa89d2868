package io.natalia.cloud.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.natalia.cdr.CallRecord;
import io.natalia.cloud.auth.ApiKeys;
import io.natalia.cloud.auth.Role;
import io.natalia.cloud.service.CloudFixture;
import io.natalia.cloud.service.Records;
import io.natalia.cloud.tenant.Tenant;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class IngestTest {
  @RegisterExtension static final CloudFixture cloud = new CloudFixture();
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Instant DAY = Instant.parse("2026-06-01T08:00:00Z");

  @Test
  void resentRecordsCountAsDuplicates() throws Exception {
    Tenant tenant = cloud.newTenant();
    String key = cloud.newAgentKey(tenant);
    List<CallRecord> records = series("dup", 0, 3);

    JsonNode first = accepted(cloud.postIngest(key, Records.bodyOf(records), Map.of()));
    JsonNode second = accepted(cloud.postIngest(key, Records.bodyOf(records), Map.of()));

    assertThat(first.get("ingested").asInt()).isEqualTo(3);
    assertThat(first.get("duplicates").asInt()).isZero();
    assertThat(second.get("ingested").asInt()).isZero();
    assertThat(second.get("duplicates").asInt()).isEqualTo(3);
    assertThat(count("SELECT count(*) FROM call_record WHERE tenant_id = ?", tenant.id()))
        .isEqualTo(3);
  }

  @Test
  void sameBatchDuplicateStoredOnce() throws Exception {
    Tenant tenant = cloud.newTenant();
    CallRecord record = Records.numbered("twice", 1, DAY);

    JsonNode answer = accepted(cloud.postIngest(cloud.newAgentKey(tenant),
        Records.bodyOf(List.of(record, record)), Map.of()));

    assertThat(answer.get("ingested").asInt()).isEqualTo(1);
    assertThat(answer.get("duplicates").asInt()).isEqualTo(1);
    assertThat(count("SELECT count(*) FROM call_record WHERE tenant_id = ?", tenant.id()))
        .isEqualTo(1);
  }

  @Test
  void oneBadRecordAmongTenThousand() throws Exception {
    Tenant tenant = cloud.newTenant();
    List<ObjectNode> records = new ArrayList<>();
    for (CallRecord record : series("big", 0, 10_000)) {
      records.add(Records.json(record));
    }
    records.get(4_321).put("talkSeconds", -5);

    JsonNode answer = accepted(cloud.postIngest(cloud.newAgentKey(tenant),
        Records.gzip(Records.body(records)), Map.of("Content-Encoding", "gzip")));

    assertThat(answer.get("ingested").asInt()).isEqualTo(9_999);
    assertThat(answer.get("duplicates").asInt()).isZero();
    assertThat(answer.get("rejected")).hasSize(1);
    JsonNode rejected = answer.get("rejected").get(0);
    assertThat(rejected.get("index").asInt()).isEqualTo(4_321);
    assertThat(rejected.get("code").asText()).isEqualTo("NAT-API-010");
    assertThat(rejected.get("reason").asText()).contains("talkSeconds").contains("-5");
    assertThat(count("SELECT count(*) FROM call_record WHERE tenant_id = ?", tenant.id()))
        .isEqualTo(9_999);
    assertThat(count("SELECT count(*) FROM quarantine WHERE tenant_id = ?", tenant.id()))
        .isEqualTo(1);
  }

  @Test
  void concurrentOverlappingAgentsStoreOnce() throws Exception {
    Tenant tenant = cloud.newTenant();
    List<String> keys = IntStream.range(0, 4).mapToObj(i -> cloud.newAgentKey(tenant)).toList();
    // Agent i sends records [i * 500, i * 500 + 1500): each record by up to three agents.
    List<Callable<List<int[]>>> agents = new ArrayList<>();
    for (int agent = 0; agent < 4; agent++) {
      int first = agent * 500;
      String key = keys.get(agent);
      agents.add(() -> {
        List<int[]> counts = new ArrayList<>();
        for (int batch = 0; batch < 6; batch++) {
          List<CallRecord> records = series("race", first + batch * 250, 250);
          JsonNode answer = accepted(cloud.postIngest(key, Records.bodyOf(records), Map.of()));
          counts.add(new int[] {answer.get("ingested").asInt(),
              answer.get("duplicates").asInt(), answer.get("rejected").size()});
        }
        return counts;
      });
    }

    ExecutorService pool = Executors.newFixedThreadPool(4);
    int ingested = 0;
    int duplicates = 0;
    try {
      for (Future<List<int[]>> result : pool.invokeAll(agents)) {
        for (int[] counts : result.get()) {
          assertThat(counts[0] + counts[1] + counts[2]).isEqualTo(250);
          ingested += counts[0];
          duplicates += counts[1];
        }
      }
    } finally {
      pool.shutdownNow();
    }

    int distinct = 3 * 500 + 1500;
    assertThat(ingested).isEqualTo(distinct);
    assertThat(duplicates).isEqualTo(4 * 1500 - distinct);
    assertThat(count("SELECT count(*) FROM call_record WHERE tenant_id = ?", tenant.id()))
        .isEqualTo(distinct);
    assertThat(count("SELECT count(DISTINCT id) FROM call_record WHERE tenant_id = ?",
        tenant.id())).isEqualTo(distinct);
  }

  @Test
  void malformedJsonNamesPosition() throws Exception {
    String key = cloud.newAgentKey(cloud.newTenant());

    HttpResponse<String> answer = cloud.postIngest(key,
        "{\"records\": [\n  {\"id\": \"a\",}\n]}".getBytes(StandardCharsets.UTF_8), Map.of());

    assertThat(answer.statusCode()).isEqualTo(400);
    JsonNode error = JSON.readTree(answer.body());
    assertThat(error.get("code").asText()).isEqualTo("NAT-API-005");
    assertThat(error.get("message").asText()).contains("line 2").contains("column");
  }

  @Test
  void invalidUtf8NamesOffset() throws Exception {
    String key = cloud.newAgentKey(cloud.newTenant());
    byte[] body = "{\"records\": [], \"x\": \"caf\u00e9\"}".getBytes(StandardCharsets.UTF_8);
    byte[] latin1 = new String(body, StandardCharsets.UTF_8).getBytes(
        StandardCharsets.ISO_8859_1);

    HttpResponse<String> answer = cloud.postIngest(key, latin1, Map.of());

    assertThat(answer.statusCode()).isEqualTo(400);
    JsonNode error = JSON.readTree(answer.body());
    assertThat(error.get("code").asText()).isEqualTo("NAT-API-006");
    assertThat(error.get("message").asText()).contains("0xe9").contains("offset 25");
  }

  @Test
  void absurdValuesRejectedPerRecord() throws Exception {
    Tenant tenant = cloud.newTenant();
    List<ObjectNode> records = new ArrayList<>();
    for (CallRecord record : series("absurd", 0, 6)) {
      records.add(Records.json(record));
    }
    records.get(0).put("talkSeconds", "long");
    records.get(1).put("ringSeconds", -1);
    records.get(2).put("talkSeconds", 3 * 86_400);
    records.get(3).put("startedAt", "2031-01-01T00:00:00Z");
    records.get(4).put("direction", 42);

    JsonNode answer = accepted(cloud.postIngest(cloud.newAgentKey(tenant),
        Records.body(records), Map.of()));

    assertThat(answer.get("ingested").asInt()).isEqualTo(1);
    assertThat(answer.get("rejected")).extracting(r -> r.get("index").asInt())
        .containsExactly(0, 1, 2, 3, 4);
    assertThat(answer.get("rejected")).extracting(r -> r.get("reason").asText())
        .satisfiesExactly(
            r -> assertThat(r).contains("talkSeconds").contains("long"),
            r -> assertThat(r).contains("ringSeconds").contains("-1"),
            r -> assertThat(r).contains("talkSeconds").contains("259200"),
            r -> assertThat(r).contains("startedAt").contains("2031-01-01"),
            r -> assertThat(r).contains("direction").contains("42"));
  }

  @Test
  void recordPastRetentionRejected() throws Exception {
    Tenant tenant = cloud.newTenant();
    CallRecord old = Records.numbered("old", 0, CloudFixture.START.minusSeconds(800L * 86_400));

    JsonNode answer = accepted(cloud.postIngest(cloud.newAgentKey(tenant),
        Records.bodyOf(List.of(old)), Map.of()));

    assertThat(answer.get("rejected").get(0).get("code").asText()).isEqualTo("NAT-API-011");
  }

  @Test
  void envelopeWithoutRecordsRejected() throws Exception {
    String key = cloud.newAgentKey(cloud.newTenant());

    HttpResponse<String> answer =
        cloud.postIngest(key, "{\"records\": {}}".getBytes(StandardCharsets.UTF_8), Map.of());

    assertThat(answer.statusCode()).isEqualTo(400);
    assertThat(JSON.readTree(answer.body()).get("code").asText()).isEqualTo("NAT-API-008");
  }

  @Test
  void agentHealthStoredAsReported() throws Exception {
    Tenant tenant = cloud.newTenant();
    String body = "{\"agent\": {\"version\": \"1.2\", \"host\": \"site-1\", \"health\":"
        + " {\"bufferUsedPercent\": 81.5, \"errorCode\": \"NAT-AGT-007\", \"lagSeconds\": 3600,"
        + " \"pendingRecords\": 12000, \"extra\": \"ignored\"}}, \"records\": []}";

    accepted(cloud.postIngest(cloud.newAgentKey(tenant),
        body.getBytes(StandardCharsets.UTF_8), Map.of()));

    JsonNode stored = JSON.readTree(storedHealth(tenant));
    assertThat(stored.get("bufferUsedPercent").asDouble()).isEqualTo(81.5);
    assertThat(stored.get("errorCode").asText()).isEqualTo("NAT-AGT-007");
    assertThat(stored.get("lagSeconds").asLong()).isEqualTo(3600);
    assertThat(stored.get("pendingRecords").asLong()).isEqualTo(12000);
    assertThat(stored.has("extra")).isFalse();
  }

  @Test
  void invalidAgentHealthNamesFieldAndValue() throws Exception {
    String key = cloud.newAgentKey(cloud.newTenant());
    Map<String, String> cases = Map.of(
        "{\"bufferUsedPercent\": \"81\"}", "agent.health.bufferUsedPercent",
        "{\"bufferUsedPercent\": -1}", "agent.health.bufferUsedPercent",
        "{\"errorCode\": \"<script>\"}", "agent.health.errorCode",
        "{\"lagSeconds\": 1.5}", "agent.health.lagSeconds",
        "{\"pendingRecords\": -3}", "agent.health.pendingRecords",
        "[1, 2]", "agent.health must be a JSON object");

    for (Map.Entry<String, String> entry : cases.entrySet()) {
      String body = "{\"agent\": {\"health\": " + entry.getKey() + "}, \"records\": []}";

      HttpResponse<String> answer =
          cloud.postIngest(key, body.getBytes(StandardCharsets.UTF_8), Map.of());

      assertThat(answer.statusCode()).as(entry.getKey()).isEqualTo(400);
      JsonNode error = JSON.readTree(answer.body());
      assertThat(error.get("code").asText()).isEqualTo("NAT-API-008");
      assertThat(error.get("message").asText()).as(entry.getKey()).contains(entry.getValue());
    }
  }

  @Test
  void oversizedHealthFieldIsShortened() throws Exception {
    String key = cloud.newAgentKey(cloud.newTenant());
    String body = "{\"agent\": {\"health\": {\"errorCode\": \"" + "x".repeat(3_000)
        + "\"}}, \"records\": []}";

    HttpResponse<String> answer =
        cloud.postIngest(key, body.getBytes(StandardCharsets.UTF_8), Map.of());

    assertThat(answer.statusCode()).isEqualTo(400);
    assertThat(answer.body()).contains("agent.health.errorCode").hasSizeLessThan(400);
  }

  @Test
  void wrongMethodAndPathAnswerJsonErrors() throws Exception {
    HttpResponse<String> get = cloud.client().send(HttpRequest.newBuilder(
        cloud.uri("/ingest/cdr")).GET().build(), HttpResponse.BodyHandlers.ofString());
    HttpResponse<String> other = cloud.client().send(HttpRequest.newBuilder(
        cloud.uri("/ingest/cdrs")).POST(HttpRequest.BodyPublishers.ofString("{}")).build(),
        HttpResponse.BodyHandlers.ofString());
    HttpResponse<String> page = cloud.client().send(HttpRequest.newBuilder(
        cloud.uri("/no-such-page")).GET().build(), HttpResponse.BodyHandlers.ofString());

    assertThat(get.statusCode()).isEqualTo(405);
    assertThat(get.headers().firstValue("Allow")).hasValueSatisfying(
        allow -> assertThat(allow).contains("POST"));
    assertThat(get.headers().firstValue("Content-Type")).hasValueSatisfying(
        type -> assertThat(type).startsWith("application/json"));
    assertThat(JSON.readTree(get.body()).path("code").asText()).isEqualTo("NAT-API-017");
    assertThat(JSON.readTree(get.body()).path("message").asText())
        .isEqualTo("GET is not allowed on /ingest/cdr; allowed: POST");
    assertThat(other.statusCode()).isEqualTo(404);
    assertThat(JSON.readTree(other.body()).path("code").asText()).isEqualTo("NAT-API-016");
    assertThat(JSON.readTree(other.body()).path("message").asText())
        .startsWith("no endpoint POST /ingest/cdrs;");
    assertThat(page.statusCode()).isEqualTo(404);
    assertThat(page.headers().firstValue("Content-Type")).hasValueSatisfying(
        type -> assertThat(type).startsWith("text/html"));
    assertThat(page.body()).contains("<h1>404 Not Found</h1>");
  }

  @Test
  void badKeysGet401() throws Exception {
    Tenant tenant = cloud.newTenant();
    String key = cloud.newAgentKey(tenant);
    byte[] body = Records.bodyOf(series("key", 0, 1));
    String prefix = key.substring(0, key.indexOf('.'));
    cloud.parts().apiKeys().revoke(tenant.id(), prefix, "test");

    for (String presented : new String[] {null, "nat_ak_aaaaaaaaaaaa.wrong", key}) {
      HttpResponse<String> answer = cloud.postIngest(presented, body, Map.of());

      assertThat(answer.statusCode()).isEqualTo(401);
      assertThat(JSON.readTree(answer.body()).get("code").asText()).isEqualTo("NAT-API-001");
    }
    assertThat(count("SELECT count(*) FROM call_record WHERE tenant_id = ?", tenant.id()))
        .isZero();
  }

  @Test
  void apiTokenCannotPostRecords() throws Exception {
    Tenant tenant = cloud.newTenant();
    String token = cloud.parts().apiKeys().create(tenant.id(), ApiKeys.Kind.API_TOKEN,
        "reports", Role.ADMIN, "test").key();

    HttpResponse<String> answer =
        cloud.postIngest(token, Records.bodyOf(series("token", 0, 1)), Map.of());

    assertThat(answer.statusCode()).isEqualTo(403);
    assertThat(JSON.readTree(answer.body()).get("code").asText()).isEqualTo("NAT-API-002");
  }

  @Test
  void keyOfTenantANeverTouchesTenantB() throws Exception {
    Tenant a = cloud.newTenant();
    Tenant b = cloud.newTenant();
    CallRecord shared = Records.numbered("shared", 7, DAY);
    accepted(cloud.postIngest(cloud.newAgentKey(b), Records.bodyOf(List.of(shared)), Map.of()));
    ObjectNode body = (ObjectNode) JSON.readTree(Records.bodyOf(List.of(shared)));
    body.put("tenantId", b.id());
    body.put("tenant", b.name());

    JsonNode answer = accepted(cloud.postIngest(cloud.newAgentKey(a),
        JSON.writeValueAsBytes(body), Map.of()));

    assertThat(answer.get("ingested").asInt()).isEqualTo(1);
    assertThat(count("SELECT count(*) FROM call_record WHERE tenant_id = ?", a.id()))
        .isEqualTo(1);
    assertThat(count("SELECT count(*) FROM call_record WHERE tenant_id = ?", b.id()))
        .isEqualTo(1);
    assertThat(pseudonym(a, shared.id())).isNotEqualTo(pseudonym(b, shared.id()));
  }

  @Test
  void numbersStoredPseudonymised() throws Exception {
    Tenant tenant = cloud.newTenant();
    CallRecord record = Records.incoming("pii", DAY, 4, 60, "112", "+33 6 12 34 56 78");

    accepted(cloud.postIngest(cloud.newAgentKey(tenant), Records.bodyOf(List.of(record)),
        Map.of()));

    try (Connection c = cloud.dataSource().getConnection();
        PreparedStatement select = c.prepareStatement("SELECT number_pseudonym, number_last4,"
            + " number_cipher, raw::text, call_record::text FROM call_record"
            + " WHERE tenant_id = ?")) {
      select.setLong(1, tenant.id());
      try (ResultSet rows = select.executeQuery()) {
        assertThat(rows.next()).isTrue();
        String pseudonym = rows.getString(1);
        assertThat(pseudonym).hasSize(32)
            .isEqualTo(cloud.parts().tenants().keys(tenant.id()).pseudonym("+33612345678"));
        assertThat(rows.getString(2)).isEqualTo("5678");
        assertThat(cloud.parts().tenants().keys(tenant.id()).decryptNumber(rows.getBytes(3)))
            .isEqualTo("+33 6 12 34 56 78");
        assertThat(rows.getString(4)).contains(pseudonym).doesNotContain("12 34 56");
        assertThat(rows.getString(5)).doesNotContain("612345678").doesNotContain("12 34 56");
      }
    }
  }

  private static List<CallRecord> series(String prefix, int first, int count) {
    List<CallRecord> records = new ArrayList<>(count);
    for (int n = first; n < first + count; n++) {
      records.add(Records.numbered(prefix, n, DAY));
    }
    return records;
  }

  private static JsonNode accepted(HttpResponse<String> response) throws Exception {
    assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
    return JSON.readTree(response.body());
  }

  private static String pseudonym(Tenant tenant, String id) throws SQLException {
    try (Connection c = cloud.dataSource().getConnection();
        PreparedStatement select = c.prepareStatement(
            "SELECT number_pseudonym FROM call_record WHERE tenant_id = ? AND id = ?")) {
      select.setLong(1, tenant.id());
      select.setString(2, id);
      try (ResultSet rows = select.executeQuery()) {
        rows.next();
        return rows.getString(1);
      }
    }
  }

  private static String storedHealth(Tenant tenant) throws SQLException {
    try (Connection c = cloud.dataSource().getConnection();
        PreparedStatement select = c.prepareStatement(
            "SELECT health::text FROM agent WHERE tenant_id = ?")) {
      select.setLong(1, tenant.id());
      try (ResultSet rows = select.executeQuery()) {
        rows.next();
        return rows.getString(1);
      }
    }
  }

  static long count(String sql, long tenantId) throws SQLException {
    try (Connection c = cloud.dataSource().getConnection();
        PreparedStatement select = c.prepareStatement(sql)) {
      select.setLong(1, tenantId);
      try (ResultSet rows = select.executeQuery()) {
        rows.next();
        return rows.getLong(1);
      }
    }
  }
}
