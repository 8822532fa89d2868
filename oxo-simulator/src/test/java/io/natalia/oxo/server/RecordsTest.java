package io.natalia.oxo.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.natalia.oxo.server.FakeTraffic.Leg;
import io.natalia.oxo.truth.TruthReport;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RecordsTest {
  private static final ZoneId PARIS = ZoneId.of("Europe/Paris");
  private static final Account COLLECTOR =
      new Account("natalia-collector", "collector-password-0123456789", true);

  @TempDir Path stateDir;
  private OxoSimulator pbx;
  private PinnedClient client;
  private FakeClock clock;

  @AfterEach
  void stop() {
    if (pbx != null) {
      pbx.close();
    }
  }

  private void start(FakeTraffic traffic, Instant now, int bufferCapacity, int pageCap)
      throws Exception {
    clock = new FakeClock(now);
    pbx = OxoSimulator.builder().stateDir(stateDir).zone(PARIS).traffic(traffic).clock(clock)
        .backlog(Duration.ofDays(3)).bufferCapacity(bufferCapacity).pageCap(pageCap)
        .account(COLLECTOR).start();
    client = new PinnedClient(pbx.baseUri(), pbx.certificate());
  }

  @Test
  void recordHasPbxFieldsAndLocalStartTime() throws Exception {
    Instant start = Instant.parse("2026-05-24T06:31:12Z");
    start(new FakeTraffic(PARIS).outgoing("c1", start, "0612345678", new Leg("112", 4, 160)),
        start.plus(Duration.ofHours(1)), 1000, 500);

    JsonNode record = client.page(client.token(COLLECTOR), start.minusSeconds(60)).get(0);

    assertThat(record.get("ticketId").asLong()).isEqualTo(1);
    assertThat(record.get("type").asText()).isEqualTo("outgoing");
    assertThat(record.get("chargedUser").asText()).isEqualTo("112");
    assertThat(record.get("subscriberName").asText()).isEqualTo("Zoë Łukasiewicz 112");
    assertThat(record.get("startTime").asText()).isEqualTo("2026-05-24T08:31:12");
    assertThat(record.get("ringDuration").asText()).isEqualTo("00:00:04");
    assertThat(record.get("duration").asText()).isEqualTo("00:02:40");
    assertThat(record.get("dialledNumber").asText()).isEqualTo("0612345678");
    assertThat(record.get("cost").asText()).isEqualTo("0.12");
  }

  @Test
  void pageIsOrderedByStartTime() throws Exception {
    Instant first = Instant.parse("2026-05-24T06:00:00Z");
    FakeTraffic traffic = new FakeTraffic(PARIS)
        .incoming("long", first, "0140000000", new Leg("110", 10, 600))
        .incoming("short", first.plusSeconds(60), "0140000001", new Leg("111", 5, 30));
    start(traffic, first.plus(Duration.ofHours(1)), 1000, 500);

    JsonNode page = client.page(client.token(COLLECTOR), first);

    assertThat(page).hasSize(2);
    assertThat(page.get(0).get("callingNumber").asText()).isEqualTo("0140000000");
    assertThat(page.get(0).get("ticketId").asLong()).isEqualTo(2);
    assertThat(page.get(1).get("callingNumber").asText()).isEqualTo("0140000001");
    assertThat(page.get(1).get("ticketId").asLong()).isEqualTo(1);
  }

  @Test
  void pagingBySinceKeepsLongCallWrittenLate() throws Exception {
    Instant first = Instant.parse("2026-05-24T06:00:00Z");
    FakeTraffic traffic = new FakeTraffic(PARIS)
        .incoming("long", first, "0140000000", new Leg("110", 10, 600))
        .steady("short", first.plusSeconds(60), Duration.ofMinutes(1), 4);
    start(traffic, first.plus(Duration.ofHours(1)), 1000, 2);
    String token = client.token(COLLECTOR);

    List<String> numbers = new ArrayList<>();
    Instant since = first.minusSeconds(60);
    for (int request = 0; request < 6; request++) {
      JsonNode page = client.page(token, since);
      if (page.isEmpty()) {
        break;
      }
      page.forEach(record -> numbers.add(record.get("callingNumber").asText()));
      String lastStart = page.get(page.size() - 1).get("startTime").asText();
      since = LocalDateTime.parse(lastStart).atZone(PARIS).toInstant();
    }

    assertThat(numbers).contains("0140000000", "0612341000", "0612341001", "0612341002",
        "0612341003");
    assertThat(pbx.bufferStatus().ticketsEvictedUnserved()).isZero();
  }

  @Test
  void pagingUnderCapReadsAll() throws Exception {
    Instant first = Instant.parse("2026-05-24T06:00:00Z");
    start(new FakeTraffic(PARIS).steady("c", first, Duration.ofMinutes(2), 7),
        first.plus(Duration.ofHours(2)), 1000, 3);
    String token = client.token(COLLECTOR);

    Map<Long, JsonNode> seen = new LinkedHashMap<>();
    List<Integer> pageSizes = new ArrayList<>();
    Instant since = first.minusSeconds(1);
    for (int request = 0; request < 10; request++) {
      JsonNode page = client.page(token, since);
      pageSizes.add(page.size());
      int before = seen.size();
      page.forEach(record -> seen.put(record.get("ticketId").asLong(), record));
      if (seen.size() == before) {
        break;
      }
      String lastStart = page.get(page.size() - 1).get("startTime").asText();
      since = LocalDateTime.parse(lastStart).atZone(PARIS).toInstant();
    }

    assertThat(pageSizes).allMatch(size -> size <= 3);
    assertThat(pageSizes.get(0)).isEqualTo(3);
    assertThat(seen.keySet()).containsExactly(1L, 2L, 3L, 4L, 5L, 6L, 7L);
  }

  @Test
  void sinceAcknowledgesEarlierTicketsAndFreesBuffer() throws Exception {
    Instant first = Instant.parse("2026-05-24T06:00:00Z");
    start(new FakeTraffic(PARIS).steady("c", first, Duration.ofMinutes(10), 6),
        first.plus(Duration.ofHours(2)), 1000, 500);
    String token = client.token(COLLECTOR);
    client.page(token, first);

    JsonNode page = client.page(token, first.plus(Duration.ofMinutes(30)));

    // Before +30 min, and the delivered ticket that started at +30 min.
    assertThat(page).hasSize(2);
    assertThat(page.get(0).get("ticketId").asLong()).isEqualTo(5);
    assertThat(pbx.bufferStatus().size()).isEqualTo(2);
    assertThat(client.page(token, first)).hasSize(2);
  }

  @Test
  void sinceAcknowledgesDeliveredSameSecond() throws Exception {
    Instant first = Instant.parse("2026-05-24T06:00:00Z");
    start(new FakeTraffic(PARIS).steady("c", first, Duration.ZERO, 50),
        first.plus(Duration.ofHours(1)), 1000, 20);
    String token = client.token(COLLECTOR);

    java.util.Set<Long> seen = new java.util.TreeSet<>();
    int requests = 0;
    for (JsonNode page = client.page(token, first); !page.isEmpty();
        page = client.page(token, first)) {
      page.forEach(record -> assertThat(seen.add(record.get("ticketId").asLong())).isTrue());
      requests++;
    }

    assertThat(seen).hasSize(50);
    assertThat(requests).isEqualTo(3);
    assertThat(pbx.bufferStatus().ticketsEvictedUnserved()).isZero();
  }

  @Test
  void transferWritesOneTicketPerHolder() throws Exception {
    Instant start = Instant.parse("2026-05-24T07:00:00Z");
    FakeTraffic traffic = new FakeTraffic(PARIS).incoming("t1", start, "0298765432",
        new Leg("G1", 12, 0), new Leg("110", 3, 45), new Leg("112", 2, 300));
    start(traffic, start.plus(Duration.ofHours(1)), 1000, 500);

    JsonNode page = client.page(client.token(COLLECTOR), start);
    TruthReport truth = pbx.truth(start, start.plusSeconds(1), PARIS);

    assertThat(page).hasSize(3);
    assertThat(page.findValuesAsText("chargedUser")).containsExactly("G1", "110", "112");
    assertThat(page.findValuesAsText("initialUser")).containsOnly("G1");
    assertThat(page.findValuesAsText("startTime")).containsExactly(
        "2026-05-24T09:00:00", "2026-05-24T09:00:12", "2026-05-24T09:01:00");
    assertThat(truth.calls()).singleElement()
        .satisfies(call -> assertThat(call.legs()).hasSize(3));
    assertThat(truth.calls().get(0).talkSeconds()).isEqualTo(345);
  }

  @Test
  void springForwardDayHasShiftedLocalTimes() throws Exception {
    // On 2026-03-29 Paris skips from 02:00 to 03:00 local time (01:00 UTC).
    FakeTraffic traffic = new FakeTraffic(PARIS)
        .incoming("before", Instant.parse("2026-03-29T00:30:00Z"), "0140000000",
            new Leg("110", 5, 60))
        .incoming("after", Instant.parse("2026-03-29T01:30:00Z"), "0140000001",
            new Leg("110", 5, 60));
    start(traffic, Instant.parse("2026-03-29T12:00:00Z"), 1000, 500);

    JsonNode page = client.page(client.token(COLLECTOR), Instant.parse("2026-03-29T00:00:00Z"));
    TruthReport truth = pbx.truth(Instant.parse("2026-03-28T23:00:00Z"),
        Instant.parse("2026-03-29T22:00:00Z"), PARIS);

    assertThat(page.findValuesAsText("startTime"))
        .containsExactly("2026-03-29T01:30:00", "2026-03-29T03:30:00");
    assertThat(truth.days()).singleElement()
        .satisfies(day -> assertThat(day.totals().calls()).isEqualTo(2));
  }

  @Test
  void fallBackDayResolvesRepeatedHour() throws Exception {
    // On 2026-10-25 Paris repeats 02:00-03:00 local time: 00:30Z and 01:30Z both print 02:30.
    FakeTraffic traffic = new FakeTraffic(PARIS)
        .incoming("first", Instant.parse("2026-10-25T00:30:00Z"), "0140000000",
            new Leg("110", 5, 60))
        .incoming("second", Instant.parse("2026-10-25T01:30:00Z"), "0140000001",
            new Leg("110", 5, 60));
    start(traffic, Instant.parse("2026-10-25T12:00:00Z"), 1000, 500);
    String token = client.token(COLLECTOR);

    JsonNode all = client.page(token, Instant.parse("2026-10-25T00:00:00Z"));
    JsonNode afterFirst = client.page(token, Instant.parse("2026-10-25T01:00:00Z"));
    TruthReport truth = pbx.truth(Instant.parse("2026-10-24T22:00:00Z"),
        Instant.parse("2026-10-25T23:00:00Z"), PARIS);

    assertThat(all.findValuesAsText("startTime"))
        .containsExactly("2026-10-25T02:30:00", "2026-10-25T02:30:00");
    assertThat(afterFirst.findValuesAsText("callingNumber")).containsExactly("0140000001");
    assertThat(truth.days()).singleElement()
        .satisfies(day -> assertThat(day.totals().calls()).isEqualTo(2));
  }

  @Test
  void fullBufferDropsNewTicketsAndCountsThem() throws Exception {
    Instant first = Instant.parse("2026-05-24T06:00:00Z");
    start(new FakeTraffic(PARIS).steady("c", first, Duration.ofMinutes(1), 8),
        first.plus(Duration.ofHours(1)), 5, 500);

    JsonNode page = client.page(client.token(COLLECTOR), first);
    TruthReport truth = pbx.truth(first, first.plus(Duration.ofHours(1)), PARIS);

    assertThat(page.findValuesAsText("callingNumber"))
        .containsExactly("0612341000", "0612341001", "0612341002", "0612341003", "0612341004");
    assertThat(pbx.droppedTickets()).isEqualTo(3);
    assertThat(truth.ticketsDropped()).extracting(t -> t.callId())
        .containsExactly("c5", "c6", "c7");
    assertThat(truth.days().get(0).ticketsDropped()).isEqualTo(3);
  }

  @Test
  void ticketsEnterBufferWhenLegEnds() throws Exception {
    Instant now = Instant.parse("2026-05-24T06:00:00Z");
    start(new FakeTraffic(PARIS).incoming("live", now.plusSeconds(10), "0140000000",
        new Leg("110", 5, 60)), now, 1000, 500);
    String token = client.token(COLLECTOR);

    JsonNode beforeEnd = client.page(token, now);
    clock.advance(Duration.ofSeconds(74));
    JsonNode justBefore = client.page(token, now);
    clock.advance(Duration.ofSeconds(2));
    JsonNode afterEnd = client.page(token, now);

    assertThat(beforeEnd).isEmpty();
    assertThat(justBefore).isEmpty();
    assertThat(afterEnd).hasSize(1);
  }

  @Test
  void groundTruthAgreesWithServedTickets() throws Exception {
    Instant first = Instant.parse("2026-05-24T06:00:00Z");
    FakeTraffic traffic = new FakeTraffic(PARIS)
        .steady("s", first, Duration.ofMinutes(7), 20)
        .incoming("missed", first.plusSeconds(90), "0140000009", new Leg("G1", 30, 0))
        .incoming("xfer", first.plusSeconds(400), "0140000010",
            new Leg("110", 4, 20), new Leg("111", 3, 50))
        .outgoing("out", first.plusSeconds(900), "0033612345678", new Leg("112", 8, 120));
    start(traffic, first.plus(Duration.ofHours(6)), 1000, 7);
    String token = client.token(COLLECTOR);

    List<JsonNode> served = new ArrayList<>();
    Instant since = first.minusSeconds(1);
    for (JsonNode page = client.page(token, since); page.size() > 0;
        page = client.page(token, since)) {
      page.forEach(served::add);
      since = LocalDateTime.parse(page.get(page.size() - 1).get("startTime").asText())
          .atZone(PARIS).toInstant().plusSeconds(1);
    }
    TruthReport truth = pbx.truth(first.minus(Duration.ofHours(1)),
        first.plus(Duration.ofHours(6)), PARIS);

    int truthLegs = truth.calls().stream().mapToInt(call -> call.legs().size()).sum();
    long servedTalk = served.stream()
        .mapToLong(record -> PinnedClient.seconds(record.get("duration").asText())).sum();
    long truthTalk = truth.calls().stream().mapToLong(call -> call.talkSeconds()).sum();
    assertThat(served).hasSize(truthLegs);
    assertThat(servedTalk).isEqualTo(truthTalk);
    assertThat(truth.days().get(0).totals().missed()).isEqualTo(1);
    assertThat(truth.days().get(0).totals().incomingAnswered()).isEqualTo(21);
    assertThat(truth.days().get(0).totals().outgoing()).isEqualTo(1);
    assertThat(truth.ticketsEvictedUnservedTotal()).isZero();
  }
}
