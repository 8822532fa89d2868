package io.natalia.oxo.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.natalia.oxo.server.FakeTraffic.Leg;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SimulatedClockTest {
  private static final Instant START = Instant.parse("2026-05-24T06:00:00Z");

  @TempDir Path stateDir;

  @Test
  void runsSpeedTimesFasterThanWallClock() {
    FakeClock wall = new FakeClock(START);
    SimulatedClock pbx = new SimulatedClock(wall, 60);

    wall.advance(Duration.ofSeconds(90));

    assertThat(pbx.instant()).isEqualTo(START.plus(Duration.ofMinutes(90)));
  }

  @Test
  void realTimeFollowsWallClock() {
    FakeClock wall = new FakeClock(START);
    SimulatedClock pbx = new SimulatedClock(wall, 1);

    wall.advance(Duration.ofSeconds(90));

    assertThat(pbx.instant()).isEqualTo(START.plusSeconds(90));
  }

  @Test
  void speedBelowOneIsRejected() {
    assertThatThrownBy(() -> new SimulatedClock(new FakeClock(START), 0.5))
        .hasMessage("speed must be between 1 and 1000000: 0.5");
  }

  @Test
  void acceleratedPbxWritesTicketsAhead() throws Exception {
    FakeClock wall = new FakeClock(START);
    FakeTraffic traffic = new FakeTraffic(ZoneId.of("Europe/Paris")).incoming("c",
        START.plus(Duration.ofMinutes(30)), "0140000000", new Leg("110", 5, 60));
    try (OxoSimulator pbx = OxoSimulator.builder().stateDir(stateDir).traffic(traffic)
        .clock(wall).speed(60).start()) {
      long before = pbx.bufferStatus().ticketsWritten();
      wall.advance(Duration.ofSeconds(32));

      assertThat(before).isZero();
      assertThat(pbx.pbxTime()).isEqualTo(START.plus(Duration.ofMinutes(32)));
      assertThat(pbx.bufferStatus().ticketsWritten()).isEqualTo(1);
    }
  }
}
