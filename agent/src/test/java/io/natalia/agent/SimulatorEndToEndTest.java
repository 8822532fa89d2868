package io.natalia.agent;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.natalia.agent.config.AgentConfig;
import io.natalia.agent.config.ConfigStore;
import io.natalia.agent.forward.Forwarder;
import io.natalia.agent.health.AgentException;
import io.natalia.agent.health.StatusBoard;
import io.natalia.agent.pbx.oxo.ConnectionTest;
import io.natalia.agent.pbx.oxo.Poller;
import io.natalia.agent.spool.Spool;
import io.natalia.agent.testing.FakeCloud;
import io.natalia.agent.testing.TestConfigs;
import io.natalia.agent.testing.TestTls;
import io.natalia.oxo.buffer.BufferStatus;
import io.natalia.oxo.fault.Faults;
import io.natalia.oxo.server.OxoSimulator;
import io.natalia.oxo.traffic.GeneratedTicket;
import io.natalia.oxo.traffic.TrafficGenerator;
import io.natalia.oxo.traffic.TrafficSettings;
import io.natalia.oxo.traffic.TrafficSource;
import io.natalia.oxo.traffic.TruthCall;
import java.net.http.HttpClient;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Consumer;
import java.util.stream.LongStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The agent against the real OXO simulator, one fault mode at a time: every ticket the PBX
 * wrote reaches the recording cloud exactly once, or sits in the local quarantine when the
 * fault made it unreadable.
 */
class SimulatorEndToEndTest {
  private static final ZoneId PARIS = ZoneId.of("Europe/Paris");
  private static final Duration POLL_INTERVAL = Duration.ofMinutes(30);
  private static final int POLLS = 12;
  private static final java.time.format.DateTimeFormatter PBX_TIME =
      java.time.format.DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss");

  @TempDir Path dir;

  static Stream<Arguments> faults() {
    return Stream.of(
        scenario("no fault", "2026-05-20T06:00:00Z", 100, faults -> { }),
        scenario("token expiry mid-run", "2026-05-20T06:00:00Z", 100,
            faults -> faults.tokenLifetime(Duration.ofMinutes(20))),
        scenario("server errors", "2026-05-20T06:00:00Z", 100, faults -> faults.serverErrors(2)),
        scenario("too many requests", "2026-05-20T06:00:00Z", 100,
            faults -> faults.tooManyRequests(2, Duration.ofSeconds(1))),
        scenario("slow responses", "2026-05-20T06:00:00Z", 100,
            faults -> faults.slowResponses(Duration.ofMillis(300))),
        scenario("cut connections", "2026-05-20T06:00:00Z", 100,
            faults -> faults.cutConnections(3)),
        scenario("malformed records", "2026-05-20T06:00:00Z", 100,
            faults -> faults.malformedRecords(4).halfWrittenRecords(2)),
        scenario("duplicates across pages", "2026-05-20T06:00:00Z", 50,
            faults -> faults.duplicateAcrossPages(true)),
        scenario("small page cap", "2026-05-20T06:00:00Z", 25, faults -> { }),
        scenario("PBX clock skew", "2026-05-20T06:00:00Z", 100,
            faults -> faults.clockOffset(Duration.ofMinutes(-47))),
        scenario("DST change", "2026-10-24T22:00:00Z", 100, faults -> { }));
  }

  private static Arguments scenario(String name, String start, int pageCap,
      Consumer<Faults> fault) {
    return Arguments.of(name, Instant.parse(start), pageCap, fault);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("faults")
  void everyTicketArrivesOnce(String name, Instant start, int pageCap, Consumer<Faults> fault)
      throws Exception {
    MutableClock clock = new MutableClock(start);
    TestTls tls = new TestTls();
    TrafficGenerator traffic = new TrafficGenerator(42,
        TrafficSettings.builder().zone(PARIS).build());
    try (OxoSimulator pbx = OxoSimulator.builder().stateDir(dir.resolve("pbx")).zone(PARIS)
            .traffic(traffic).backlog(Duration.ofHours(30)).pageCap(pageCap)
            .bufferCapacity(100_000).clock(clock).start();
        FakeCloud cloud = new FakeCloud(tls)) {
      fault.accept(pbx.faults());
      AgentConfig config = config(tls, pbx, cloud);
      Harness agent = new Harness(config, dir.resolve("spool.db"));

      for (int poll = 0; poll < POLLS; poll++) {
        agent.pollAndForward();
        clock.advance(POLL_INTERVAL);
      }
      clock.advance(Duration.ofHours(3));
      agent.pollAndForward();
      agent.pollAndForward();

      BufferStatus status = pbx.bufferStatus();
      long quarantined = agent.spool.quarantineCount();
      agent.close();
      assertThat(status.ticketsDropped()).isZero();
      assertThat(status.ticketsEvictedUnserved()).isZero();
      assertThat(status.ticketsWritten()).isGreaterThan(40);
      Set<Long> missing = new TreeSet<>();
      LongStream.rangeClosed(1, status.ticketsWritten()).forEach(missing::add);
      missing.removeAll(cloud.ticketIds());
      assertThat(missing).hasSize((int) quarantined);
      assertThat(cloud.receivedCounts().values()).allMatch(count -> count == 1);
    }
  }

  /**
   * More tickets sharing one start second than a page holds: the agent asks again from that
   * second, which acknowledges the tickets already delivered, and reads every one. A page cap
   * of 7 once lost 16 of them.
   */
  @ParameterizedTest(name = "page cap {0}")
  @ValueSource(ints = {7, 20})
  void sameSecondBeyondPageCapArrivesOnce(int pageCap) throws Exception {
    Instant start = Instant.parse("2026-05-20T08:00:00Z");
    TestTls tls = new TestTls();
    try (OxoSimulator pbx = OxoSimulator.builder().stateDir(dir.resolve("pbx")).zone(PARIS)
            .traffic(new CraftedTraffic(Collections.nCopies(100, start)))
            .backlog(Duration.ofHours(2))
            .pageCap(pageCap).clock(InstantSource.fixed(start.plus(Duration.ofHours(1))))
            .start();
        FakeCloud cloud = new FakeCloud(tls)) {
      Harness agent = new Harness(config(tls, pbx, cloud), dir.resolve("spool.db"));

      agent.pollAndForward();
      agent.pollAndForward();

      BufferStatus status = pbx.bufferStatus();
      agent.close();
      assertThat(status.ticketsWritten()).isEqualTo(100);
      assertThat(status.ticketsEvictedUnserved()).isZero();
      assertThat(cloud.ticketIds()).containsExactlyInAnyOrderElementsOf(
          LongStream.rangeClosed(1, 100).boxed().toList());
      assertThat(cloud.receivedCounts().values()).allMatch(count -> count == 1);
    }
  }

  /**
   * A PBX that serves a full page of one start second again although {@code since} acknowledges
   * it: each poll stops after a few requests with the cursor on that second, and once the PBX
   * acknowledges again every ticket arrives, none skipped.
   */
  @Test
  void pageServedAgainWaitsForTheNextPoll() throws Exception {
    Instant start = Instant.parse("2026-05-20T08:00:00Z");
    List<Instant> starts = new ArrayList<>(Collections.nCopies(30, start));
    for (int i = 1; i <= 10; i++) {
      starts.add(start.plus(Duration.ofMinutes(10L * i)));
    }
    TestTls tls = new TestTls();
    try (OxoSimulator pbx = OxoSimulator.builder().stateDir(dir.resolve("pbx")).zone(PARIS)
            .traffic(new CraftedTraffic(starts)).backlog(Duration.ofHours(4)).pageCap(7)
            .clock(InstantSource.fixed(start.plus(Duration.ofHours(3)))).start();
        FakeCloud cloud = new FakeCloud(tls)) {
      pbx.faults().ignoreDelivered(true);
      Harness agent = new Harness(config(tls, pbx, cloud), dir.resolve("spool.db"));

      Poller.PollResult first = agent.poller.pollOnce(() -> false);
      Poller.PollResult second = agent.poller.pollOnce(() -> false);
      Instant cursor = agent.spool.cursor();
      pbx.faults().ignoreDelivered(false);
      Poller.PollResult third = agent.poller.pollOnce(() -> false);
      agent.pollAndForward();

      BufferStatus status = pbx.bufferStatus();
      agent.close();
      assertThat(first.stall()).contains("served the same 7 tickets again", "nothing is skipped");
      assertThat(first.pages()).isLessThanOrEqualTo(5);
      assertThat(first.newRecords()).isEqualTo(7);
      assertThat(second.stall()).isNotNull();
      assertThat(second.pages()).isEqualTo(2);
      assertThat(second.newRecords()).isZero();
      assertThat(cursor).isEqualTo(start);
      assertThat(third.stall()).isNull();
      assertThat(status.ticketsEvictedUnserved()).isZero();
      assertThat(cloud.ticketIds()).containsExactlyInAnyOrderElementsOf(
          LongStream.rangeClosed(1, 40).boxed().toList());
      assertThat(cloud.receivedCounts().values()).allMatch(count -> count == 1);
    }
  }

  /**
   * Calls on both occurrences of the repeated hour of Paris's autumn change (02:00 to 03:00
   * local, twice, on 2026-10-25): each ticket reaches the cloud once, and a local time in that
   * hour is read as its first occurrence (summer time), as docs/agent.md documents.
   */
  @ParameterizedTest(name = "page cap {0}")
  @ValueSource(ints = {3, 100})
  void repeatedDstHourArrivesOnce(int pageCap) throws Exception {
    List<Instant> starts = Stream.of("2026-10-24T23:50:00Z", "2026-10-25T00:10:00Z",
        "2026-10-25T00:40:00Z", "2026-10-25T01:10:00Z", "2026-10-25T01:40:00Z",
        "2026-10-25T02:10:00Z").map(Instant::parse).toList();
    TestTls tls = new TestTls();
    try (OxoSimulator pbx = OxoSimulator.builder().stateDir(dir.resolve("pbx")).zone(PARIS)
            .traffic(new CraftedTraffic(starts)).backlog(Duration.ofHours(6)).pageCap(pageCap)
            .clock(InstantSource.fixed(Instant.parse("2026-10-25T04:00:00Z"))).start();
        FakeCloud cloud = new FakeCloud(tls)) {
      Harness agent = new Harness(config(tls, pbx, cloud), dir.resolve("spool.db"));

      agent.pollAndForward();
      agent.pollAndForward();

      agent.close();
      assertThat(cloud.receivedCounts().values()).hasSize(starts.size())
          .allMatch(count -> count == 1);
      Map<Long, Instant> received = cloud.startsByTicketId();
      for (int i = 0; i < starts.size(); i++) {
        Instant firstOccurrence = LocalDateTime.ofInstant(starts.get(i), PARIS).atZone(PARIS)
            .withEarlierOffsetAtOverlap().toInstant();
        assertThat(received.get(i + 1L)).as("ticket %d", i + 1).isEqualTo(firstOccurrence);
      }
      assertThat(received.get(4L)).isEqualTo(starts.get(3).minus(Duration.ofHours(1)));
    }
  }

  private AgentConfig config(TestTls tls, OxoSimulator pbx, FakeCloud cloud) throws Exception {
    ObjectNode json = TestConfigs.json(dir, tls, pbx.port(), cloud.url());
    ObjectNode pbxJson = (ObjectNode) json.get("pbx");
    pbxJson.put("password", pbx.collectorAccount().password());
    pbxJson.put("certificateSha256", pbx.fingerprintSha256());
    return ConfigStore.open(TestConfigs.write(dir, json)).current();
  }

  /** The agent's poller and forwarder, driven step by step on the test's clock. */
  private static final class Harness {
    final Spool spool;
    final Poller poller;
    final Forwarder forwarder;
    final HttpClient http;
    final List<String> failures = new ArrayList<>();

    Harness(AgentConfig config, Path spoolFile) throws Exception {
      StatusBoard board = new StatusBoard(Clock.systemUTC());
      spool = Spool.open(spoolFile, io.natalia.agent.crypto.EncryptionKey.loadOrCreate(
          spoolFile.resolveSibling("spool.key")), Clock.systemUTC(), failures::add);
      http = ConnectionTest.httpClient(config.pbx());
      poller = Poller.create(config.pbx(), http, spool, board, Clock.systemUTC(),
          System::nanoTime, duration -> Thread.sleep(Math.min(duration.toMillis(), 1000)));
      forwarder = Forwarder.create(spool, board, config, "test", "test-host",
          () -> board.snapshot(new StatusBoard.BufferFigures(spool.pendingCount(), spool.lag(),
              spool.usedBytes(), config.buffer().maxBytes(), spool.quarantineCount())),
          Clock.systemUTC());
    }

    void pollAndForward() throws InterruptedException {
      try {
        poller.pollOnce(() -> false);
      } catch (AgentException e) {
        failures.add(e.getMessage());
      }
      for (int i = 0; i < 1000 && forwarder.forwardOnce() != null; i++) {
        // One batch per call.
      }
    }

    void close() {
      http.close();
      spool.close();
    }
  }

  /**
   * Short outgoing calls at the given start times, one ticket each, written when the call
   * ends. Calls further apart than a minute are numbered in list order.
   */
  private record CraftedTraffic(List<Instant> starts) implements TrafficSource {
    @Override
    public Iterator<GeneratedTicket> ticketsWritten(Instant from, Instant to) {
      List<GeneratedTicket> tickets = new ArrayList<>();
      for (int i = 0; i < starts.size(); i++) {
        Instant start = starts.get(i);
        int talkSeconds = 10 + i % 50;
        Instant written = start.plusSeconds(5 + talkSeconds);
        String local = PBX_TIME.format(LocalDateTime.ofInstant(start, PARIS));
        if (written.isBefore(from) || !written.isBefore(to)) {
          continue;
        }
        ObjectNode fields = JsonNodeFactory.instance.objectNode();
        fields.put("type", "outgoing");
        fields.put("initialUser", Integer.toString(100 + i));
        fields.put("chargedUser", Integer.toString(100 + i));
        fields.put("subscriberName", "User " + i);
        fields.put("line", "T1");
        fields.put("startTime", local);
        fields.put("ringDuration", "00:00:05");
        fields.put("duration",
            String.format(java.util.Locale.ROOT, "00:00:%02d", talkSeconds));
        fields.put("dialledNumber", "0140000" + (100 + i));
        fields.put("units", 1);
        fields.put("cost", 0.10);
        tickets.add(new GeneratedTicket("crafted-" + i, 0, written, fields));
      }
      tickets.sort(java.util.Comparator.comparing(GeneratedTicket::writtenAt));
      return tickets.iterator();
    }

    @Override
    public List<TruthCall> callsStarted(Instant from, Instant to) {
      return List.of();
    }
  }

  /** The simulator's wall clock, moved by the test. */
  private static final class MutableClock implements InstantSource {
    private volatile Instant now;

    MutableClock(Instant start) {
      now = start;
    }

    void advance(Duration duration) {
      now = now.plus(duration);
    }

    @Override
    public Instant instant() {
      return now;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      return Clock.fixed(now, ZoneOffset.UTC);
    }
  }
}
