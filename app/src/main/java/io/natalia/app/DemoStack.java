package io.natalia.app;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.natalia.agent.Agent;
import io.natalia.agent.config.AgentConfig;
import io.natalia.agent.config.ConfigException;
import io.natalia.agent.config.ConfigStore;
import io.natalia.agent.crypto.TrustStores;
import io.natalia.agent.web.WebUi;
import io.natalia.cloud.alert.AlertMailer;
import io.natalia.cloud.alert.AlertSchedule;
import io.natalia.cloud.alert.SmtpAlertMailer;
import io.natalia.cloud.auth.ApiKeys;
import io.natalia.cloud.auth.Role;
import io.natalia.cloud.service.CloudConfig;
import io.natalia.cloud.service.CloudParts;
import io.natalia.cloud.service.CloudService;
import io.natalia.cloud.tenant.Tenant;
import io.natalia.oxo.server.Account;
import io.natalia.oxo.server.OxoSimulator;
import io.natalia.oxo.traffic.TrafficGenerator;
import io.natalia.oxo.traffic.TrafficSettings;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The whole product on one machine, in one process: the cloud with its embedded PostgreSQL,
 * an OXO simulator with a backlog and live traffic, and an agent collecting from the one and
 * forwarding to the other over HTTPS on loopback.
 *
 * <p>Every part is set up through the path an admin uses: the cloud reads a properties file,
 * the demo tenant, its users and the agent key are created by the same stores as the
 * {@code natalia cloud} admin commands, and the agent reads a JSON configuration file through
 * its configuration store, pinning the fingerprints of the simulator's and the cloud's
 * certificates.
 */
final class DemoStack implements AutoCloseable {
  static final String TENANT_NAME = "Demo company";
  static final String PBX_ID = "demo-oxo";
  static final String ACTOR = "natalia-demo";
  static final ZoneId ZONE = ZoneId.of("Europe/Paris");
  private static final Logger log = LoggerFactory.getLogger(DemoStack.class);
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Pattern SETUP_CODE = Pattern.compile("setup code (\\S+)");

  /**
   * What to run.
   *
   * @param folder keeps every part's data between runs
   * @param cloudPort HTTPS port of the cloud (dashboard, API, ingest); 0 picks a free one
   * @param agentPort HTTPS port of the agent's web server; 0 picks a free one
   * @param pbxPort HTTPS port of the simulator; 0 picks a free one
   * @param extensions extensions of the simulated company
   * @param backlog how much past traffic the simulator writes into its buffer at start
   * @param speed how many times faster than the wall clock the PBX clock runs
   * @param pollInterval the agent's polling interval
   */
  record Settings(Path folder, int cloudPort, int agentPort, int pbxPort, int extensions,
      Duration backlog, double speed, Duration pollInterval) {}

  /** A demo user and the password it signs in with. */
  record Login(String email, Role role, String password) {}

  private final Settings settings;
  private final DemoState state;
  private final List<AutoCloseable> started = new ArrayList<>();
  private final List<Login> logins = new ArrayList<>();
  private CloudService cloud;
  private OxoSimulator pbx;
  private Agent agent;
  private String apiToken;
  private String agentSetupCode;

  private DemoStack(Settings settings, DemoState state) {
    this.settings = settings;
    this.state = state;
  }

  /** Starts every part, or stops those already started and throws. */
  static DemoStack start(Settings settings) throws IOException, ConfigException {
    Files.createDirectories(settings.folder());
    DemoStack stack = new DemoStack(settings, DemoState.load(settings.folder()));
    try {
      stack.startCloud();
      Tenant tenant = stack.provision();
      // Saved at once: the users now exist with these passwords, whatever happens next.
      stack.state.save();
      stack.startSimulator();
      stack.startAgent(tenant);
      stack.state.save();
      return stack;
    } catch (IOException | ConfigException | RuntimeException e) {
      stack.close();
      throw e;
    }
  }

  CloudService cloud() {
    return cloud;
  }

  OxoSimulator pbx() {
    return pbx;
  }

  Agent agent() {
    return agent;
  }

  List<Login> logins() {
    return List.copyOf(logins);
  }

  /** Returns the JSON API token of the demo tenant (analyst role: figures, calls, exports). */
  String apiToken() {
    return apiToken;
  }

  /**
   * Returns the one-time code that sets the agent web UI's admin password, or null when an
   * earlier run set it.
   */
  String agentSetupCode() {
    return agentSetupCode;
  }

  /** Returns the agent's bearer token for its status API and metrics. */
  String agentToken() {
    return state.secret("agent.web-token", 32);
  }

  /** Returns the base URL of the cloud. */
  URI cloudUri() {
    return URI.create("https://127.0.0.1:" + cloud.port() + "/");
  }

  /** Returns the base URL of the agent's web server. */
  URI agentUri() {
    return URI.create("https://127.0.0.1:" + agent.webPort() + "/");
  }

  private void startCloud() throws IOException {
    Path folder = settings.folder().resolve("cloud");
    Files.createDirectories(folder);
    Path file = folder.resolve("cloud.properties");
    Files.writeString(file, "# Written by natalia demo at each start.\n"
        + "listen.host=127.0.0.1\n"
        + "listen.port=" + settings.cloudPort() + "\n"
        + "data.dir=data\n", StandardCharsets.UTF_8);
    CloudConfig config = CloudConfig.load(file);
    CloudParts parts = CloudParts.open(config, Clock.systemUTC());
    started.add(parts);
    // The demo writes no smtp.* settings, so this is AlertMailer.NONE: alerts are listed only.
    AlertMailer mailer = SmtpAlertMailer.of(config.smtp());
    cloud = CloudService.start(config, parts, CloudRoutes.over(parts, mailer));
    started.add(cloud);
    started.add(AlertSchedule.start(parts, mailer));
  }

  /** Creates the tenant, one user per role and an API token, unless an earlier run did. */
  private Tenant provision() {
    CloudParts parts = cloud.parts();
    Tenant tenant = parts.tenants().findByName(TENANT_NAME).orElseGet(() -> parts.tenants()
        .create(TENANT_NAME, ZONE.getId(), "EUR", 730, ACTOR));
    for (Role role : Role.values()) {
      String name = role.name().toLowerCase(Locale.ROOT);
      String email = name + "@demo.example";
      String password = state.secret("user." + name + ".password", 16);
      if (parts.users().find(email).isEmpty()) {
        parts.users().add(tenant.id(), email, role, password.toCharArray(), ACTOR);
      }
      logins.add(new Login(email, role, password));
    }
    apiToken = state.value("api.token");
    if (apiToken == null) {
      apiToken = parts.apiKeys().create(tenant.id(), ApiKeys.Kind.API_TOKEN, "demo reports",
          Role.ANALYST, ACTOR).key();
      state.put("api.token", apiToken);
    }
    return tenant;
  }

  private void startSimulator() throws IOException {
    TrafficSettings traffic = TrafficSettings.builder().extensions(settings.extensions())
        .zone(ZONE).build();
    int capacity = OxoSimCommand.backlogCapacity(settings.backlog().toDays(),
        settings.extensions(), 1.0);
    // Limitation: see docs/known-limitations.md#demo-pbx-buffer
    pbx = OxoSimulator.builder()
        .host("127.0.0.1")
        .port(settings.pbxPort())
        .stateDir(settings.folder().resolve("pbx"))
        .zone(ZONE)
        .traffic(new TrafficGenerator(state.number("traffic.seed"), traffic))
        .backlog(settings.backlog())
        .bufferCapacity(capacity)
        .speed(settings.speed())
        .account(new Account(Account.COLLECTOR_LOGIN, state.secret("pbx.password", 20), true))
        .adminToken(state.secret("pbx.admin-token", 32))
        .start();
    started.add(pbx);
  }

  private void startAgent(Tenant tenant) throws IOException, ConfigException {
    Path folder = settings.folder().resolve("agent");
    Files.createDirectories(folder);
    Path file = folder.resolve("agent.json");
    if (Files.notExists(file)) {
      String key = cloud.parts().apiKeys().create(tenant.id(), ApiKeys.Kind.AGENT,
          "demo agent", null, ACTOR).key();
      Files.writeString(file, JSON.writerWithDefaultPrettyPrinter()
          .writeValueAsString(firstConfiguration(key)) + "\n", StandardCharsets.UTF_8);
      log.info("Wrote the agent configuration {} with a new agent key", file);
    }
    ConfigStore store = ConfigStore.open(file);
    AgentConfig updated = thisRun(store.current());
    if (!updated.equals(store.current())) {
      store.update(updated);
    }
    StringWriter console = new StringWriter();
    agent = WebUi.startAgent(store, Clock.systemUTC(), new PrintWriter(console));
    started.add(agent);
    Matcher code = SETUP_CODE.matcher(console.toString());
    agentSetupCode = code.find() ? code.group(1) : null;
  }

  /** Returns the configuration an admin would write for this agent, secrets in plain text. */
  private ObjectNode firstConfiguration(String agentKey) {
    ObjectNode root = JSON.createObjectNode().put("dataDir", "data");
    root.putObject("pbx")
        .put("id", PBX_ID)
        .put("type", "OXO")
        .put("host", "127.0.0.1")
        .put("port", pbx.port())
        .put("login", Account.COLLECTOR_LOGIN)
        .put("password", state.secret("pbx.password", 20))
        .put("timeZone", ZONE.getId())
        .put("pollInterval", settings.pollInterval().toSeconds() + "s")
        // Limitation: see docs/known-limitations.md#overlap-long-legs
        .put("overlap", "3h")
        .put("certificateSha256", pbx.fingerprintSha256());
    root.putObject("cloud")
        .put("url", "https://127.0.0.1:" + cloud.port())
        .put("apiKey", agentKey)
        .put("certificateSha256", cloudFingerprint());
    root.putObject("buffer").put("maxMegabytes", 256);
    root.putObject("web").put("port", settings.agentPort()).put("metricsToken", agentToken());
    return root;
  }

  /** Returns the stored configuration with this run's ports, interval and fingerprints. */
  private AgentConfig thisRun(AgentConfig stored) {
    AgentConfig.Pbx p = stored.pbx();
    AgentConfig.Pbx pbxNow = new AgentConfig.Pbx(p.id(), p.type(), p.host(), pbx.port(),
        p.login(), p.password(), p.timeZone(), settings.pollInterval(), p.overlap(),
        AgentConfig.normalizeFingerprint(pbx.fingerprintSha256()), p.caCertificateFile());
    AgentConfig.Cloud c = stored.cloud();
    AgentConfig.Cloud cloudNow = new AgentConfig.Cloud(
        URI.create("https://127.0.0.1:" + cloud.port()), c.apiKey(), cloudFingerprint(), null,
        c.batchMaxRecords(), c.batchMaxBytes());
    // Like the cloud and the simulator, the demo's agent serves this machine only.
    AgentConfig.Web web = new AgentConfig.Web("127.0.0.1", settings.agentPort(),
        stored.web().metricsToken());
    return new AgentConfig(stored.dataDir(), pbxNow, cloudNow, stored.buffer(), web);
  }

  /** Returns the fingerprint of the cloud's self-signed certificate, which the agent pins. */
  private String cloudFingerprint() {
    return TrustStores.sha256Fingerprint(cloud.certificate());
  }

  /** Stops the parts in the reverse order of their start: agent, simulator, cloud. */
  @Override
  public void close() {
    for (int i = started.size() - 1; i >= 0; i--) {
      try {
        started.get(i).close();
      } catch (Exception e) {
        log.warn("Stopping {} failed; it stops with this process", started.get(i), e);
      }
    }
    started.clear();
  }
}
