package io.natalia.cloud.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.natalia.cdr.CallRecord;
import io.natalia.cloud.service.CloudFixture;
import io.natalia.cloud.service.Records;
import io.natalia.cloud.tenant.Tenant;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.slf4j.LoggerFactory;

class IngestLimitsTest {
  private static final long MAX_BODY = 200_000;
  private static final long MAX_DECODED = 400_000;
  private static final int MAX_RECORDS = 100;

  @RegisterExtension
  static final CloudFixture cloud = new CloudFixture(IngestSettings.defaults()
      .withSizes(MAX_BODY, MAX_DECODED, MAX_RECORDS).withRate(0.001, 3));
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Instant DAY = Instant.parse("2026-06-01T08:00:00Z");

  @Test
  void oversizedBodyGets413() throws Exception {
    byte[] body = new byte[(int) MAX_BODY + 1];
    Arrays.fill(body, (byte) ' ');

    HttpResponse<String> answer = cloud.postIngest(newKey(), body, Map.of());

    assertRefused(answer, 413, "NAT-API-004");
    assertThat(answer.body()).contains(Long.toString(MAX_BODY));
  }

  @Test
  void gzipBombGets413() throws Exception {
    byte[] spaces = new byte[(int) MAX_DECODED * 2];
    Arrays.fill(spaces, (byte) ' ');
    byte[] bomb = Records.gzip(spaces);
    assertThat(bomb.length).isLessThan((int) MAX_BODY);

    HttpResponse<String> answer =
        cloud.postIngest(newKey(), bomb, Map.of("Content-Encoding", "gzip"));

    assertRefused(answer, 413, "NAT-API-004");
  }

  @Test
  void tooManyRecordsGet413() throws Exception {
    List<CallRecord> records = new ArrayList<>();
    for (int n = 0; n <= MAX_RECORDS; n++) {
      records.add(Records.numbered("many", n, DAY));
    }

    HttpResponse<String> answer = cloud.postIngest(newKey(),
        Records.gzip(Records.bodyOf(records)), Map.of("Content-Encoding", "gzip"));

    assertRefused(answer, 413, "NAT-API-009");
  }

  @Test
  void nulInRawIsRejectedAndBatchLands() throws Exception {
    ObjectNode bad = Records.json(Records.numbered("nul", 0, DAY));
    bad.putObject("raw").put("subscriberName", "a\u0000b");
    ObjectNode good = Records.json(Records.numbered("nul", 1, DAY));

    HttpResponse<String> answer =
        cloud.postIngest(newKey(), Records.body(List.of(bad, good)), Map.of());

    assertThat(answer.statusCode()).as(answer.body()).isEqualTo(202);
    JsonNode counts = JSON.readTree(answer.body());
    assertThat(counts.path("ingested").asInt()).isEqualTo(1);
    assertThat(counts.path("rejected").get(0).path("reason").asText())
        .startsWith("raw must not contain NUL");
  }

  @Test
  void oversizedRawIsQuarantinedAndBatchLands() throws Exception {
    Tenant tenant = cloud.newTenant();
    ObjectNode small = Records.json(Records.numbered("raw", 0, DAY));
    small.set("raw", rawOfEmptyObjects(7_000));
    ObjectNode huge = Records.json(Records.numbered("raw", 1, DAY));
    huge.set("raw", rawOfEmptyObjects(100_000));
    ObjectNode good = Records.json(Records.numbered("raw", 2, DAY));

    HttpResponse<String> answer = cloud.postIngest(cloud.newAgentKey(tenant),
        Records.gzip(Records.body(List.of(small, huge, good))),
        Map.of("Content-Encoding", "gzip"));

    assertThat(answer.statusCode()).as(answer.body()).isEqualTo(202);
    JsonNode counts = JSON.readTree(answer.body());
    assertThat(counts.path("ingested").asInt()).isEqualTo(1);
    assertThat(counts.path("rejected").get(0).path("reason").asText())
        .isEqualTo("raw must be at most 16384 bytes as compact JSON: '21007 bytes'");
    assertThat(counts.path("rejected").get(1).path("reason").asText())
        .isEqualTo("raw must be at most 16384 bytes as compact JSON: '300007 bytes'");
    assertThat(quarantinedPayloads(tenant).get(0)).contains("\"raw\": {\"x\": [{}, {}");
    assertThat(quarantinedPayloads(tenant).get(1)).matches("\\{\"note\": \"payload of \\d+ bytes"
        + " not kept\"}");
  }

  @Test
  void nulInEnvelopeGets400() throws Exception {
    String body = new String(Records.bodyOf(List.of(Records.numbered("env", 0, DAY))),
        StandardCharsets.UTF_8).replace("test-agent", "test\\u0000agent");

    HttpResponse<String> answer = cloud.postIngest(newKey(),
        body.getBytes(StandardCharsets.UTF_8), Map.of());

    assertRefused(answer, 400, "NAT-API-008");
  }

  @Test
  void truncatedGzipGets400WithoutError() throws Exception {
    byte[] gzip = Records.gzip("{\"records\":[]}".getBytes(StandardCharsets.UTF_8));
    byte[] truncated = Arrays.copyOf(gzip, gzip.length - 5);
    Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    ListAppender<ILoggingEvent> events = new ListAppender<>();
    events.start();
    root.addAppender(events);
    HttpResponse<String> answer;
    try {
      answer = cloud.postIngest(newKey(), truncated, Map.of("Content-Encoding", "gzip"));
    } finally {
      root.detachAppender(events);
    }

    assertRefused(answer, 400, "NAT-API-005");
    assertThat(JSON.readTree(answer.body()).get("message").asText())
        .contains("the gzip stream ends early");
    assertThat(events.list).noneSatisfy(
        event -> assertThat(event.getLevel().isGreaterOrEqual(Level.ERROR)).isTrue());
    assertThat(events.list).noneSatisfy(
        event -> assertThat(event.getThrowableProxy()).isNotNull());
  }

  @Test
  void trailingContentGets400() throws Exception {
    byte[] body = "{\"records\":[]} {}".getBytes(StandardCharsets.UTF_8);

    HttpResponse<String> answer = cloud.postIngest(newKey(), body, Map.of());

    assertRefused(answer, 400, "NAT-API-005");
    assertThat(answer.body()).contains("content after the JSON object");
  }

  @Test
  void duplicateKeyGets400() throws Exception {
    byte[] body = "{\"records\":[],\"records\":[]}".getBytes(StandardCharsets.UTF_8);

    HttpResponse<String> answer = cloud.postIngest(newKey(), body, Map.of());

    assertRefused(answer, 400, "NAT-API-005");
    assertThat(answer.body()).contains("Duplicate field 'records'");
  }

  @Test
  void unknownEncodingGets415() throws Exception {
    HttpResponse<String> answer = cloud.postIngest(newKey(),
        Records.bodyOf(List.of(Records.numbered("br", 0, DAY))), Map.of("Content-Encoding",
            "br"));

    assertRefused(answer, 415, "NAT-API-007");
  }

  @Test
  void rateLimitGets429WithRetryAfter() throws Exception {
    String key = newKey();
    byte[] body = Records.bodyOf(List.of(Records.numbered("rate", 0, DAY)));
    for (int n = 0; n < 3; n++) {
      assertThat(cloud.postIngest(key, body, Map.of()).statusCode()).isEqualTo(202);
    }

    HttpResponse<String> answer = cloud.postIngest(key, body, Map.of());

    assertRefused(answer, 429, "NAT-API-003");
    assertThat(answer.headers().firstValue("Retry-After")).hasValueSatisfying(
        seconds -> assertThat(Long.parseLong(seconds)).isPositive());
    assertThat(cloud.postIngest(newKey(), body, Map.of()).statusCode())
        .as("another key has its own budget").isEqualTo(202);
  }

  /** Returns {@code {"x":[{},{},...]}} with {@code count} empty objects: 3 * count + 7 bytes. */
  private static ObjectNode rawOfEmptyObjects(int count) {
    ObjectNode raw = JSON.createObjectNode();
    ArrayNode list = raw.putArray("x");
    for (int i = 0; i < count; i++) {
      list.addObject();
    }
    return raw;
  }

  private static List<String> quarantinedPayloads(Tenant tenant) throws SQLException {
    try (Connection c = cloud.dataSource().getConnection();
        PreparedStatement select = c.prepareStatement("SELECT payload::text FROM quarantine"
            + " WHERE tenant_id = ? ORDER BY record_index")) {
      select.setLong(1, tenant.id());
      List<String> payloads = new ArrayList<>();
      try (ResultSet rows = select.executeQuery()) {
        while (rows.next()) {
          payloads.add(rows.getString(1));
        }
      }
      return payloads;
    }
  }

  private static String newKey() {
    return cloud.newAgentKey(cloud.newTenant());
  }

  private static void assertRefused(HttpResponse<String> answer, int status, String code)
      throws Exception {
    assertThat(answer.statusCode()).as(answer.body()).isEqualTo(status);
    assertThat(JSON.readTree(answer.body()).get("code").asText()).isEqualTo(code);
  }
}
