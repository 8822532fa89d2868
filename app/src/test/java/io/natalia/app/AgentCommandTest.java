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
    assertThat(err.toString()).contains("configuration file not found",
        dir.resolve("absent.json").toString(), "natalia agent --config");
    assertThat(err.toString().strip().lines()).hasSize(1);
  }

  @Test
  void uncreatableConfigurationIsOneLine() throws Exception {
    Path notAFolder = Files.writeString(dir.resolve("plain-file"), "x");
    StringWriter err = new StringWriter();

    int code = command(err).execute("agent", "--config",
        notAFolder.resolve("agent.json").toString());

    assertThat(code).isEqualTo(AgentCommand.CONFIG_ERROR);
    assertThat(err.toString()).contains("cannot create the configuration file",
        notAFolder.resolve("agent.json").toString());
    assertThat(err.toString()).doesNotContain("\tat ");
    assertThat(err.toString().strip().lines()).hasSize(1);
  }

  @Test
  void missingConfigOptionIsNamed() {
    StringWriter err = new StringWriter();

    int code = command(err).execute("agent");

    assertThat(code).isEqualTo(2);
    assertThat(err.toString()).contains("Missing required option: '--config=<file>'",
        "/etc/natalia/agent.json");
  }

  @Test
  void helpShowsConfigAsRequired() {
    StringWriter out = new StringWriter();
    CommandLine commandLine = new CommandLine(new Main()).setOut(new PrintWriter(out, true));

    commandLine.execute("agent", "--help");

    assertThat(out.toString()).contains("natalia agent --config=<file>", "Required.",
        "no default path");
    assertThat(out.toString()).doesNotContain("[--config");
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
