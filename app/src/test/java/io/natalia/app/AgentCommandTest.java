package io.natalia.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import io.natalia.agent.crypto.SelfSignedCertificate;
import io.natalia.agent.crypto.TrustStores;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.List;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
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

  @Test
  void testCloudPinsTheCertificateOnRequest() throws Exception {
    char[] password = "test-only".toCharArray();
    KeyStore keys = SelfSignedCertificate.create("localhost", List.of("localhost", "127.0.0.1"),
        password);
    String fingerprint = TrustStores.sha256Fingerprint(SelfSignedCertificate.certificate(keys));
    HttpsServer cloud = acceptingCloud(keys, password);
    try {
      Path file = dir.resolve("agent.json");
      Files.writeString(file, """
          {"cloud": {"url": "https://127.0.0.1:%d", "apiKey": "nat_ak_test.secret"},
           "web": {"port": 0}}
          """.formatted(cloud.getAddress().getPort()));
      StringWriter firstErr = new StringWriter();
      StringWriter out = new StringWriter();

      int first = command(firstErr).execute("agent", "test-cloud", "--config", file.toString());
      int trusted = command(new StringWriter()).setOut(new PrintWriter(out, true))
          .execute("agent", "test-cloud", "--config", file.toString(), "--trust-certificate");

      assertThat(first).isEqualTo(1);
      assertThat(firstErr.toString()).contains("NAT-AGT-021: cloud certificate not trusted yet",
          "Cloud certificate SHA-256: " + fingerprint, "--trust-certificate");
      assertThat(firstErr.toString()).doesNotContain("PKIX", "Exception", "intercepting");
      assertThat(trusted).isZero();
      assertThat(out.toString()).contains("Trusted the cloud certificate " + fingerprint,
          "accepted the agent API key", fingerprint + " (pinned)");
      assertThat(Files.readString(file)).contains("\"certificateSha256\" : \"" + fingerprint);
    } finally {
      cloud.stop(0);
    }
  }

  @Test
  void testCloudWarnsOfChangedPin() throws Exception {
    char[] password = "test-only".toCharArray();
    KeyStore keys = SelfSignedCertificate.create("localhost", List.of("127.0.0.1"), password);
    String stale = "AB:" + "00:".repeat(30) + "CD";
    HttpsServer cloud = acceptingCloud(keys, password);
    try {
      Path file = dir.resolve("agent.json");
      Files.writeString(file, """
          {"cloud": {"url": "https://127.0.0.1:%d", "apiKey": "nat_ak_test.secret",
                     "certificateSha256": "%s"},
           "web": {"port": 0}}
          """.formatted(cloud.getAddress().getPort(), stale));
      StringWriter err = new StringWriter();

      int code = command(err).execute("agent", "test-cloud", "--config", file.toString());

      assertThat(code).isEqualTo(1);
      assertThat(err.toString()).contains("NAT-AGT-020: cloud certificate changed",
          "trusted " + stale, "someone may be intercepting the traffic");
      assertThat(err.toString()).doesNotContain("NAT-AGT-020: NAT-AGT-020");
    } finally {
      cloud.stop(0);
    }
  }

  @Test
  void testConnectionToClosedPortSaysRefused() throws Exception {
    int closedPort;
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      closedPort = socket.getLocalPort();
    }
    Path file = dir.resolve("agent.json");
    Files.writeString(file, """
        {"pbx": {"host": "127.0.0.1", "port": %d, "login": "natalia-collector",
                 "password": "test-only", "timeZone": "Europe/Paris",
                 "certificateSha256": "%s"},
         "web": {"port": 0}}
        """.formatted(closedPort, "AB:" + "00:".repeat(30) + "CD"));
    StringWriter err = new StringWriter();

    int code = command(err).execute("agent", "test-connection", "--config", file.toString());

    assertThat(code).isEqualTo(1);
    assertThat(err.toString()).startsWith("NAT-AGT-004: connection refused by 127.0.0.1 port "
        + closedPort + ": nothing listens on that port");
    assertThat(err.toString()).doesNotContain("NAT-AGT-004: NAT-AGT-004", "Exception");
  }

  /** Starts an HTTPS server that accepts every ingest request with an empty count. */
  private static HttpsServer acceptingCloud(KeyStore keys, char[] password) throws Exception {
    KeyManagerFactory keyManagers = KeyManagerFactory.getInstance("PKIX");
    keyManagers.init(keys, password);
    SSLContext context = SSLContext.getInstance("TLS");
    context.init(keyManagers.getKeyManagers(), null, null);
    HttpsServer server = HttpsServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.setHttpsConfigurator(new HttpsConfigurator(context));
    server.createContext("/ingest/cdr", exchange -> {
      exchange.getRequestBody().readAllBytes();
      byte[] body = "{\"ingested\":0,\"duplicates\":0,\"rejected\":[]}"
          .getBytes(StandardCharsets.UTF_8);
      exchange.sendResponseHeaders(202, body.length);
      try (exchange) {
        exchange.getResponseBody().write(body);
      }
    });
    server.start();
    return server;
  }

  private static CommandLine command(StringWriter err) {
    return new CommandLine(new Main()).setErr(new PrintWriter(err, true));
  }
}
