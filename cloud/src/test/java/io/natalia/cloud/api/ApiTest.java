package io.natalia.cloud.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.natalia.cloud.analytics.AnalyticsFixture;
import io.natalia.cloud.analytics.CallFilter;
import io.natalia.cloud.analytics.Summary;
import io.natalia.cloud.analytics.TimeRange;
import io.natalia.cloud.auth.ApiKeys;
import io.natalia.cloud.auth.Role;
import io.natalia.cloud.store.TestDatabase;
import io.natalia.oxo.traffic.TrafficGenerator;
import io.natalia.oxo.traffic.TrafficSettings;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The API's authentication, roles, parameters and responses over real HTTPS. */
class ApiTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final ZoneId PARIS = ZoneId.of("Europe/Paris");

  @RegisterExtension static final TestDatabase db = new TestDatabase();
  private static AnalyticsFixture fixture;
  private static ApiServer api;

  @BeforeAll
  static void start() throws Exception {
    fixture = new AnalyticsFixture(db.dataSource(), "API", PARIS,
        Instant.parse("2026-04-15T00:00:00Z"));
    fixture.load(new TrafficGenerator(11, TrafficSettings.builder().build())
        .ticketsWritten(Instant.parse("2026-03-25T00:00:00Z"),
            Instant.parse("2026-04-02T00:00:00Z")));
    api = new ApiServer(fixture);
  }

  @AfterAll
  static void stop() {
    api.close();
  }

  @Test
  void invalidTokenRejected() throws Exception {
    HttpResponse<String> none = api.get("/api/v1/summary?from=2026-03-29&to=2026-03-30", null);
    HttpResponse<String> forged = api.get("/api/v1/summary?from=2026-03-29&to=2026-03-30",
        "nat_at_aaaaaaaaaaaa.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA");

    assertThat(none.statusCode()).isEqualTo(401);
    assertThat(JSON.readTree(none.body()).path("code").asText()).isEqualTo("NAT-API-001");
    assertThat(forged.statusCode()).isEqualTo(401);
  }

  @Test
  void agentKeyCannotReadTheApi() throws Exception {
    String agentKey = fixture.apiKeys().create(fixture.tenant().id(), ApiKeys.Kind.AGENT,
        "another agent", null, "test").key();

    HttpResponse<String> response =
        api.get("/api/v1/summary?from=2026-03-29&to=2026-03-30", agentKey);

    assertThat(response.statusCode()).isEqualTo(401);
  }

  @Test
  void revokedTokenIsRefused() throws Exception {
    String token = api.token(Role.VIEWER);
    fixture.apiKeys().revoke(fixture.tenant().id(), token.substring(0, token.indexOf('.')),
        "test");

    HttpResponse<String> response = api.get("/api/v1/summary?from=2026-03-29&to=2026-03-30",
        token);

    assertThat(response.statusCode()).isEqualTo(401);
  }

  @Test
  void summaryOfDatesIsTheTenantsLocalDays() throws Exception {
    HttpResponse<String> response =
        api.get("/api/v1/summary?from=2026-03-29&to=2026-03-30", api.token(Role.VIEWER));

    Summary expected = fixture.analytics().summary(fixture.tenant(),
        TimeRange.ofDays(LocalDate.parse("2026-03-29"), LocalDate.parse("2026-03-30"), PARIS),
        CallFilter.NONE);
    JsonNode body = JSON.readTree(response.body());
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(body.path("range").path("from").asText()).isEqualTo("2026-03-28T23:00:00Z");
    assertThat(body.path("range").path("to").asText()).isEqualTo("2026-03-29T22:00:00Z");
    assertThat(body.path("calls").asLong()).isEqualTo(expected.calls()).isPositive();
    assertThat(body.path("missed").asLong()).isEqualTo(expected.missed());
  }

  @Test
  void filtersNarrowTheCallLog() throws Exception {
    String token = api.token(Role.VIEWER);
    String range = "from=2026-03-26&to=2026-03-31";

    JsonNode all = JSON.readTree(api.get("/api/v1/calls?" + range, token).body());
    JsonNode missed = JSON.readTree(
        api.get("/api/v1/calls?" + range + "&outcome=missed&size=500", token).body());

    assertThat(missed.path("total").asLong()).isPositive()
        .isLessThan(all.path("total").asLong());
    for (JsonNode call : missed.path("calls")) {
      assertThat(call.path("direction").asText()).isEqualTo("incoming");
      assertThat(call.path("answered").asBoolean()).isFalse();
    }
  }

  @Test
  void badParameterIsRefusedNamingItsValue() throws Exception {
    String token = api.token(Role.VIEWER);

    HttpResponse<String> bucket = api.get(
        "/api/v1/timeseries?from=2026-03-29&to=2026-03-30&bucket=fortnight", token);
    HttpResponse<String> order = api.get("/api/v1/summary?from=2026-03-30&to=2026-03-29",
        token);
    HttpResponse<String> size = api.get("/api/v1/calls?from=2026-03-29&to=2026-03-30&size=x",
        token);

    assertThat(bucket.statusCode()).isEqualTo(400);
    assertThat(JSON.readTree(bucket.body()).path("code").asText()).isEqualTo("NAT-API-015");
    assertThat(bucket.body()).contains("fortnight");
    assertThat(order.statusCode()).isEqualTo(400);
    assertThat(order.body()).contains("from must be before to");
    assertThat(size.statusCode()).isEqualTo(400);
    assertThat(size.body()).contains("size must be a whole number: 'x'");
  }

  @Test
  void unknownPathAndWrongMethodAnswerJson() throws Exception {
    String token = api.token(Role.VIEWER);

    HttpResponse<String> unknown = api.get("/api/v1/nothing-here?x=1", token);
    HttpResponse<String> post = api.send("POST", "/api/v1/summary", token);
    HttpResponse<String> delete = api.send("DELETE", "/api/v1/alerts", null);

    assertThat(unknown.statusCode()).isEqualTo(404);
    assertThat(JSON.readTree(unknown.body()).path("code").asText()).isEqualTo("NAT-API-016");
    assertThat(JSON.readTree(unknown.body()).path("message").asText())
        .startsWith("no endpoint GET /api/v1/nothing-here;");
    assertThat(post.statusCode()).isEqualTo(405);
    assertThat(JSON.readTree(post.body()).path("code").asText()).isEqualTo("NAT-API-017");
    assertThat(post.headers().firstValue("Allow")).hasValueSatisfying(
        allow -> assertThat(allow).contains("GET"));
    assertThat(delete.statusCode()).isEqualTo(405);
    assertThat(JSON.readTree(delete.body()).path("message").asText())
        .startsWith("DELETE is not allowed on /api/v1/alerts; allowed: ");
  }

  @Test
  void exportNeedsAnalystOrAdmin() throws Exception {
    String path = "/api/v1/cdr/export?format=csv&from=2026-03-29&to=2026-03-30";

    for (Role role : Role.values()) {
      HttpResponse<String> response = api.get(path, api.token(role));

      int expected = role == Role.ANALYST || role == Role.ADMIN ? 200 : 403;
      assertThat(response.statusCode()).as(role.name()).isEqualTo(expected);
      if (expected == 403) {
        assertThat(response.body()).contains("NAT-API-014", "cdr.export");
      }
    }
  }

  @Test
  void alertsListIsEmptyWithoutAlerts() throws Exception {
    HttpResponse<String> response = api.get("/api/v1/alerts", api.token(Role.VIEWER));

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(JSON.readTree(response.body()).path("alerts").isArray()).isTrue();
  }
}
