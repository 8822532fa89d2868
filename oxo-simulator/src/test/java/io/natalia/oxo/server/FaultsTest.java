package io.natalia.oxo.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.natalia.oxo.server.FakeTraffic.Leg;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import javax.net.ssl.SSLHandshakeException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FaultsTest {
  private static final ZoneId PARIS = ZoneId.of("Europe/Paris");
  private static final Instant FIRST = Instant.parse("2026-05-24T06:00:00Z");
  private static final String SINCE = "2026-05-24T00:00:00Z";
  private static final Account COLLECTOR =
      new Account("natalia-collector", "collector-password-0123456789", true);

  @TempDir Path stateDir;
  private final FakeClock clock = new FakeClock(FIRST.plus(Duration.ofHours(1)));
  private OxoSimulator pbx;
  private PinnedClient client;

  @BeforeEach
  void start() throws Exception {
    FakeTraffic traffic = new FakeTraffic(PARIS)
        .steady("c", FIRST, Duration.ofMinutes(5), 4)
        .incoming("later", FIRST.plus(Duration.ofHours(2)), "0140000000",
            new Leg("110", 5, 60));
    pbx = OxoSimulator.builder().stateDir(stateDir).zone(PARIS).traffic(traffic).clock(clock)
        .backlog(Duration.ofDays(1)).pageCap(2).account(COLLECTOR).start();
    client = new PinnedClient(pbx.baseUri(), pbx.certificate());
  }

  @AfterEach
  void stop() {
    pbx.close();
  }

  @Test
  void serverErrorBurstEndsAfterCount() throws Exception {
    pbx.faults().serverErrors(2);

    int first = client.login(COLLECTOR.login(), COLLECTOR.password()).statusCode();
    int second = client.records("any", SINCE).statusCode();
    int third = client.login(COLLECTOR.login(), COLLECTOR.password()).statusCode();

    assertThat(first).isEqualTo(503);
    assertThat(second).isEqualTo(503);
    assertThat(third).isEqualTo(200);
  }

  @Test
  void tooManyRequestsCarriesRetryAfter() throws Exception {
    String token = client.token(COLLECTOR);
    pbx.faults().tooManyRequests(1, Duration.ofSeconds(7));

    HttpResponse<String> limited = client.records(token, SINCE);

    assertThat(limited.statusCode()).isEqualTo(429);
    assertThat(limited.headers().firstValue("Retry-After")).hasValue("7");
    assertThat(client.records(token, SINCE).statusCode()).isEqualTo(200);
  }

  @Test
  void slowResponsesWaitBeforeAnswering() throws Exception {
    String token = client.token(COLLECTOR);
    pbx.faults().slowResponses(Duration.ofMillis(300));

    long started = System.nanoTime();
    int status = client.records(token, SINCE).statusCode();
    Duration elapsed = Duration.ofNanos(System.nanoTime() - started);

    assertThat(status).isEqualTo(200);
    assertThat(elapsed).isGreaterThanOrEqualTo(Duration.ofMillis(300));
  }

  @Test
  void cutConnectionFailsBodyAndKeepsTickets() throws Exception {
    String token = client.token(COLLECTOR);
    pbx.faults().cutConnections(1);

    assertThatThrownBy(() -> client.records(token, SINCE)).isInstanceOf(IOException.class);
    JsonNode retried = client.page(token, Instant.parse(SINCE));

    assertThat(retried.findValuesAsText("ticketId")).containsExactly("1", "2");
  }

  @Test
  void malformedRecordHasInvalidValues() throws Exception {
    String token = client.token(COLLECTOR);
    pbx.faults().malformedRecords(1);

    JsonNode page = client.page(token, Instant.parse(SINCE));

    assertThat(page.get(0).get("ticketId").asLong()).isEqualTo(1);
    assertThat(page.get(0).get("startTime").asText()).isEqualTo("2026-13-45T25:61:00");
    assertThat(page.get(0).get("duration").asText()).isEqualTo("1h20");
    assertThat(page.get(1).get("startTime").asText()).isEqualTo("2026-05-24T08:05:00");
  }

  @Test
  void halfWrittenRecordLacksLaterFields() throws Exception {
    String token = client.token(COLLECTOR);
    pbx.faults().halfWrittenRecords(1);

    JsonNode page = client.page(token, Instant.parse(SINCE));

    assertThat(page.get(0).has("ticketId")).isTrue();
    assertThat(page.get(0).has("startTime")).isTrue();
    assertThat(page.get(0).has("duration")).isFalse();
    assertThat(page.get(1).has("duration")).isTrue();
  }

  @Test
  void duplicateRecordAppearsOnNextPage() throws Exception {
    String token = client.token(COLLECTOR);
    pbx.faults().duplicateAcrossPages(true);

    JsonNode first = client.page(token, Instant.parse(SINCE));
    JsonNode second = client.page(token, FIRST.plus(Duration.ofMinutes(7)));

    assertThat(first.findValuesAsText("ticketId")).containsExactly("1", "2");
    assertThat(second.findValuesAsText("ticketId")).containsExactly("2", "3", "4");
  }

  @Test
  void earlyTokenExpiryRejectsTokenBeforeAnnouncedLifetime() throws Exception {
    pbx.faults().tokenLifetime(Duration.ofSeconds(60));
    HttpResponse<String> login = client.login(COLLECTOR.login(), COLLECTOR.password());
    String token = PinnedClient.JSON.readTree(login.body()).get("token").asText();

    clock.advance(Duration.ofSeconds(61));
    HttpResponse<String> response = client.records(token, SINCE);

    assertThat(login.body()).contains("\"expires_in\":3600");
    assertThat(response.statusCode()).isEqualTo(401);
  }

  @Test
  void clockOffsetShiftsStartTimesOfNewTickets() throws Exception {
    pbx.faults().clockOffset(Duration.ofMinutes(7));
    clock.advance(Duration.ofHours(2));
    String token = client.token(COLLECTOR);

    JsonNode page = client.page(token, FIRST.plus(Duration.ofMinutes(30)));

    assertThat(page.findValuesAsText("startTime")).containsExactly("2026-05-24T10:07:00");
  }

  @Test
  void rotatedCertificateFailsOldPin() throws Exception {
    var original = pbx.certificate();
    String originalFingerprint = pbx.fingerprintSha256();

    pbx.faults().rotateCertificate();
    PinnedClient oldPin = new PinnedClient(pbx.baseUri(), original);
    PinnedClient newPin = new PinnedClient(pbx.baseUri(), pbx.certificate());

    assertThat(pbx.fingerprintSha256()).isNotEqualTo(originalFingerprint);
    assertThatThrownBy(() -> oldPin.login(COLLECTOR.login(), COLLECTOR.password()))
        .isInstanceOf(SSLHandshakeException.class);
    assertThat(newPin.login(COLLECTOR.login(), COLLECTOR.password()).statusCode())
        .isEqualTo(200);
  }

  @Test
  void adminEndpointSwitchesFaults() throws Exception {
    HttpResponse<String> set = client.admin(pbx.adminToken(), "POST", "/admin/faults",
        "{\"server-errors\": 1, \"retry-after-seconds\": 9}");

    assertThat(set.statusCode()).isEqualTo(200);
    assertThat(set.body()).contains("\"server-errors\":1", "\"retry-after-seconds\":9");
    assertThat(client.login(COLLECTOR.login(), COLLECTOR.password()).statusCode())
        .isEqualTo(503);
  }

  @Test
  void adminEndpointRejectsUnknownFault() throws Exception {
    HttpResponse<String> set = client.admin(pbx.adminToken(), "POST", "/admin/faults",
        "{\"gremlins\": 3}");

    assertThat(set.statusCode()).isEqualTo(400);
    assertThat(set.body()).contains("unknown fault 'gremlins'", "server-errors");
  }

  @Test
  void adminEndpointNeedsAdminToken() throws Exception {
    assertThat(client.admin(null, "GET", "/admin/faults", null).statusCode()).isEqualTo(401);
    assertThat(client.admin("wrong-token-wrong-token", "GET", "/admin/faults", null)
        .statusCode()).isEqualTo(401);
  }

  @Test
  void faultNamesParseWithClearErrors() {
    assertThatThrownBy(() -> pbx.faults().set("server-errors", "many"))
        .hasMessage("server-errors must be a whole number: 'many'");
    assertThatThrownBy(() -> pbx.faults().set("cut-connections", "-1"))
        .hasMessage("cut-connections must be 0 or more: -1");
    assertThatThrownBy(() -> pbx.faults().set("duplicate-across-pages", "yes"))
        .hasMessage("duplicate-across-pages must be true or false: 'yes'");
  }
}
