package io.natalia.agent.forward;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.natalia.agent.config.AgentConfig;
import io.natalia.agent.config.ConfigStore;
import io.natalia.agent.crypto.EncryptionKey;
import io.natalia.agent.health.AgentStatus;
import io.natalia.agent.health.ErrorCode;
import io.natalia.agent.health.StatusBoard;
import io.natalia.agent.spool.Spool;
import io.natalia.agent.spool.WireRecord;
import io.natalia.agent.testing.FakeCloud;
import io.natalia.agent.testing.TestConfigs;
import io.natalia.agent.testing.TestTls;
import io.natalia.cdr.CallRecord;
import io.natalia.cdr.Direction;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ForwarderTest {
  @TempDir Path dir;
  private final TestTls tls = new TestTls();
  private FakeCloud cloud;
  private Spool spool;
  private StatusBoard board;
  private Forwarder forwarder;
  private AgentConfig config;
  private Instant now = Instant.parse("2026-05-24T08:00:00Z");
  private final InstantSource clock = () -> now;

  @BeforeEach
  void setUp() throws Exception {
    cloud = new FakeCloud(tls);
    config = ConfigStore.open(TestConfigs.write(dir,
        TestConfigs.json(dir, tls, 443, cloud.url()))).current();
    spool = Spool.open(dir.resolve("spool.db"), EncryptionKey.loadOrCreate(dir.resolve("key")),
        Clock.systemUTC(), message -> { });
    board = new StatusBoard(Clock.systemUTC());
    AgentConfig small = config.withCloud(new AgentConfig.Cloud(config.cloud().url(),
        config.cloud().apiKey(), null, config.cloud().caCertificateFile(), 100, 1 << 20));
    // A random source of 1.0 makes the jitter deterministic: the full backoff.
    forwarder = forwarderWith(small);
  }

  @AfterEach
  void tearDown() {
    spool.close();
    cloud.close();
  }

  @Test
  void deliversInBatchesAndEmptiesTheSpool() throws Exception {
    store(250);

    drain();

    assertThat(cloud.batchSizes()).containsExactly(100, 100, 50);
    assertThat(cloud.distinctRecords()).isEqualTo(250);
    assertThat(spool.pendingCount()).isZero();
    assertThat(board.recordsForwarded()).isEqualTo(250);
    assertThat(cloud.envelopes().get(0).toString())
        .contains("\"pbx\":{\"id\":\"oxo-test\",\"type\":\"OXO\",\"timeZone\":\"Europe/Paris\"}");
  }

  @Test
  void retryAfterIsHonoured() throws Exception {
    store(3);
    cloud.script(429, "7");

    Duration wait = forwarder.forwardOnce();

    assertThat(wait).isEqualTo(Duration.ofSeconds(7));
    assertThat(spool.pendingCount()).isEqualTo(3);
    assertThat(board.isRaised(ErrorCode.NAT_AGT_018)).isTrue();
  }

  @Test
  void serverErrorsBackOffExponentiallyThenRecover() throws Exception {
    store(3);
    cloud.script(503, null);
    cloud.script(500, null);
    cloud.script(502, null);

    List<Duration> waits = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      waits.add(forwarder.forwardOnce());
    }

    assertThat(waits).containsExactly(Duration.ofSeconds(1), Duration.ofSeconds(2),
        Duration.ofSeconds(4), Duration.ZERO);
    assertThat(cloud.distinctRecords()).isEqualTo(3);
    assertThat(board.isRaised(ErrorCode.NAT_AGT_018)).isFalse();
  }

  @Test
  void refusedKeyStopsForwardingAndKeepsRecords() throws Exception {
    store(5);
    cloud.refuseKey(true);

    Duration wait = forwarder.forwardOnce();

    assertThat(wait).isNull();
    assertThat(forwarder.isStopped()).isTrue();
    assertThat(spool.pendingCount()).isEqualTo(5);
    assertThat(board.isRaised(ErrorCode.NAT_API_001)).isTrue();
    assertThat(forwarder.forwardOnce()).isNull();
  }

  @Test
  void tooLargeBatchIsSplit() throws Exception {
    store(100);
    cloud.maxRecordsPerRequest(30);

    drain();

    assertThat(cloud.distinctRecords()).isEqualTo(100);
    assertThat(cloud.batchSizes()).allMatch(size -> size <= 30);
    assertThat(spool.pendingCount()).isZero();
  }

  @Test
  void rejectedRecordsGoToQuarantine() throws Exception {
    store(10);
    cloud.rejectWhen(record -> record.path("extension").asText().equals("103"));

    drain();

    assertThat(cloud.distinctRecords()).isEqualTo(9);
    assertThat(spool.pendingCount()).isZero();
    assertThat(spool.quarantineCount()).isEqualTo(1);
    assertThat(spool.quarantine(1).get(0).code()).isEqualTo("NAT-API-010");
    assertThat(board.recordsForwarded()).isEqualTo(9);
  }

  @Test
  void unreachableCloudKeepsRecords() throws Exception {
    store(2);
    cloud.close();

    Duration wait = forwarder.forwardOnce();

    assertThat(wait).isEqualTo(Duration.ofSeconds(1));
    assertThat(spool.pendingCount()).isEqualTo(2);
  }

  @Test
  void pinnedCloudCertificateIsTrusted() throws Exception {
    store(4);
    Forwarder pinned = forwarderWith(cloudPinnedTo(tls.fingerprint(), null));

    Duration wait = pinned.forwardOnce();

    assertThat(wait).isEqualTo(Duration.ZERO);
    assertThat(cloud.distinctRecords()).isEqualTo(4);
    assertThat(spool.pendingCount()).isZero();
  }

  @Test
  void changedCloudCertificateStopsForwardingAndKeepsRecords() throws Exception {
    store(4);
    String otherCertificate = new TestTls().fingerprint();
    Forwarder pinned = forwarderWith(cloudPinnedTo(otherCertificate, null));

    Duration wait = pinned.forwardOnce();

    assertThat(wait).isEqualTo(RetryPolicy.MAX_DELAY);
    assertThat(spool.pendingCount()).isEqualTo(4);
    assertThat(cloud.envelopes()).isEmpty();
    assertThat(board.isRaised(ErrorCode.NAT_AGT_020)).isTrue();
    assertThat(board.isRaised(ErrorCode.NAT_AGT_018)).isFalse();
    String message = board.snapshot(new StatusBoard.BufferFigures(4, Duration.ZERO, 0, 1, 0))
        .currentErrors().get(0).message();
    assertThat(message).contains("cloud certificate changed", tls.fingerprint(),
        "trusted " + otherCertificate, "4 records kept");
  }

  @Test
  void untrustedCaIsNatAgt020() throws Exception {
    store(1);
    Path otherCa = new TestTls().writePem(dir.resolve("other-ca.pem"));
    Forwarder wrongCa = forwarderWith(cloudPinnedTo(null, otherCa));

    Duration wait = wrongCa.forwardOnce();

    assertThat(wait).isEqualTo(RetryPolicy.MAX_DELAY);
    assertThat(cloud.envelopes()).isEmpty();
    assertThat(board.isRaised(ErrorCode.NAT_AGT_020)).isTrue();
  }

  @Test
  void firstContactWithoutPinIsNatAgt021() throws Exception {
    store(3);
    Forwarder unpinned = forwarderWith(cloudPinnedTo(null, null));

    Duration wait = unpinned.forwardOnce();

    assertThat(wait).isEqualTo(RetryPolicy.MAX_DELAY);
    assertThat(cloud.envelopes()).isEmpty();
    assertThat(board.isRaised(ErrorCode.NAT_AGT_021)).isTrue();
    assertThat(board.isRaised(ErrorCode.NAT_AGT_020)).isFalse();
    String message = board.snapshot(new StatusBoard.BufferFigures(3, Duration.ZERO, 0, 1, 0))
        .currentErrors().get(0).message();
    assertThat(message).contains("cloud certificate not trusted yet", "3 records kept");
    assertThat(message).doesNotContain("PKIX", "Exception");
  }

  @Test
  void certificateTrustedAgainClearsNatAgt020() throws Exception {
    store(2);
    forwarderWith(cloudPinnedTo(new TestTls().fingerprint(), null)).forwardOnce();

    Duration wait = forwarderWith(cloudPinnedTo(tls.fingerprint(), null)).forwardOnce();

    assertThat(wait).isEqualTo(Duration.ZERO);
    assertThat(board.isRaised(ErrorCode.NAT_AGT_020)).isFalse();
    assertThat(cloud.distinctRecords()).isEqualTo(2);
  }

  @Test
  void everyBatchCarriesTheHealth() throws Exception {
    store(3);
    board.raise(ErrorCode.NAT_AGT_016, "PBX sent an unexpected response");
    board.raise(ErrorCode.NAT_AGT_007, "disk buffer at 81 %");

    forwarder.forwardOnce();

    JsonNode health = cloud.envelopes().get(0).path("agent").path("health");
    assertThat(health.path("pendingRecords").asLong()).isEqualTo(3);
    assertThat(health.path("errorCode").asText()).isEqualTo("NAT-AGT-007");
    assertThat(health.path("lagSeconds").asLong()).isEqualTo(42);
    assertThat(health.path("bufferUsedPercent").isNumber()).isTrue();
    assertThat(health.path("bufferUsedPercent").asDouble()).isPositive();
    assertThat(cloud.envelopes().get(0).path("agent").path("host").asText())
        .isEqualTo("test-host");
  }

  @Test
  void idleForwarderSendsAHeartbeatEachMinute() throws Exception {
    Duration first = forwarder.forwardOnce();
    Duration atOnce = forwarder.forwardOnce();
    now = now.plusSeconds(59);
    Duration before = forwarder.forwardOnce();
    int beforeMinute = cloud.envelopes().size();
    now = now.plusSeconds(1);
    Duration after = forwarder.forwardOnce();

    assertThat(first).isNull();
    assertThat(atOnce).isNull();
    assertThat(before).isNull();
    assertThat(after).isNull();
    assertThat(beforeMinute).isEqualTo(1);
    assertThat(cloud.envelopes()).hasSize(2);
    assertThat(cloud.batchSizes()).containsExactly(0, 0);
    assertThat(cloud.envelopes().get(1).path("agent").path("health").path("errorCode").isNull())
        .isTrue();
  }

  @Test
  void emptyBufferSendsEarlyHeartbeat() throws Exception {
    store(1);

    Duration afterBatch = forwarder.forwardOnce();
    Duration empty = forwarder.forwardOnce();
    now = now.plus(EnvelopeHead.REFRESH);
    Duration heartbeat = forwarder.forwardOnce();
    Duration idle = forwarder.forwardOnce();

    assertThat(afterBatch).isZero();
    assertThat(empty).isEqualTo(EnvelopeHead.REFRESH);
    assertThat(heartbeat).isNull();
    assertThat(idle).isNull();
    assertThat(cloud.batchSizes()).containsExactly(1, 0);
  }

  @Test
  void failedHeartbeatRaisesNatAgt018() throws Exception {
    cloud.down(true);

    Duration wait = forwarder.forwardOnce();

    assertThat(wait).isEqualTo(Duration.ofSeconds(1));
    assertThat(board.isRaised(ErrorCode.NAT_AGT_018)).isTrue();
  }

  private AgentStatus status() {
    return board.snapshot(new StatusBoard.BufferFigures(spool.pendingCount(),
        Duration.ofSeconds(42), spool.usedBytes(), 1L << 20, spool.quarantineCount()));
  }

  private AgentConfig cloudPinnedTo(String fingerprint, Path caFile) {
    AgentConfig.Cloud cloudSettings = new AgentConfig.Cloud(config.cloud().url(),
        config.cloud().apiKey(), fingerprint, caFile, 100, 1 << 20);
    return config.withCloud(cloudSettings);
  }

  private Forwarder forwarderWith(AgentConfig settings) throws Exception {
    return new Forwarder(spool, new CloudClient(settings.cloud()), new RetryPolicy(() -> 1.0),
        board, settings, new EnvelopeHead(settings, "test", "test-host", this::status, clock),
        clock);
  }

  private void drain() throws InterruptedException {
    for (int i = 0; i < 100 && forwarder.forwardOnce() != null; i++) {
      // Each call sends one batch.
    }
  }

  private void store(int count) {
    List<WireRecord> records = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      records.add(WireRecord.of(new CallRecord("rec-" + i, "oxo-test", (long) i, Direction.INCOMING,
          Instant.parse("2026-05-24T06:31:12Z").plusSeconds(i), 5, 60, true, "10" + i, "Name",
          "G1", "V05", "0612345678", 0, null, null,
          new ObjectMapper().createObjectNode().put("ticketId", i))));
    }
    spool.store(records, List.of(), null, null);
  }
}
