package io.natalia.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.natalia.agent.config.ConfigStore;
import io.natalia.agent.crypto.SelfSignedCertificate;
import io.natalia.agent.crypto.TrustStores;
import io.natalia.agent.health.AgentStatus;
import io.natalia.agent.health.ErrorCode;
import io.natalia.agent.testing.FakeCloud;
import io.natalia.agent.testing.FakePbx;
import io.natalia.agent.testing.TestConfigs;
import io.natalia.agent.testing.TestTls;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneId;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

class AgentTest {
  private static final ZoneId PARIS = ZoneId.of("Europe/Paris");

  @TempDir Path dir;
  private final TestTls tls = new TestTls();
  private FakePbx pbx;
  private FakeCloud cloud;

  @BeforeEach
  void startFakes() throws Exception {
    pbx = new FakePbx(tls, PARIS);
    cloud = new FakeCloud(tls);
  }

  @AfterEach
  void stopFakes() {
    pbx.close();
    cloud.close();
  }

  @Test
  void everyTicketReachesTheCloudOnce() throws Exception {
    for (int i = 0; i < 250; i++) {
      pbx.add(FakePbx.ticket(String.format("2026-05-24T08:%02d:%02d", i / 60, i % 60),
          "1" + (i % 20)));
    }
    pbx.pageCap(100);
    ConfigStore store = ConfigStore.open(TestConfigs.write(dir,
        TestConfigs.json(dir, tls, pbx.port(), cloud.url())));

    try (Agent agent = Agent.start(store, Clock.systemUTC(), config -> { })) {
      await().atMost(Duration.ofSeconds(30)).until(() -> cloud.distinctRecords() == 250);
      pbx.add(FakePbx.ticket("2026-05-24T09:00:00", "150"));
      agent.collectNow();
      await().atMost(Duration.ofSeconds(30)).until(() -> cloud.distinctRecords() == 251);
      await().atMost(Duration.ofSeconds(30)).until(() -> agent.status().recordsPending() == 0);

      AgentStatus status = agent.status();
      assertThat(status.recordsRead()).isEqualTo(251);
      assertThat(status.recordsForwarded()).isEqualTo(251);
      assertThat(status.currentErrors()).isEmpty();
    }
    assertThat(cloud.receivedCounts().values()).allMatch(count -> count == 1);
    assertThat(pbx.logins()).isEqualTo(1);
  }

  @Test
  void healthIsPublicAndMetricsNeedTheToken() throws Exception {
    ConfigStore store = ConfigStore.open(TestConfigs.write(dir,
        TestConfigs.json(dir, tls, pbx.port(), cloud.url())));

    try (Agent agent = Agent.start(store, Clock.systemUTC(), config -> { });
        HttpClient client = HttpClient.newBuilder().sslContext(trustingAgent(store)).build()) {
      await().atMost(Duration.ofSeconds(30)).until(() -> agent.status().lastPollAt() != null);
      String base = "https://127.0.0.1:" + agent.webPort();

      HttpResponse<String> health = get(client, base + "/health", null);
      HttpResponse<String> anonymous = get(client, base + "/metrics", null);
      HttpResponse<String> metrics = get(client, base + "/metrics", TestConfigs.METRICS_TOKEN);
      HttpResponse<String> status = get(client, base + "/api/status", TestConfigs.METRICS_TOKEN);

      assertThat(health.statusCode()).isEqualTo(200);
      assertThat(health.body()).contains("\"status\":\"UP\"");
      assertThat(anonymous.statusCode()).isEqualTo(401);
      assertThat(metrics.statusCode()).isEqualTo(200);
      assertThat(metrics.body()).contains("natalia_agent_records_pending",
          "natalia_agent_error_active{code=\"NAT-AGT-004\"} 0.0");
      assertThat(status.body()).contains("\"state\":\"COLLECTING\"");
    }
  }

  @Test
  void webServerListensOnTheConfiguredAddressOnly() throws Exception {
    ObjectNode json = TestConfigs.json(dir, tls, pbx.port(), cloud.url());
    ((ObjectNode) json.get("web")).put("address", "127.0.0.1");
    ConfigStore store = ConfigStore.open(TestConfigs.write(dir, json));

    try (Agent agent = Agent.start(store, Clock.systemUTC(), config -> { })) {
      assertThat(accepts("127.0.0.1", agent.webPort())).isTrue();
      // Another loopback address of this machine: a server on every interface accepts it too.
      assertThat(accepts("127.0.0.2", agent.webPort())).isFalse();
    }
  }

  @Test
  void webServerListensOnEveryInterfaceByDefault() throws Exception {
    ObjectNode json = TestConfigs.json(dir, tls, pbx.port(), cloud.url());
    ConfigStore store = ConfigStore.open(TestConfigs.write(dir, json));

    try (Agent agent = Agent.start(store, Clock.systemUTC(), config -> { })) {
      assertThat(store.current().web().address()).isEqualTo("0.0.0.0");
      assertThat(accepts("127.0.0.2", agent.webPort())).isTrue();
    }
  }

  @Test
  void invalidHandEditStaysReportedUntilFixed() throws Exception {
    pbx.add(FakePbx.ticket("2026-05-24T08:31:12", "110"));
    ObjectNode json = TestConfigs.json(dir, tls, pbx.port(), cloud.url());
    ConfigStore store = ConfigStore.open(TestConfigs.write(dir, json));

    try (Agent agent = Agent.start(store, Clock.systemUTC(), config -> { });
        HttpClient client = HttpClient.newBuilder().sslContext(trustingAgent(store)).build()) {
      // The first start also creates the key and certificates: slow on a loaded machine.
      await().atMost(Duration.ofSeconds(90)).until(() -> cloud.distinctRecords() == 1);
      ((ObjectNode) json.get("pbx")).put("pollInterval", "90m");
      TestConfigs.write(dir, json);
      agent.collectNow();
      await().atMost(Duration.ofSeconds(30)).until(() -> raised(agent, "NAT-AGT-017"));

      // Later polls run on the previous settings and succeed; the code must stay.
      pbx.add(FakePbx.ticket("2026-05-24T08:41:12", "111"));
      agent.collectNow();
      await().atMost(Duration.ofSeconds(30)).until(() -> cloud.distinctRecords() == 2);
      agent.collectNow();
      await().atMost(Duration.ofSeconds(30)).until(() -> pbx.requests().stream()
          .filter(r -> r.path().contains("/cdr/")).count() >= 4);
      AgentStatus whileInvalid = agent.status();
      HttpResponse<String> health = get(client,
          "https://127.0.0.1:" + agent.webPort() + "/health", null);

      ((ObjectNode) json.get("pbx")).put("pollInterval", "20m");
      TestConfigs.write(dir, json);
      agent.collectNow();
      await().atMost(Duration.ofSeconds(30)).until(() -> !raised(agent, "NAT-AGT-017"));

      assertThat(whileInvalid.currentErrors()).extracting(e -> e.code().code())
          .containsExactly("NAT-AGT-017");
      assertThat(whileInvalid.currentErrors().get(0).message())
          .contains("pbx.pollInterval", "5400 s", "previous settings stay in effect");
      assertThat(whileInvalid.state()).isEqualTo(AgentStatus.CollectionState.DEGRADED);
      assertThat(health.statusCode()).isEqualTo(200);
      assertThat(health.body()).contains("\"status\":\"DEGRADED\"", "NAT-AGT-017");
      assertThat(store.current().pbx().pollInterval()).isEqualTo(Duration.ofMinutes(20));
    }
  }

  private static boolean raised(Agent agent, String code) {
    return agent.status().currentErrors().stream().anyMatch(e -> e.code().code().equals(code));
  }

  @Test
  void closedPbxPortIsReportedInWordsOnce() throws Exception {
    ListAppender<ILoggingEvent> appender = new ListAppender<>();
    Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    appender.start();
    root.addAppender(appender);
    int closedPort = pbx.port();
    pbx.close();
    AgentStatus.ErrorEvent error;
    try {
      ConfigStore store = ConfigStore.open(TestConfigs.write(dir,
          TestConfigs.json(dir, tls, closedPort, cloud.url())));
      try (Agent agent = Agent.start(store, Clock.systemUTC(), config -> { })) {
        await().atMost(Duration.ofSeconds(30))
            .until(() -> agent.status().currentErrors().stream()
                .anyMatch(e -> e.code() == ErrorCode.NAT_AGT_004));
        error = agent.status().currentErrors().stream()
            .filter(e -> e.code() == ErrorCode.NAT_AGT_004).findFirst().orElseThrow();
      }
    } finally {
      root.detachAppender(appender);
    }

    assertThat(error.message()).isEqualTo("connection refused by 127.0.0.1 port " + closedPort
        + ": nothing listens on that port, or a firewall rejects the connection");
    assertThat(appender.list).map(ILoggingEvent::getFormattedMessage)
        .anyMatch(line -> line.startsWith("NAT-AGT-004 connection refused by 127.0.0.1"))
        .noneMatch(line -> line.contains("NAT-AGT-004 NAT-AGT-004"))
        .noneMatch(line -> line.contains("ClosedChannelException"));
  }

  @Test
  void secretsNeverReachTheLogs() throws Exception {
    ListAppender<ILoggingEvent> appender = new ListAppender<>();
    Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    appender.start();
    root.addAppender(appender);
    pbx.add(FakePbx.ticket("2026-05-24T08:31:12", "110"));
    pbx.scriptRecordStatuses(401, 401);
    cloud.refuseKey(true);
    try {
      ConfigStore store = ConfigStore.open(TestConfigs.write(dir,
          TestConfigs.json(dir, tls, pbx.port(), cloud.url())));
      try (Agent agent = Agent.start(store, Clock.systemUTC(), config -> { })) {
        await().atMost(Duration.ofSeconds(30))
            .until(() -> agent.status().currentErrors().size() >= 1);
        agent.collectNow();
        await().atMost(Duration.ofSeconds(30))
            .until(() -> agent.status().recentErrors().stream()
                .anyMatch(e -> e.code().code().equals("NAT-API-001")));
      }
    } finally {
      root.detachAppender(appender);
    }

    String logs = String.join("\n", appender.list.stream()
        .map(ILoggingEvent::getFormattedMessage).toList());
    assertThat(logs).contains("NAT-AGT-006", "NAT-API-001");
    assertThat(logs).doesNotContain(FakePbx.PASSWORD, FakeCloud.API_KEY, "jwt-",
        TestConfigs.METRICS_TOKEN);
  }

  /** Returns a client context that trusts the certificate the agent created on first start. */
  private static SSLContext trustingAgent(ConfigStore store) throws Exception {
    KeyStore keys = SelfSignedCertificate.loadOrCreate(
        store.current().dataDir().resolve("web-tls.p12"), store.key().derivePassword("web-tls"));
    KeyStore trusted = KeyStore.getInstance("PKCS12");
    trusted.load(null, null);
    trusted.setCertificateEntry("agent", SelfSignedCertificate.certificate(keys));
    TrustManagerFactory factory = TrustManagerFactory.getInstance("PKIX");
    factory.init(trusted);
    return TrustStores.context(factory.getTrustManagers());
  }

  private static HttpResponse<String> get(HttpClient client, String url, String token)
      throws Exception {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url));
    if (token != null) {
      request.header("Authorization", "Bearer " + token);
    }
    return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  private static boolean accepts(String address, int port) {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress(address, port), 2_000);
      return true;
    } catch (IOException e) {
      return false;
    }
  }
}
