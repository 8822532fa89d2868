package io.natalia.oxo.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.natalia.oxo.server.FakeTraffic.Leg;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AdminTruthTest {
  private static final ZoneId PARIS = ZoneId.of("Europe/Paris");
  private static final Instant FIRST = Instant.parse("2026-10-24T20:00:00Z");

  @TempDir Path stateDir;
  private OxoSimulator pbx;
  private PinnedClient client;

  @BeforeEach
  void start() throws Exception {
    FakeTraffic traffic = new FakeTraffic(PARIS)
        .incoming("late-saturday", FIRST, "0140000000", new Leg("110", 5, 60))
        .incoming("missed", Instant.parse("2026-10-25T01:30:00Z"), "0140000001",
            new Leg("G1", 20, 0))
        .incoming("xfer", Instant.parse("2026-10-25T09:00:00Z"), "0140000002",
            new Leg("110", 4, 30), new Leg("111", 2, 90))
        .outgoing("out", Instant.parse("2026-10-25T22:30:00Z"), "0612345678",
            new Leg("112", 6, 100));
    pbx = OxoSimulator.builder().stateDir(stateDir).zone(PARIS).traffic(traffic)
        .clock(new FakeClock(Instant.parse("2026-10-26T06:00:00Z")))
        .backlog(Duration.ofDays(3)).bufferCapacity(3).start();
    client = new PinnedClient(pbx.baseUri(), pbx.certificate());
  }

  @AfterEach
  void stop() {
    pbx.close();
  }

  @Test
  void truthEndpointCutsLocalDaysIncludingDstDay() throws Exception {
    HttpResponse<String> response = client.admin(pbx.adminToken(), "GET",
        "/admin/truth?from=2026-10-24&to=2026-10-27&zone=Europe/Paris", null);

    assertThat(response.statusCode()).isEqualTo(200);
    JsonNode truth = PinnedClient.JSON.readTree(response.body());
    assertThat(truth.get("from").asText()).isEqualTo("2026-10-23T22:00:00Z");
    assertThat(truth.get("to").asText()).isEqualTo("2026-10-26T23:00:00Z");
    assertThat(truth.get("days").findValuesAsText("date"))
        .containsExactly("2026-10-24", "2026-10-25", "2026-10-26");
    JsonNode sunday = truth.get("days").get(1);
    assertThat(sunday.get("calls").asInt()).isEqualTo(3);
    assertThat(sunday.get("incoming").asInt()).isEqualTo(2);
    assertThat(sunday.get("incomingAnswered").asInt()).isEqualTo(1);
    assertThat(sunday.get("missed").asInt()).isEqualTo(1);
    assertThat(sunday.get("unreturnedMissed").asInt()).isEqualTo(1);
    assertThat(sunday.get("outgoing").asInt()).isEqualTo(1);
    assertThat(truth.get("calls").get(2).get("legs")).hasSize(2);
    assertThat(sunday.get("talkSeconds").asInt()).isEqualTo(220);
    assertThat(sunday.get("cost").asText()).isEqualTo("0.12");
    assertThat(truth.get("days").get(2).get("calls").asInt()).isZero();
  }

  @Test
  void truthEndpointListsDroppedTickets() throws Exception {
    HttpResponse<String> response = client.admin(pbx.adminToken(), "GET",
        "/admin/truth?from=2026-10-24T00:00:00Z&to=2026-10-27T00:00:00Z", null);

    JsonNode truth = PinnedClient.JSON.readTree(response.body());
    assertThat(truth.get("ticketsDroppedTotal").asInt()).isEqualTo(2);
    assertThat(truth.get("ticketsDropped").findValuesAsText("callId"))
        .containsExactly("xfer", "out");
    JsonNode out = truth.get("calls").get(3);
    assertThat(out.get("callId").asText()).isEqualTo("out");
    assertThat(out.get("localStart").asText()).isEqualTo("2026-10-25T23:30");
    assertThat(out.get("ticketsDropped").asInt()).isEqualTo(1);
  }

  @Test
  void truthEndpointRejectsBadRange() throws Exception {
    HttpResponse<String> badDate = client.admin(pbx.adminToken(), "GET",
        "/admin/truth?from=monday&to=2026-10-27", null);
    HttpResponse<String> reversed = client.admin(pbx.adminToken(), "GET",
        "/admin/truth?from=2026-10-27&to=2026-10-24", null);
    HttpResponse<String> badZone = client.admin(pbx.adminToken(), "GET",
        "/admin/truth?from=2026-10-24&to=2026-10-27&zone=Mars/Olympus", null);

    assertThat(badDate.statusCode()).isEqualTo(400);
    assertThat(badDate.body()).contains("invalid from 'monday'");
    assertThat(reversed.statusCode()).isEqualTo(400);
    assertThat(reversed.body()).contains("to must be after from");
    assertThat(badZone.statusCode()).isEqualTo(400);
    assertThat(badZone.body()).contains("invalid zone 'Mars/Olympus'");
  }

  @Test
  void statusEndpointShowsBuffer() throws Exception {
    HttpResponse<String> response = client.admin(pbx.adminToken(), "GET", "/admin/status", null);

    JsonNode status = PinnedClient.JSON.readTree(response.body());
    assertThat(status.get("buffer").get("capacity").asInt()).isEqualTo(3);
    assertThat(status.get("buffer").get("size").asInt()).isEqualTo(3);
    assertThat(status.get("buffer").get("ticketsDropped").asInt()).isEqualTo(2);
    assertThat(status.get("fingerprintSha256").asText()).isEqualTo(pbx.fingerprintSha256());
  }

  @Test
  void cdrServiceSwitchesOverAdminEndpoint() throws Exception {
    HttpResponse<String> response = client.admin(pbx.adminToken(), "POST",
        "/admin/cdr-over-ip", "{\"enabled\": false}");

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(pbx.cdrOverIpEnabled()).isFalse();
  }
}
