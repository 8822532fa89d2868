package io.natalia.agent.web;

import io.natalia.agent.Agent;
import io.natalia.agent.config.ConfigStore;
import io.natalia.agent.testing.FakeCloud;
import io.natalia.agent.testing.TestTls;
import io.natalia.oxo.server.OxoSimulator;
import io.natalia.oxo.traffic.TrafficGenerator;
import io.natalia.oxo.traffic.TrafficSettings;
import java.io.ByteArrayOutputStream;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.time.ZoneId;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An agent with its web UI on a free port of 127.0.0.1, a simulated OXO with a few hours of
 * backlog and a recording cloud, as an admin finds them on first start: the PBX placeholder
 * settings are not usable yet and no admin password is set.
 */
final class RunningAgent implements AutoCloseable {
  static final ZoneId PBX_ZONE = ZoneId.of("Europe/Paris");
  static final String API_KEY = FakeCloud.API_KEY;
  /** Placeholder password of the first configuration; never sent (no certificate trusted). */
  static final String PLACEHOLDER_PASSWORD = "placeholder-not-the-pbx-password";
  /** A Wednesday morning in Paris: the backlog contains office-hours calls. */
  private static final Instant PBX_NOW = Instant.parse("2026-12-02T10:00:00Z");
  private static final String UNCONFIGURED =
      "{\"web\": {\"port\": 0}, \"cloud\": {\"caCertificateFile\": \"cloud-ca.pem\"}}";
  private static final Pattern SETUP_CODE =
      Pattern.compile("setup code ([A-Z0-9]{4}-[A-Z0-9]{4}-[A-Z0-9]{4})");

  final OxoSimulator pbx;
  final FakeCloud cloud;
  final Agent agent;
  final ConfigStore store;
  final String setupCode;
  final Path dir;
  /** The PBX's port, still known after {@link #stopPbx()}. */
  final int pbxPort;
  private boolean pbxStopped;

  private RunningAgent(Path dir, OxoSimulator pbx, FakeCloud cloud, ConfigStore store,
      Agent agent, String setupCode) {
    this.dir = dir;
    this.pbx = pbx;
    this.cloud = cloud;
    this.store = store;
    this.agent = agent;
    this.setupCode = setupCode;
    this.pbxPort = pbx.port();
  }

  static RunningAgent start(Path dir) throws Exception {
    return start(dir, dataDir -> { });
  }

  /** Starts everything, letting {@code prepare} put files in the data folder first. */
  static RunningAgent start(Path dir, DataFolder prepare) throws Exception {
    return start(dir, prepare, true);
  }

  /**
   * Starts everything with a configuration file containing no PBX and no cloud settings: only
   * the web port (0, a free one) and the cloud's test CA, which the web UI cannot enter.
   */
  static RunningAgent startUnconfigured(Path dir) throws Exception {
    return start(dir, dataDir -> { }, false);
  }

  private static RunningAgent start(Path dir, DataFolder prepare, boolean configured)
      throws Exception {
    OxoSimulator pbx = OxoSimulator.builder()
        .stateDir(Files.createDirectories(dir.resolve("pbx")))
        .zone(PBX_ZONE)
        .traffic(new TrafficGenerator(42, TrafficSettings.builder().zone(PBX_ZONE).build()))
        .clock(InstantSource.fixed(PBX_NOW))
        .backlog(Duration.ofHours(3))
        .start();
    TestTls cloudTls = new TestTls();
    FakeCloud cloud = new FakeCloud(cloudTls);
    try {
      String config = configured ? firstConfig(pbx.port(), cloud.url()) : UNCONFIGURED;
      return startAgent(dir, pbx, cloud, cloudTls, prepare, config);
    } catch (Exception | Error e) {
      cloud.close();
      pbx.close();
      throw e;
    }
  }

  private static RunningAgent startAgent(Path dir, OxoSimulator pbx, FakeCloud cloud,
      TestTls cloudTls, DataFolder prepare, String config) throws Exception {
    cloudTls.writePem(dir.resolve("cloud-ca.pem"));
    Path file = dir.resolve("agent.json");
    Files.writeString(file, config);
    prepare.accept(Files.createDirectories(dir.resolve("data")));
    ConfigStore store = ConfigStore.openOrCreate(file);
    ByteArrayOutputStream console = new ByteArrayOutputStream();
    Agent agent = WebUi.startAgent(store, Clock.systemUTC(),
        new PrintWriter(new OutputStreamWriter(console, StandardCharsets.UTF_8), true));
    Matcher code = SETUP_CODE.matcher(console.toString(StandardCharsets.UTF_8));
    if (!code.find()) {
      agent.close();
      throw new IllegalStateException("no setup code on the console: " + console);
    }
    return new RunningAgent(dir, pbx, cloud, store, agent, code.group(1));
  }

  /** Files to put in the agent's data folder before it starts. */
  interface DataFolder {
    void accept(Path dataDir) throws Exception;
  }

  URI uri(String path) {
    return URI.create("https://127.0.0.1:" + agent.webPort() + path);
  }

  /** Returns the PBX collector's password. */
  String pbxPassword() {
    return pbx.collectorAccount().password();
  }

  /** Stops the PBX, as a PBX that is switched off or unreachable. */
  void stopPbx() {
    if (!pbxStopped) {
      pbxStopped = true;
      pbx.close();
    }
  }

  @Override
  public void close() {
    agent.close();
    cloud.close();
    stopPbx();
  }

  private static String firstConfig(int pbxPort, String cloudUrl) {
    return """
        {"dataDir": "data",
         "pbx": {"id": "oxo-test", "type": "OXO", "host": "127.0.0.1", "port": %d,
                 "login": "natalia-collector", "password": "%s",
                 "timeZone": "Europe/Paris", "pollInterval": "30m"},
         "cloud": {"url": "%s", "apiKey": "%s", "caCertificateFile": "cloud-ca.pem"},
         "web": {"port": 0}}
        """.formatted(pbxPort, PLACEHOLDER_PASSWORD, cloudUrl, API_KEY);
  }
}
