package io.natalia.oxo.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneId;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StartupTest {
  @TempDir Path stateDir;

  @Test
  void portInUseFailsNamingPort() throws Exception {
    FakeTraffic traffic = new FakeTraffic(ZoneId.of("Europe/Paris"));
    try (OxoSimulator first = OxoSimulator.builder().stateDir(stateDir).traffic(traffic)
        .start()) {
      OxoSimulator.Builder second = OxoSimulator.builder().stateDir(stateDir).traffic(traffic)
          .port(first.port());

      assertThatThrownBy(second::start).isInstanceOf(IOException.class)
          .hasMessageContaining("cannot start the OXO simulator on 127.0.0.1:" + first.port());
    }
    try (Stream<Path> files = Files.list(stateDir)) {
      assertThat(files.map(path -> path.getFileName().toString()))
          .noneMatch(name -> name.endsWith(".buffer"));
    }
  }

  @Test
  void missingTrafficIsRejected() {
    assertThatThrownBy(() -> OxoSimulator.builder().stateDir(stateDir).start())
        .hasMessage("traffic is required: call traffic(TrafficSource)");
  }

  @Test
  void invalidSettingsNameTheValue() {
    assertThatThrownBy(() -> OxoSimulator.builder().port(70000))
        .hasMessage("port must be between 0 and 65535: 70000");
    assertThatThrownBy(() -> OxoSimulator.builder().bufferCapacity(0))
        .hasMessage("bufferCapacity must be at least 1: 0");
    assertThatThrownBy(() -> OxoSimulator.builder().pageCap(0))
        .hasMessage("pageCap must be at least 1: 0");
  }
}
