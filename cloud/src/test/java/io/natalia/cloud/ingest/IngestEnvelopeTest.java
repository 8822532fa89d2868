package io.natalia.cloud.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.natalia.cloud.service.CloudFixture;
import io.natalia.cloud.service.Records;
import io.natalia.cloud.tenant.Tenant;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The {@code agent} and {@code pbx} objects of an ingest request, and numbers out of range. */
class IngestEnvelopeTest {
  @RegisterExtension static final CloudFixture cloud = new CloudFixture();
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Instant DAY = Instant.parse("2026-06-01T08:00:00Z");

  @Test
  void healthObjectAndUnknownFieldsAreKept() throws Exception {
    Tenant tenant = cloud.newTenant();
    ObjectNode body = body("health");
    ((ObjectNode) body.get("agent")).put("buildDate", "2026-05-01").putObject("health")
        .put("bufferUsedPercent", 12).put("errorCode", "NAT-AGT-007").put("lagSeconds", 40);
    ((ObjectNode) body.get("pbx")).put("firmware", "R10.2");

    HttpResponse<String> answer = post(cloud.newAgentKey(tenant), body);

    assertThat(answer.statusCode()).as(answer.body()).isEqualTo(202);
    assertThat(stored(tenant, "SELECT health::text FROM agent WHERE tenant_id = ?"))
        .contains("\"bufferUsedPercent\": 12").contains("NAT-AGT-007");
    assertThat(stored(tenant, "SELECT type || ' ' || time_zone FROM pbx WHERE tenant_id = ?"))
        .isEqualTo("OXO Europe/Paris");
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
    "id       | oxo main/1   | pbx.id must be 1 to 64 of [A-Za-z0-9._-]: 'oxo main/1'",
    "type     | PABX         | pbx.type must be OXO or OXE: 'PABX'",
    "timeZone | Mars/Olympus | pbx.timeZone must be a time zone id such as Europe/Paris:"
        + " 'Mars/Olympus'",
  })
  void invalidPbxFieldIsNamedWithValue(String field, String value, String message)
      throws Exception {
    ObjectNode body = body("bad");
    ((ObjectNode) body.get("pbx")).put(field, value);

    HttpResponse<String> answer = post(cloud.newAgentKey(cloud.newTenant()), body);

    assertRejected(answer, message);
  }

  @Test
  void controlCharacterInHostIsEscaped() throws Exception {
    ObjectNode body = body("forged");
    ((ObjectNode) body.get("agent")).put("host", "a\nERROR forged");

    HttpResponse<String> answer = post(cloud.newAgentKey(cloud.newTenant()), body);

    assertRejected(answer,
        "agent.host must not contain control characters: 'a\\u000aERROR forged'");
  }

  @Test
  void longValueIsCutInTheMessage() throws Exception {
    ObjectNode body = body("long");
    ((ObjectNode) body.get("agent")).put("version", "9".repeat(300));

    HttpResponse<String> answer = post(cloud.newAgentKey(cloud.newTenant()), body);

    assertRejected(answer, "agent.version must be at most 64 characters (300): '"
        + "9".repeat(80) + "...'");
  }

  @Test
  void numberAsIdIsNotAString() throws Exception {
    ObjectNode body = body("type");
    ((ObjectNode) body.get("pbx")).put("id", 42);

    HttpResponse<String> answer = post(cloud.newAgentKey(cloud.newTenant()), body);

    assertRejected(answer, "pbx.id must be a string, got NUMBER: '42'");
  }

  @Test
  void oversizedAgentObjectIsRefused() throws Exception {
    ObjectNode body = body("size");
    ((ObjectNode) body.get("agent")).putObject("health").put("note", "x".repeat(5000));

    HttpResponse<String> answer = post(cloud.newAgentKey(cloud.newTenant()), body);

    assertRejected(answer, "\"agent\" must be at most 4096 bytes of JSON: ");
  }

  @Test
  void healthThatIsNoObjectIsRefused() throws Exception {
    ObjectNode body = body("shape");
    ((ObjectNode) body.get("agent")).put("health", "fine");

    HttpResponse<String> answer = post(cloud.newAgentKey(cloud.newTenant()), body);

    assertRejected(answer, "agent.health must be a JSON object, got STRING");
  }

  @Test
  void hugeCostRejectedBatchLands() throws Exception {
    Tenant tenant = cloud.newTenant();
    String records = "[" + Records.json(Records.numbered("cost", 0, DAY)).put("cost", 0)
        .toString().replace("\"cost\":0", "\"cost\":1e400") + ","
        + Records.json(Records.numbered("cost", 1, DAY)).put("cost", 0).toString()
            .replace("\"cost\":0", "\"cost\":1e999999999") + ","
        + Records.json(Records.numbered("cost", 2, DAY)) + "]";
    String body = JSON.writeValueAsString(body("cost")).replace("[]", records);

    HttpResponse<String> answer = cloud.postIngest(cloud.newAgentKey(tenant),
        body.getBytes(StandardCharsets.UTF_8), Map.of());

    assertThat(answer.statusCode()).as(answer.body()).isEqualTo(202);
    JsonNode counts = JSON.readTree(answer.body());
    assertThat(counts.path("ingested").asInt()).isEqualTo(1);
    assertThat(counts.path("rejected").get(0).path("reason").asText())
        .isEqualTo("cost is out of range, must be between 0 and 1000000: '1E+400'");
    assertThat(counts.path("rejected").get(1).path("reason").asText())
        .isEqualTo("cost is out of range, must be between 0 and 1000000: '1E+999999999'");
    assertThat(stored(tenant, "SELECT count(*) FROM quarantine WHERE tenant_id = ?"))
        .isEqualTo("2");
  }

  /** Returns a valid envelope with an empty records array. */
  private static ObjectNode body(String name) throws Exception {
    ObjectNode body = (ObjectNode) JSON.readTree(Records.body(List.of()));
    ((ObjectNode) body.get("agent")).put("host", "agent-" + name);
    return body;
  }

  private static HttpResponse<String> post(String key, ObjectNode body) throws Exception {
    return cloud.postIngest(key, JSON.writeValueAsBytes(body), Map.of());
  }

  private static void assertRejected(HttpResponse<String> answer, String message)
      throws Exception {
    assertThat(answer.statusCode()).as(answer.body()).isEqualTo(400);
    JsonNode error = JSON.readTree(answer.body());
    assertThat(error.path("code").asText()).isEqualTo("NAT-API-008");
    assertThat(error.path("message").asText()).startsWith(message);
  }

  private static String stored(Tenant tenant, String sql) throws Exception {
    try (Connection connection = cloud.dataSource().getConnection();
        PreparedStatement select = connection.prepareStatement(sql)) {
      select.setLong(1, tenant.id());
      try (ResultSet rows = select.executeQuery()) {
        assertThat(rows.next()).isTrue();
        return rows.getString(1);
      }
    }
  }
}
