package io.natalia.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class AgentCommandTest {
  @TempDir Path dir;

  @Test
  void missingConfigurationExitsWithConfigError() {
    StringWriter err = new StringWriter();

    int code = command(err).execute("agent", "test-connection", "--config",
        dir.resolve("absent.json").toString());

    assertThat(code).isEqualTo(AgentCommand.CONFIG_ERROR);
    assertThat(err.toString()).contains("configuration file not found", "absent.json");
  }

  @Test
  void invalidIntervalIsNamedWithBothValues() throws Exception {
    Path file = dir.resolve("agent.json");
    Files.writeString(file, """
        {"pbx": {"host": "192.0.2.10", "login": "natalia-collector", "password": "p",
                 "timeZone": "Europe/Paris", "pollInterval": "90m"},
         "cloud": {"url": "https://cloud.example", "apiKey": "k"}}
        """);
    StringWriter err = new StringWriter();

    int code = command(err).execute("agent", "--config", file.toString());

    assertThat(code).isEqualTo(AgentCommand.CONFIG_ERROR);
    assertThat(err.toString()).contains("NAT-AGT-017",
        "pbx.pollInterval: must be below the token lifetime (3600 s): 5400 s");
  }

  private static CommandLine command(StringWriter err) {
    return new CommandLine(new Main()).setErr(new PrintWriter(err, true));
  }
}
