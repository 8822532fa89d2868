package io.natalia.agent.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.natalia.agent.health.AgentStatus.CollectionState;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The admin's first start over HTTPS: the agent starts without PBX or cloud settings, says
 * what is missing, and collects and forwards once both are saved in the web UI, without a
 * restart.
 */
class FirstStartTest {
  private static final Pattern FINGERPRINT =
      Pattern.compile("name=\"fingerprint\" value=\"([0-9A-F:]+)\"");

  @TempDir
  Path dir;
  private RunningAgent agent;

  @AfterEach
  void stop() {
    if (agent != null) {
      agent.close();
    }
  }

  @Test
  void firstStartForwardsAfterSetup() throws Exception {
    agent = RunningAgent.startUnconfigured(dir);
    WebClient admin = new WebClient(agent);
    // Read before any poll: the PBX drops from its buffer what the agent acknowledged.
    int written = agent.pbx.bufferStatus().size();
    assertThat(agent.agent.status().state()).isEqualTo(CollectionState.NOT_CONFIGURED);

    admin.setUp("first start admin password");
    String status = admin.get("/status").body();
    assertThat(status).contains("id=\"missing\"", "PBX connection", "cloud connection");
    assertThat(admin.get("/config").statusCode()).isEqualTo(200);

    Matcher seen = FINGERPRINT.matcher(admin.post("/config/pbx/test", pbxForm()).body());
    assertThat(seen.find()).isTrue();
    Map<String, String> trust = pbxForm();
    trust.put("fingerprint", seen.group(1));
    assertThat(admin.post("/config/pbx/trust", trust).body()).contains("Connection works");
    String half = admin.get("/status/panel").body();
    assertThat(half).contains("cloud connection").doesNotContain("PBX connection");

    admin.get("/config");
    assertThat(admin.post("/config/cloud",
        Map.of("cloudUrl", agent.cloud.url(), "apiKey", RunningAgent.API_KEY)).statusCode())
        .isEqualTo(303);

    await().atMost(Duration.ofSeconds(120))
        .until(() -> agent.cloud.distinctRecords() == written);
    assertThat(written).isPositive();
    assertThat(agent.cloud.receivedCounts().values()).containsOnly(1);
    assertThat(agent.agent.status().state()).isNotEqualTo(CollectionState.NOT_CONFIGURED);
    assertThat(admin.get("/status/panel").body()).doesNotContain("id=\"missing\"");
    String file = Files.readString(agent.store.file());
    assertThat(file).contains("enc:v1:").doesNotContain(agent.pbxPassword())
        .doesNotContain(RunningAgent.API_KEY);
  }

  private Map<String, String> pbxForm() {
    Map<String, String> form = new LinkedHashMap<>();
    form.put("type", "OXO");
    form.put("host", "127.0.0.1");
    form.put("port", Integer.toString(agent.pbxPort));
    form.put("login", "natalia-collector");
    form.put("password", agent.pbxPassword());
    form.put("pollMinutes", "30");
    form.put("timeZone", "Europe/Paris");
    return form;
  }
}
