package io.natalia.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.natalia.agent.config.ConfigStore;
import io.natalia.agent.health.AgentStatus;
import io.natalia.agent.testing.FakeCloud;
import io.natalia.agent.testing.FakePbx;
import io.natalia.agent.testing.TestConfigs;
import io.natalia.agent.testing.TestTls;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneId;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AgentTest {
  private static final ZoneId PARIS = ZoneId.of("Europe/Paris");

  @TempDir Path dir;
  private final TestTls tls = new TestTls();
  private FakePbx pbx;
  private FakeCloud cloud;

  @BeforeEach
  void startFakes() throws Exception {
    pbx = new FakePbx(tls, PARIS);
    cloud = new FakeCloud(tls);
  }

  @AfterEach
  void stopFakes() {
    pbx.close();
    cloud.close();
  }

  @Test
  void everyTicketReachesTheCloudOnce() throws Exception {
    for (int i = 0; i < 250; i++) {
      pbx.add(FakePbx.ticket(String.format("2026-05-24T08:%02d:%02d", i / 60, i % 60),
          "1" + (i % 20)));
    }
    pbx.pageCap(100);
    ConfigStore store = ConfigStore.open(TestConfigs.write(dir,
        TestConfigs.json(dir, tls, pbx.port(), cloud.url())));

    try (Agent agent = Agent.start(store, Clock.systemUTC(), config -> { })) {
      await().atMost(Duration.ofSeconds(30)).until(() -> cloud.distinctRecords() == 250);
      pbx.add(FakePbx.ticket("2026-05-24T09:00:00", "150"));
      agent.collectNow();
      await().atMost(Duration.ofSeconds(30)).until(() -> cloud.distinctRecords() == 251);
      await().atMost(Duration.ofSeconds(30)).until(() -> agent.status().recordsPending() == 0);

      AgentStatus status = agent.status();
      assertThat(status.recordsRead()).isEqualTo(251);
      assertThat(status.recordsForwarded()).isEqualTo(251);
      assertThat(status.currentErrors()).isEmpty();
    }
    assertThat(cloud.receivedCounts().values()).allMatch(count -> count == 1);
    assertThat(pbx.logins()).isEqualTo(1);
  }
}
