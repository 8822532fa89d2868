package io.natalia.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.BindException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** Every command that listens names a taken port in one line and leaves nothing running. */
class PortInUseTest {
  @TempDir Path folder;
  private ServerSocket occupant;
  private int port;

  @BeforeEach
  void takePort() throws IOException {
    occupant = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
    port = occupant.getLocalPort();
  }

  @AfterEach
  void releasePort() throws IOException {
    occupant.close();
  }

  @Test
  void cloudStopsBeforeItsDatabase() throws Exception {
    Path config = folder.resolve("cloud.properties");
    Files.writeString(config, "listen.host=127.0.0.1\nlisten.port=" + port + "\ndata.dir=data\n");

    Result result = run("cloud", "--config", config.toString());

    assertThat(result.code()).isEqualTo(PortCheck.EXIT_CODE);
    assertThat(result.err()).isEqualTo("natalia cloud: port " + port + " on 127.0.0.1 is"
        + " already in use; the cloud's HTTPS server (dashboard, API, ingest) needs it. Stop"
        + " the program that listens there, or choose another port with listen.port in "
        + config + " (0 picks a free one).\n");
    assertThat(folder.resolve("data").resolve("postgres")).doesNotExist();
  }

  @Test
  void agentStopsBeforeItsBuffer() throws Exception {
    Path config = folder.resolve("agent.json");
    Files.writeString(config, "{\"dataDir\": \"data\", \"web\": {\"port\": " + port + "}}");

    Result result = run("agent", "--config", config.toString());

    assertThat(result.code()).isEqualTo(PortCheck.EXIT_CODE);
    assertThat(result.err()).startsWith("natalia agent: port " + port + " on 0.0.0.0 is"
        + " already in use; the agent's web server (web UI, /health, /metrics) needs it.")
        .contains("web.port in " + config).hasLineCount(1);
    assertThat(folder.resolve("data").resolve("spool.db")).doesNotExist();
  }

  @Test
  void simulatorNamesItsPortOption() {
    Result result = run("oxo-sim", "--host", "127.0.0.1", "--port", Integer.toString(port),
        "--state-dir", folder.toString(), "--backlog-days", "0");

    assertThat(result.code()).isEqualTo(PortCheck.EXIT_CODE);
    assertThat(result.err()).startsWith("natalia oxo-sim: port " + port + " on 127.0.0.1 is"
        + " already in use; the OXO simulator's HTTPS server needs it.")
        .contains("--port (0 picks a free one)").hasLineCount(1);
    assertThat(folder.resolve(OxoSimCommand.PASSWORD_FILE)).doesNotExist();
  }

  @Test
  void demoStartsNothingAndWritesNothing() {
    Path demo = folder.resolve("demo");

    Result result = run("demo", "--dir", demo.toString(), "--cloud-port", "0",
        "--agent-port", "0", "--pbx-port", Integer.toString(port));

    assertThat(result.code()).isEqualTo(PortCheck.EXIT_CODE);
    assertThat(result.err()).startsWith("natalia demo: port " + port + " on 127.0.0.1 is"
        + " already in use; the demo's OXO simulator needs it.")
        .contains("--pbx-port").hasLineCount(1);
    assertThat(demo).doesNotExist();
  }

  @Test
  void demoPortsMustDiffer() {
    Result result = run("demo", "--dir", folder.resolve("demo").toString(),
        "--cloud-port", "9555", "--agent-port", "9555");

    assertThat(result.code()).isEqualTo(2);
    assertThat(result.err()).contains("--cloud-port and --agent-port must differ: both are 9555");
  }

  @Test
  void bindFailureIsFoundInTheCauses() {
    IOException wrapped = new IOException("cannot start", new BindException("in use"));

    assertThat(PortCheck.isBindFailure(wrapped)).isTrue();
    assertThat(PortCheck.isBindFailure(new IOException("disk full"))).isFalse();
  }

  private record Result(int code, String out, String err) {}

  private static Result run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = new CommandLine(new Main()).setCaseInsensitiveEnumValuesAllowed(true)
        .setOut(new PrintWriter(out, true)).setErr(new PrintWriter(err, true)).execute(args);
    return new Result(code, out.toString(), err.toString());
  }
}
