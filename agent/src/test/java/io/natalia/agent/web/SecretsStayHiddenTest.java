package io.natalia.agent.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.read.ListAppender;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * Runs an admin's whole first visit over HTTPS and proves that no secret shows in a page, a
 * response, the log or the files on disk: PBX passwords (right, wrong and placeholder), the
 * agent API key, the admin password, the setup code once used, and the session and CSRF
 * tokens in the log.
 */
class SecretsStayHiddenTest {
  private static final String ADMIN_PASSWORD = "admin password for the secrets test";
  private static final String WRONG_PBX_PASSWORD = "wrong-pbx-password-Zq81";
  private static final Pattern FINGERPRINT =
      Pattern.compile("name=\"fingerprint\" value=\"([0-9A-F:]+)\"");
  private static final Pattern TOKENS = Pattern.compile(
      "(?:" + Sessions.COOKIE + "=|name=\"_csrf\" value=\")([A-Za-z0-9_-]{20,})");

  @TempDir
  Path dir;
  private final ListAppender<ILoggingEvent> logs = new ListAppender<>();
  private final Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);

  @BeforeEach
  void captureLogs() {
    logs.start();
    root.addAppender(logs);
  }

  @AfterEach
  void releaseLogs() {
    root.detachAppender(logs);
  }

  @Test
  void noSecretInPagesLogsOrFiles() throws Exception {
    String transcript;
    List<String> secrets;
    String setupCode;
    try (RunningAgent agent = RunningAgent.start(dir)) {
      setupCode = agent.setupCode;
      secrets = List.of(agent.pbxPassword(), WRONG_PBX_PASSWORD,
          RunningAgent.PLACEHOLDER_PASSWORD, RunningAgent.API_KEY, ADMIN_PASSWORD);
      transcript = firstVisit(agent);
    }
    String log = logText();

    assertThat(secrets).allSatisfy(secret -> {
      assertThat(transcript).doesNotContain(secret);
      assertThat(log).doesNotContain(secret);
      assertThat(Files.readString(dir.resolve("agent.json"))).doesNotContain(secret);
    });
    assertThat(transcript).doesNotContain(setupCode);
    assertThat(log.split(Pattern.quote(setupCode), -1)).as("setup code in the log only once, "
        + "when announced").hasSize(2);
    assertThat(tokensIn(transcript)).isNotEmpty()
        .allSatisfy(token -> assertThat(log).doesNotContain(token));
    assertThat(new String(Files.readAllBytes(dir.resolve("data").resolve(AdminAccount.FILE_NAME)),
        StandardCharsets.ISO_8859_1)).doesNotContain("argon2");
  }

  /** Sets up, configures and tests the PBX and the cloud, and reads every page. */
  private static String firstVisit(RunningAgent agent) throws Exception {
    WebClient admin = new WebClient(agent);
    admin.setUp(ADMIN_PASSWORD);
    HttpResponse<String> firstContact = admin.post("/config/pbx/test",
        pbxForm(agent, agent.pbxPassword()));
    Matcher fingerprint = FINGERPRINT.matcher(firstContact.body());
    assertThat(fingerprint.find()).as("fingerprint offered: %s", firstContact.body()).isTrue();
    Map<String, String> trust = pbxForm(agent, agent.pbxPassword());
    trust.put("fingerprint", fingerprint.group(1));
    assertThat(admin.post("/config/pbx/trust", trust).body()).contains("Connection works");
    admin.post("/config/pbx", pbxForm(agent, agent.pbxPassword()));
    assertThat(admin.post("/config/pbx/test", pbxForm(agent, WRONG_PBX_PASSWORD)).body())
        .contains("NAT-AGT-011");
    Map<String, String> cloud = Map.of("cloudUrl", agent.cloud.url(),
        "apiKey", RunningAgent.API_KEY);
    assertThat(admin.post("/config/cloud/test", cloud).body()).contains("accepted");
    admin.post("/config/cloud", cloud);
    await().atMost(Duration.ofSeconds(60)).until(() -> agent.cloud.distinctRecords() > 0);
    admin.get("/status");
    admin.get("/status/panel");
    admin.get("/config");
    admin.get("/errors");
    admin.post("/logout", Map.of());
    return admin.transcript();
  }

  private static Map<String, String> pbxForm(RunningAgent agent, String password) {
    Map<String, String> form = new LinkedHashMap<>();
    form.put("type", "OXO");
    form.put("host", "127.0.0.1");
    form.put("port", Integer.toString(agent.pbxPort));
    form.put("login", "natalia-collector");
    form.put("password", password);
    form.put("pollMinutes", "30");
    form.put("timeZone", "Europe/Paris");
    return form;
  }

  private String logText() {
    StringBuilder text = new StringBuilder();
    for (ILoggingEvent event : new ArrayList<>(logs.list)) {
      text.append(event.getFormattedMessage()).append('\n');
      if (event.getThrowableProxy() != null) {
        text.append(ThrowableProxyUtil.asString(event.getThrowableProxy())).append('\n');
      }
    }
    return text.toString();
  }

  private static List<String> tokensIn(String transcript) {
    List<String> tokens = new ArrayList<>();
    Matcher m = TOKENS.matcher(transcript);
    while (m.find()) {
      tokens.add(m.group(1));
    }
    return tokens;
  }
}
