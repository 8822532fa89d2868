package io.natalia.agent.forward;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.natalia.agent.config.AgentConfig;
import io.natalia.agent.config.ConfigStore;
import io.natalia.agent.crypto.EncryptionKey;
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

  @BeforeEach
  void setUp() throws Exception {
    cloud = new FakeCloud(tls);
    AgentConfig config = ConfigStore.open(TestConfigs.write(dir,
        TestConfigs.json(dir, tls, 443, cloud.url()))).current();
    spool = Spool.open(dir.resolve("spool.db"), EncryptionKey.loadOrCreate(dir.resolve("key")),
        Clock.systemUTC(), message -> { });
    board = new StatusBoard(Clock.systemUTC());
    AgentConfig small = config.withCloud(new AgentConfig.Cloud(config.cloud().url(),
        config.cloud().apiKey(), config.cloud().caCertificateFile(), 100, 1 << 20));
    // A random source of 1.0 makes the jitter deterministic: the full backoff.
    forwarder = new Forwarder(spool, new CloudClient(small.cloud()), new RetryPolicy(() -> 1.0),
        board, small, "test", "test-host");
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
