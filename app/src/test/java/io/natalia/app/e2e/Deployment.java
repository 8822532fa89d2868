package io.natalia.app.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.natalia.app.Main;
import io.natalia.cloud.analytics.Analytics;
import io.natalia.cloud.analytics.Bucket;
import io.natalia.cloud.analytics.CallFilter;
import io.natalia.cloud.analytics.SeriesPoint;
import io.natalia.cloud.analytics.TimeRange;
import io.natalia.cloud.ingest.AgentHealth;
import io.natalia.cloud.service.CloudConfig;
import io.natalia.cloud.service.CloudParts;
import io.natalia.cloud.store.EmbeddedPostgresServer;
import io.natalia.cloud.tenant.Tenant;
import io.natalia.oxo.tls.PinnedTls;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine;

/**
 * The product deployed on loopback for an end-to-end test: the cloud (with its embedded
 * PostgreSQL), the OXO simulator and the agent, each in its own JVM, set up through their
 * configuration files and the admin command line.
 */
final class Deployment implements AutoCloseable {
  static final ZoneId ZONE = ZoneId.of("Europe/Paris");
  static final String TENANT = "Acme";
  private static final Duration START_TIMEOUT = Duration.ofMinutes(3);
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String PBX_PASSWORD = "collector-password-e2e";
  private static final String PBX_ADMIN_TOKEN = "admin-token-of-the-end-to-end-test";
  private static final long SEED = 20_261_204L;

  private final Path folder;
  private final List<JavaProcess> running = new ArrayList<>();
  private JavaProcess cloud;
  private JavaProcess pbx;
  private JavaProcess agent;
  private int cloudPort;
  private String cloudFingerprint;
  private URI pbxUri;
  private String pbxFingerprint;
  private HttpClient pbxClient;
  private String agentKey;
  private int agentStarts;
  private int cloudStarts;

  Deployment(Path folder) {
    this.folder = folder;
  }

  /** Starts the cloud, on the port of its previous start if it ran before. */
  void startCloud() throws IOException, InterruptedException {
    Path file = cloudConfig();
    Files.createDirectories(file.getParent());
    Files.writeString(file, "listen.host=127.0.0.1\nlisten.port=" + cloudPort
        + "\ndata.dir=data\n", StandardCharsets.UTF_8);
    cloudStarts++;
    cloud = started(JavaProcess.start("cloud-" + cloudStarts, folder, Main.class, "cloud",
        "--config", file.toString()));
    Matcher listening = cloud.awaitLine(
        Pattern.compile("listening on https://127\\.0\\.0\\.1:(\\d+)"), START_TIMEOUT);
    cloudPort = Integer.parseInt(listening.group(1));
    cloudFingerprint = cloud.awaitLine(
        Pattern.compile("fingerprint \\(agents may pin it\\): ([0-9A-F:]{95})"), START_TIMEOUT)
        .group(1);
  }

  /** Stops the cloud with SIGTERM; the agent keeps its records until it is back. */
  void stopCloud() throws InterruptedException {
    running.remove(cloud);
    cloud.close();
  }

  /** Creates the tenant and the agent key with the admin command line. */
  void createTenantAndAgentKey() {
    admin("tenant", "create", "--name", TENANT, "--time-zone", ZONE.getId());
    String output = admin("agent-key", "create", "--tenant", TENANT, "--name", "e2e agent");
    Matcher key = Pattern.compile("nat_ak_[a-z2-7]+\\.[A-Za-z0-9_-]+").matcher(output);
    assertThat(key.find()).as(output).isTrue();
    agentKey = key.group();
  }

  /**
   * Starts the simulator.
   *
   * @param faults {@code name=value} faults active from the first request
   */
  void startSimulator(int backlogDays, int speed, String... faults)
      throws InterruptedException {
    List<String> args = new ArrayList<>(List.of("oxo-sim", "--port", "0",
        "--state-dir", folder.resolve("pbx").toString(), "--seed", Long.toString(SEED),
        "--zone", ZONE.getId(), "--extensions", "40",
        "--backlog-days", Integer.toString(backlogDays), "--speed", Integer.toString(speed),
        "--buffer-capacity", "100000", "--password", PBX_PASSWORD,
        "--admin-token", PBX_ADMIN_TOKEN));
    for (String fault : faults) {
      args.add("--fault");
      args.add(fault);
    }
    pbx = started(JavaProcess.start("pbx", folder, Main.class, args.toArray(String[]::new)));
    pbxUri = URI.create(pbx.awaitLine(Pattern.compile("URL:\\s+(https://\\S+)"),
        START_TIMEOUT).group(1));
    pbxFingerprint = pbx.awaitLine(Pattern.compile("SHA-256 ([0-9A-F:]{95})"),
        START_TIMEOUT).group(1);
    pbxClient = HttpClient.newBuilder().sslContext(PinnedTls.sslContext(pbxFingerprint))
        .connectTimeout(Duration.ofSeconds(10)).build();
  }

  /**
   * Writes the agent's configuration file, as an admin would, unless it exists, and starts
   * the agent.
   *
   * @param batchMaxRecords the most records the agent sends to the cloud in one request
   */
  void startAgent(int batchMaxRecords) throws IOException, InterruptedException {
    Path file = folder.resolve("agent").resolve("agent.json");
    if (Files.notExists(file)) {
      Files.createDirectories(file.getParent());
      Files.writeString(file, agentConfiguration(batchMaxRecords), StandardCharsets.UTF_8);
    }
    agentStarts++;
    agent = started(JavaProcess.start("agent-" + agentStarts, folder, Main.class, "agent",
        "--config", file.toString()));
    agent.awaitLine(Pattern.compile("natalia agent running"), START_TIMEOUT);
  }

  /** Kills the agent with SIGKILL, whatever it was doing. */
  void killAgent() throws InterruptedException {
    running.remove(agent);
    agent.kill();
  }

  /** Sets faults of the running simulator, {@code {"server-errors": 5}} for instance. */
  void setFaults(Map<String, Object> faults) throws IOException, InterruptedException {
    HttpResponse<String> response = pbxClient.send(HttpRequest.newBuilder(
            pbxUri.resolve("/admin/faults"))
        .header("Authorization", "Bearer " + PBX_ADMIN_TOKEN)
        .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(faults)))
        .build(), HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
  }

  /** Returns the PBX's clock, which runs faster than the wall clock when accelerated. */
  Instant pbxTime() throws IOException, InterruptedException {
    return Instant.parse(pbxAdmin("/admin/status").get("pbxTime").asText());
  }

  /**
   * Returns the simulator's ground truth per local day of {@code [from, to)}, computed from
   * the calls it generated; fails when the PBX dropped any ticket, since the cloud then cannot
   * match.
   */
  List<DayFigures> truth(Instant from, Instant to) throws IOException, InterruptedException {
    JsonNode report = pbxAdmin("/admin/truth?from=" + from + "&to=" + to + "&zone="
        + ZONE.getId());
    assertThat(report.get("ticketsDroppedTotal").asLong()).as("tickets dropped by the PBX")
        .isZero();
    List<DayFigures> days = new ArrayList<>();
    for (JsonNode day : report.get("days")) {
      days.add(new DayFigures(LocalDate.parse(day.get("date").asText()),
          day.get("calls").asLong(), day.get("incomingAnswered").asLong(),
          day.get("missed").asLong(), day.get("unreturnedMissed").asLong(),
          day.get("outgoing").asLong(), day.get("internal").asLong(),
          day.get("talkSeconds").asLong(), DayFigures.money(new BigDecimal(
              day.get("cost").asText()))));
    }
    return days;
  }

  /**
   * Returns the cloud's figures per local day of {@code [from, to)}, from the database of the
   * running cloud.
   */
  List<DayFigures> cloudFigures(Instant from, Instant to) {
    CloudConfig config = CloudConfig.load(cloudConfig());
    // Opening the parts without a running cloud would start an embedded PostgreSQL here.
    assertThat(EmbeddedPostgresServer.runningUrl(
        config.database().embeddedDataDirectory(), "natalia")).as("running cloud database")
        .isNotNull();
    try (CloudParts parts = CloudParts.open(config, Clock.systemUTC())) {
      Tenant tenant = parts.tenants().findByName(TENANT).orElseThrow();
      List<DayFigures> days = new ArrayList<>();
      for (SeriesPoint point : new Analytics(parts.dataSource()).timeSeries(tenant,
          new TimeRange(from, to), CallFilter.NONE, Bucket.DAY)) {
        days.add(new DayFigures(point.localStart().toLocalDate(), point.calls(),
            point.answered(), point.missed(), point.unreturnedMissed(), point.outgoing(),
            point.internal(), point.talkSeconds(), DayFigures.money(point.cost())));
      }
      return days;
    }
  }

  /** Returns the health the agent reported with its last request, as the cloud stored it. */
  AgentHealth agentHealth() throws SQLException {
    try (CloudParts parts = CloudParts.open(CloudConfig.load(cloudConfig()), Clock.systemUTC());
        Connection connection = parts.dataSource().getConnection();
        PreparedStatement select = connection.prepareStatement(
            "SELECT health::text FROM agent WHERE tenant_id = ?")) {
      select.setLong(1, parts.tenants().findByName(TENANT).orElseThrow().id());
      try (ResultSet rows = select.executeQuery()) {
        return rows.next() ? AgentHealth.fromStored(rows.getString(1)) : AgentHealth.NONE;
      }
    }
  }

  /** Returns the number of calls the cloud stores from {@code from} on. */
  long cloudCalls(Instant from) {
    return cloudFigures(from, from.plus(Duration.ofDays(30))).stream()
        .mapToLong(DayFigures::calls).sum();
  }

  /** Returns the logs of every process started so far, for a failure message. */
  String logs() {
    StringBuilder text = new StringBuilder();
    try (var files = Files.list(folder)) {
      for (Path log : files.filter(p -> p.toString().endsWith(".log")).sorted().toList()) {
        List<String> lines = Files.readAllLines(log);
        text.append("==> ").append(log.getFileName()).append('\n').append(String.join("\n",
            lines.subList(Math.max(0, lines.size() - 30), lines.size()))).append('\n');
      }
    } catch (IOException e) {
      text.append("(logs unreadable: ").append(e.getMessage()).append(')');
    }
    return text.toString();
  }

  @Override
  public void close() throws InterruptedException {
    for (int i = running.size() - 1; i >= 0; i--) {
      running.get(i).close();
    }
    running.clear();
  }

  private JavaProcess started(JavaProcess process) {
    running.add(process);
    return process;
  }

  private Path cloudConfig() {
    return folder.resolve("cloud").resolve("cloud.properties");
  }

  private String admin(String... args) {
    Path config = cloudConfig();
    List<String> line = new ArrayList<>(List.of("cloud", "--config", config.toString()));
    line.addAll(List.of(args));
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = new CommandLine(new Main()).setOut(new PrintWriter(out))
        .setErr(new PrintWriter(err)).execute(line.toArray(String[]::new));
    assertThat(code).as("natalia %s: %s", String.join(" ", line), err).isZero();
    return out.toString();
  }

  private String agentConfiguration(int batchMaxRecords) throws IOException {
    ObjectNode root = JSON.createObjectNode().put("dataDir", "data");
    root.putObject("pbx")
        .put("id", "oxo-e2e")
        .put("type", "OXO")
        .put("host", "127.0.0.1")
        .put("port", pbxUri.getPort())
        .put("login", "natalia-collector")
        .put("password", PBX_PASSWORD)
        .put("timeZone", ZONE.getId())
        .put("pollInterval", "10s")
        // A leg's ticket is written up to 2 h 2 min after it starts: look back further.
        .put("overlap", "3h")
        .put("certificateSha256", pbxFingerprint);
    root.putObject("cloud")
        .put("url", "https://127.0.0.1:" + cloudPort)
        .put("apiKey", agentKey)
        .put("batchMaxRecords", batchMaxRecords)
        // The fingerprint natalia cloud printed, as an admin would copy it.
        .put("certificateSha256", cloudFingerprint);
    root.putObject("web").put("port", 0);
    return JSON.writerWithDefaultPrettyPrinter().writeValueAsString(root);
  }

  private JsonNode pbxAdmin(String pathAndQuery) throws IOException, InterruptedException {
    HttpResponse<String> response = pbxClient.send(HttpRequest.newBuilder(
            pbxUri.resolve(pathAndQuery))
        .header("Authorization", "Bearer " + PBX_ADMIN_TOKEN).GET().build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    return JSON.readTree(response.body());
  }

  /**
   * The figures of one local day that both sides compute independently.
   *
   * @param answered incoming calls answered by a person
   * @param cost the day's cost, at scale 4 so that both sides compare equal
   */
  record DayFigures(LocalDate date, long calls, long answered, long missed, long unreturned,
      long outgoing, long internal, long talkSeconds, BigDecimal cost) {

    static BigDecimal money(BigDecimal amount) {
      return amount == null ? BigDecimal.ZERO.setScale(4)
          : amount.setScale(4, RoundingMode.HALF_EVEN);
    }
  }
}
