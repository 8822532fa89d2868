package io.natalia.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.natalia.agent.config.ConfigStore;
import io.natalia.agent.health.ErrorCode;
import io.natalia.agent.testing.AgentProcess;
import io.natalia.agent.testing.FakeCloud;
import io.natalia.agent.testing.FakePbx;
import io.natalia.agent.testing.TestConfigs;
import io.natalia.agent.testing.TestTls;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneId;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The agent as a separate JVM killed with SIGKILL at awkward moments, and the agent with the
 * cloud down long enough for the disk-buffer alarms to fire.
 */
class AgentProcessTest {
  private static final ZoneId PARIS = ZoneId.of("Europe/Paris");
  private static final int TICKETS = 3000;

  @TempDir Path dir;
  private final TestTls tls = new TestTls();
  private FakePbx pbx;
  private FakeCloud cloud;

  @BeforeEach
  void startFakes() throws Exception {
    pbx = new FakePbx(tls, PARIS).pageCap(100);
    cloud = new FakeCloud(tls);
    for (int i = 0; i < TICKETS; i++) {
      pbx.add(FakePbx.ticket(java.time.LocalDateTime.parse("2026-05-20T08:00:00")
          .plusSeconds(20L * i).toString(), "1" + (i % 50)));
    }
  }

  @AfterEach
  void stopFakes() {
    pbx.close();
    cloud.close();
  }

  @Test
  void sigkillMidPollAndMidUploadLosesNothing() throws Exception {
    Path config = TestConfigs.write(dir, TestConfigs.json(dir, tls, pbx.port(), cloud.url()));
    pbx.delayMillis(200);

    // Killed while it reads pages from the PBX.
    Process first = AgentProcess.start(config, dir.resolve("agent-1.log"));
    await().atMost(Duration.ofSeconds(60)).until(() -> pbx.requests().size() >= 5);
    first.destroyForcibly().waitFor();

    // Killed while it uploads batches to the cloud.
    pbx.delayMillis(0);
    Process second = AgentProcess.start(config, dir.resolve("agent-2.log"));
    await().atMost(Duration.ofSeconds(60)).until(() -> !cloud.batchSizes().isEmpty());
    second.destroyForcibly().waitFor();

    Process third = AgentProcess.start(config, dir.resolve("agent-3.log"));
    try {
      await().atMost(Duration.ofSeconds(120)).until(() -> cloud.ticketIds().size() >= TICKETS);
    } finally {
      third.destroyForcibly().waitFor();
    }
    Set<Long> missing = new TreeSet<>();
    LongStream.rangeClosed(1, TICKETS).forEach(missing::add);
    missing.removeAll(cloud.ticketIds());
    assertThat(missing).isEmpty();
    assertThat(cloud.distinctRecords()).isEqualTo(TICKETS);
  }

  @Test
  void cloudOutageFillsBufferThenBacklogDrains() throws Exception {
    cloud.down(true);
    var json = TestConfigs.json(dir, tls, pbx.port(), cloud.url());
    ((com.fasterxml.jackson.databind.node.ObjectNode) json.get("buffer")).put("maxMegabytes", 1);
    ConfigStore store = ConfigStore.open(TestConfigs.write(dir, json));

    try (Agent agent = Agent.start(store, Clock.systemUTC(), c -> { })) {
      await().atMost(Duration.ofSeconds(60)).until(() -> agent.status().recentErrors().stream()
          .anyMatch(e -> e.code() == ErrorCode.NAT_AGT_008));
      assertThat(agent.status().recentErrors()).anyMatch(e -> e.code() == ErrorCode.NAT_AGT_007);
      assertThat(agent.status().recordsRead()).isLessThan(TICKETS);

      cloud.down(false);
      await().atMost(Duration.ofSeconds(120)).until(() -> cloud.distinctRecords() == TICKETS);
      await().atMost(Duration.ofSeconds(30)).until(() -> agent.status().recordsPending() == 0);

      assertThat(agent.status().currentErrors()).noneMatch(e -> e.code() == ErrorCode.NAT_AGT_008);
    }
    assertThat(cloud.receivedCounts().values()).allMatch(count -> count == 1);
  }
}
