package io.natalia.oxo.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.Base64;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AuthenticationTest {
  private static final Instant NOW = Instant.parse("2026-03-30T12:00:00Z");
  private static final Account COLLECTOR =
      new Account("natalia-collector", "s3cret-Passw0rd!-long-enough", true);
  private static final Account AUDITOR = new Account("auditor", "another-password-123", false);

  @TempDir Path stateDir;
  private final FakeClock clock = new FakeClock(NOW);
  private OxoSimulator pbx;
  private PinnedClient client;

  @BeforeEach
  void start() throws Exception {
    FakeTraffic traffic = new FakeTraffic(ZoneId.of("Europe/Paris"))
        .steady("c", NOW.minus(Duration.ofHours(2)), Duration.ofMinutes(5), 10);
    pbx = OxoSimulator.builder().stateDir(stateDir).traffic(traffic).clock(clock)
        .backlog(Duration.ofDays(1)).account(COLLECTOR).account(AUDITOR).start();
    client = new PinnedClient(pbx.baseUri(), pbx.certificate());
  }

  @AfterEach
  void stop() {
    pbx.close();
  }

  @Test
  void loginReturnsSignedJwtValidOneHour() throws Exception {
    HttpResponse<String> response = client.login(COLLECTOR.login(), COLLECTOR.password());

    assertThat(response.statusCode()).isEqualTo(200);
    JsonNode body = PinnedClient.JSON.readTree(response.body());
    assertThat(body.get("expires_in").asInt()).isEqualTo(3600);
    String[] parts = body.get("token").asText().split("\\.");
    assertThat(parts).hasSize(3);
    JsonNode header = PinnedClient.JSON.readTree(Base64.getUrlDecoder().decode(parts[0]));
    JsonNode claims = PinnedClient.JSON.readTree(Base64.getUrlDecoder().decode(parts[1]));
    assertThat(header.get("alg").asText()).isEqualTo("HS256");
    assertThat(claims.get("iat").asLong()).isEqualTo(NOW.getEpochSecond());
    assertThat(claims.get("exp").asLong()).isEqualTo(NOW.getEpochSecond() + 3600);
    assertThat(claims.get("sub").asText()).isEqualTo("natalia-collector");
  }

  @Test
  void wrongPasswordIs401() throws Exception {
    HttpResponse<String> response = client.login(COLLECTOR.login(), "wrong");

    assertThat(response.statusCode()).isEqualTo(401);
    assertThat(response.body()).contains("invalid login or password");
  }

  @Test
  void unknownAccountIs401() throws Exception {
    assertThat(client.login("admin", COLLECTOR.password()).statusCode()).isEqualTo(401);
  }

  @Test
  void loginWithoutBasicIs401() throws Exception {
    HttpResponse<String> response = client.send(HttpRequest.newBuilder(
        pbx.baseUri().resolve(OxoSimulator.LOGIN_PATH))
        .POST(HttpRequest.BodyPublishers.noBody()));

    assertThat(response.statusCode()).isEqualTo(401);
    assertThat(response.headers().firstValue("WWW-Authenticate")).hasValue("Basic realm=\"OXO\"");
  }

  @Test
  void validTokenReadsRecords() throws Exception {
    HttpResponse<String> response =
        client.records(client.token(COLLECTOR), "2026-03-29T00:00:00Z");

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.headers().firstValue("Content-Type").orElseThrow())
        .startsWith("application/json");
    assertThat(PinnedClient.JSON.readTree(response.body())).hasSize(10);
  }

  @Test
  void accountWithoutCdrOperatorProfileIs403() throws Exception {
    HttpResponse<String> response =
        client.records(client.token(AUDITOR), "2026-03-29T00:00:00Z");

    assertThat(response.statusCode()).isEqualTo(403);
    assertThat(response.body()).contains("auditor", "CDR operator profile");
  }

  @Test
  void disabledCdrOverIpIs404() throws Exception {
    String token = client.token(COLLECTOR);
    pbx.cdrOverIpEnabled(false);

    HttpResponse<String> response = client.records(token, "2026-03-29T00:00:00Z");

    assertThat(response.statusCode()).isEqualTo(404);
    assertThat(response.body()).contains("CDR over IP");
  }

  @Test
  void missingTokenIs401() throws Exception {
    HttpResponse<String> response = client.records(null, "2026-03-29T00:00:00Z");

    assertThat(response.statusCode()).isEqualTo(401);
    assertThat(response.body()).contains("missing Bearer token");
  }

  @Test
  void tamperedTokenIs401() throws Exception {
    String token = client.token(COLLECTOR);
    String[] parts = token.split("\\.");
    String otherClaims = Base64.getUrlEncoder().withoutPadding().encodeToString(
        "{\"sub\":\"natalia-collector\",\"iat\":1,\"exp\":9999999999}"
            .getBytes(StandardCharsets.UTF_8));

    HttpResponse<String> response =
        client.records(parts[0] + "." + otherClaims + "." + parts[2], "2026-03-29T00:00:00Z");

    assertThat(response.statusCode()).isEqualTo(401);
    assertThat(response.body()).contains("signature is invalid");
  }

  @Test
  void garbageTokenIs401() throws Exception {
    assertThat(client.records("not-a-jwt", "2026-03-29T00:00:00Z").statusCode())
        .isEqualTo(401);
  }

  @Test
  void tokenExpiresAfterItsLifetime() throws Exception {
    String token = client.token(COLLECTOR);

    clock.advance(Duration.ofSeconds(3599));
    int beforeExpiry = client.records(token, "2026-03-29T00:00:00Z").statusCode();
    clock.advance(Duration.ofSeconds(1));
    HttpResponse<String> atExpiry = client.records(token, "2026-03-29T00:00:00Z");

    assertThat(beforeExpiry).isEqualTo(200);
    assertThat(atExpiry.statusCode()).isEqualTo(401);
    assertThat(atExpiry.body()).contains("token expired");
  }

  @Test
  void tokenFromEarlierStartIsRejected() throws Exception {
    String token = client.token(COLLECTOR);
    pbx.close();
    pbx = OxoSimulator.builder().stateDir(stateDir).traffic(new FakeTraffic(pbx.zone()))
        .clock(clock).account(COLLECTOR).start();
    client = new PinnedClient(pbx.baseUri(), pbx.certificate());

    assertThat(client.records(token, "2026-03-29T00:00:00Z").statusCode()).isEqualTo(401);
  }

  @Test
  void unparseableSinceIs400NamingValue() throws Exception {
    HttpResponse<String> response = client.records(client.token(COLLECTOR), "yesterday");

    assertThat(response.statusCode()).isEqualTo(400);
    assertThat(response.body()).contains("invalid since 'yesterday'", "2026-05-24T00:00:00Z");
  }

  @Test
  void missingSinceIs400() throws Exception {
    String token = client.token(COLLECTOR);
    HttpResponse<String> response = client.send(HttpRequest.newBuilder(
        pbx.baseUri().resolve(OxoSimulator.RECORDS_PATH))
        .header("Authorization", "Bearer " + token).GET());

    assertThat(response.statusCode()).isEqualTo(400);
    assertThat(response.body()).contains("missing query parameter since");
  }

  @Test
  void nonJsonAcceptIs406() throws Exception {
    String token = client.token(COLLECTOR);
    HttpResponse<String> response = client.send(HttpRequest.newBuilder(
        client.recordsUri("2026-03-29T00:00:00Z"))
        .header("Authorization", "Bearer " + token).header("Accept", "text/csv").GET());

    assertThat(response.statusCode()).isEqualTo(406);
  }
}
