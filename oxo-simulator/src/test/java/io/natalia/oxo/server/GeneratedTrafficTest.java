package io.natalia.oxo.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.natalia.oxo.traffic.TrafficGenerator;
import io.natalia.oxo.traffic.TrafficSettings;
import io.natalia.oxo.traffic.TruthCall;
import io.natalia.oxo.truth.TruthReport;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The simulator driven by the real traffic generator, over a week with a DST change. */
class GeneratedTrafficTest {
  private static final ZoneId PARIS = ZoneId.of("Europe/Paris");
  private static final Instant NOW = Instant.parse("2026-03-30T06:00:00Z");
  private static final DateTimeFormatter LOCAL =
      DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss");

  @TempDir Path stateDir;

  @Test
  void groundTruthAgreesWithEveryTicketServed() throws Exception {
    TrafficGenerator traffic = new TrafficGenerator(42, TrafficSettings.builder()
        .zone(PARIS).extensions(25).build());
    Account collector = new Account("natalia-collector", "collector-password-0123456789", true);
    Map<Long, JsonNode> served = new HashMap<>();
    TruthReport truth;
    try (OxoSimulator pbx = OxoSimulator.builder().stateDir(stateDir).zone(PARIS)
        .traffic(traffic).clock(new FakeClock(NOW)).backlog(Duration.ofDays(7))
        .bufferCapacity(100_000).pageCap(500).account(collector).start()) {
      PinnedClient client = new PinnedClient(pbx.baseUri(), pbx.certificate());
      String token = client.token(collector);
      readEverything(client, token, NOW.minus(Duration.ofDays(8)), served);
      truth = pbx.truth(NOW.minus(Duration.ofDays(6)), NOW.minus(Duration.ofHours(3)), PARIS);
      assertThat(pbx.bufferStatus().ticketsEvictedUnserved()).isZero();
      assertThat(pbx.droppedTickets()).isZero();
    }

    Map<String, Integer> ticketsByLeg = new HashMap<>();
    for (JsonNode record : served.values()) {
      long talkSeconds = PinnedClient.seconds(record.get("duration").asText());
      String key = legKey(record.get("startTime").asText(), record.get("chargedUser").asText(),
          talkSeconds);
      ticketsByLeg.merge(key, 1, Integer::sum);
    }
    int legs = 0;
    for (TruthCall call : truth.calls()) {
      for (TruthCall.Leg leg : call.legs()) {
        legs++;
        String key = legKey(LOCAL.format(leg.startedAt().atZone(PARIS)), leg.extension(),
            leg.talkSeconds());
        assertThat(ticketsByLeg.getOrDefault(key, 0))
            .as("served tickets for leg %s of call %s", key, call.callId())
            .isPositive();
      }
    }
    assertThat(legs).isGreaterThan(500);
    assertThat(truth.calls()).anyMatch(call -> call.legs().size() > 1);
    assertThat(truth.days()).hasSize(7);
  }

  private static void readEverything(PinnedClient client, String token, Instant since,
      Map<Long, JsonNode> served) throws Exception {
    for (int request = 0; request < 10_000; request++) {
      JsonNode page = client.page(token, since);
      int before = served.size();
      page.forEach(record -> served.put(record.get("ticketId").asLong(), record));
      if (served.size() == before) {
        return;
      }
      String lastStart = page.get(page.size() - 1).get("startTime").asText();
      since = LocalDateTime.parse(lastStart).atZone(PARIS).toInstant();
    }
    throw new AssertionError("paging did not finish after 10000 requests");
  }

  private static String legKey(String localStart, String extension, long talkSeconds) {
    return localStart + "/" + extension + "/" + talkSeconds;
  }
}
