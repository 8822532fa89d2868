package io.natalia.app.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.natalia.app.e2e.Deployment.DayFigures;
import io.natalia.cloud.ingest.AgentHealth;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole product over loopback, each part in its own JVM: the cloud's figures per day equal
 * the simulator's ground truth, with and without faults on the way.
 *
 * <p>Only whole local days are compared whose every call, and every callback within 24 hours,
 * has been written by the PBX: a day ends at least 26 hours of PBX time before the comparison
 * (24 hours of callback window plus the longest leg).
 */
class EndToEndTest {
  private static final Duration SETTLE_TIMEOUT = Duration.ofMinutes(4);
  private static final Duration CALLBACK_AND_LONGEST_LEG = Duration.ofHours(26);

  @TempDir Path folder;

  @Test
  void backlogReachesCloudWithTruthFigures() throws Exception {
    try (Deployment deployment = new Deployment(folder)) {
      deployment.startCloud();
      deployment.createTenantAndAgentKey();
      deployment.startSimulator(4, 1);
      Instant pbxStart = deployment.pbxTime();
      deployment.startAgent(1000);

      Instant from = nextMidnight(pbxStart.minus(Duration.ofDays(4)));
      Instant to = midnight(pbxStart.minus(CALLBACK_AND_LONGEST_LEG));
      assertSameFigures(deployment, from, to);
      assertDrainedHealthReported(deployment);
    }
  }

  @Test
  void figuresSurviveFaultsOnEveryHop() throws Exception {
    try (Deployment deployment = new Deployment(folder)) {
      deployment.startCloud();
      deployment.createTenantAndAgentKey();
      // Tokens are rejected 8 s after login though announced for an hour: each poll logs in
      // again after a 401.
      deployment.startSimulator(4, 1, "server-errors=5", "token-lifetime-seconds=8");
      Instant pbxStart = deployment.pbxTime();
      Instant from = nextMidnight(pbxStart.minus(Duration.ofDays(4)));
      // Small batches, so that the backlog is still on its way when the faults hit.
      deployment.startAgent(50);
      awaitSomeCalls(deployment, from);

      deployment.killAgent();
      deployment.stopCloud();
      deployment.setFaults(Map.of("server-errors", 5));
      deployment.startAgent(50);
      Thread.sleep(Duration.ofSeconds(15));
      deployment.startCloud();
      deployment.setFaults(Map.of("token-lifetime-seconds", 0));

      Instant to = midnight(pbxStart.minus(CALLBACK_AND_LONGEST_LEG));
      assertSameFigures(deployment, from, to);
    }
  }

  /**
   * Waits until the cloud's figures equal the truth, since the last records may still be on
   * their way, then compares them once more so that a failure shows both sides.
   */
  private static void assertSameFigures(Deployment deployment, Instant from, Instant to)
      throws Exception {
    List<DayFigures> truth = deployment.truth(from, to);
    assertThat(truth).as("days compared").isNotEmpty();
    assertThat(truth).as("calls in the truth").anySatisfy(day ->
        assertThat(day.calls()).isPositive());
    Instant deadline = Instant.now().plus(SETTLE_TIMEOUT);
    List<DayFigures> cloud = deployment.cloudFigures(from, to);
    while (!cloud.equals(truth) && Instant.now().isBefore(deadline)) {
      Thread.sleep(Duration.ofSeconds(3));
      cloud = deployment.cloudFigures(from, to);
    }
    assertThat(cloud).as("cloud figures per day, then the logs:\n%s", deployment.logs())
        .containsExactlyElementsOf(truth);
  }

  /**
   * Waits for the health of a request sent once the backlog is forwarded (a heartbeat comes at
   * least every 90 s), then checks every field the agent reports.
   */
  private static void assertDrainedHealthReported(Deployment deployment) throws Exception {
    Instant deadline = Instant.now().plus(SETTLE_TIMEOUT);
    AgentHealth health = deployment.agentHealth();
    while (!Long.valueOf(0).equals(health.pendingRecords()) && Instant.now().isBefore(deadline)) {
      Thread.sleep(Duration.ofSeconds(3));
      health = deployment.agentHealth();
    }
    assertThat(health.pendingRecords()).as("pending records; logs:\n%s", deployment.logs())
        .isZero();
    assertThat(health.lagSeconds()).isZero();
    assertThat(health.bufferUsedPercent()).isBetween(0.0, 100.0);
    assertThat(health.errorCode()).isNull();
  }

  private static void awaitSomeCalls(Deployment deployment, Instant from) throws Exception {
    Instant deadline = Instant.now().plus(SETTLE_TIMEOUT);
    while (deployment.cloudCalls(from) == 0) {
      assertThat(Instant.now()).as("first calls in the cloud; logs:\n%s", deployment.logs())
          .isBefore(deadline);
      Thread.sleep(Duration.ofSeconds(2));
    }
  }

  private static Instant midnight(Instant instant) {
    return LocalDate.ofInstant(instant, Deployment.ZONE).atStartOfDay(Deployment.ZONE)
        .toInstant();
  }

  private static Instant nextMidnight(Instant instant) {
    return LocalDate.ofInstant(instant, Deployment.ZONE).plusDays(1)
        .atStartOfDay(Deployment.ZONE).toInstant();
  }
}
