package io.natalia.agent.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.natalia.agent.config.AgentConfig;
import io.natalia.agent.testing.TestTls;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The connection test and the status page against PBX faults: a certificate that changes
 * after it was trusted, and records the parser cannot read.
 */
class ConnectionPagesTest {
  private static final Pattern FINGERPRINT =
      Pattern.compile("name=\"fingerprint\" value=\"([0-9A-F:]+)\"");

  @TempDir
  Path dir;
  private RunningAgent agent;
  private WebClient admin;

  @BeforeEach
  void startAndTrust() throws Exception {
    agent = RunningAgent.start(dir);
    admin = new WebClient(agent);
    admin.setUp("admin password for fault tests");
    Matcher seen = FINGERPRINT.matcher(admin.post("/config/pbx/test", pbxForm()).body());
    assertThat(seen.find()).isTrue();
    Map<String, String> trust = pbxForm();
    trust.put("fingerprint", seen.group(1));
    assertThat(admin.post("/config/pbx/trust", trust).body()).contains("Connection works");
  }

  @AfterEach
  void stop() {
    agent.close();
  }

  @Test
  void changedCertificateShowsNatAgt012() throws Exception {
    String trusted = agent.pbx.fingerprintSha256();
    agent.pbx.faults().rotateCertificate();

    HttpResponse<String> test = admin.post("/config/pbx/test", pbxForm());

    assertThat(test.body()).contains("id=\"error-code\" href=\"/errors#NAT-AGT-012\"");
    assertThat(test.body()).contains("value=\"" + agent.pbx.fingerprintSha256() + "\"");
    assertThat(agent.pbx.fingerprintSha256()).isNotEqualTo(trusted);
    assertThat(agent.store.current().pbx().certificateSha256()).isEqualTo(trusted);
  }

  @Test
  void unparsableRecordsShowInTestAndQuarantine() throws Exception {
    // The poll the trust started must be over, or it would take the malformed records.
    await().atMost(Duration.ofSeconds(60))
        .until(() -> agent.agent.status().lastPollAt() != null);
    agent.pbx.faults().malformedRecords(2);

    String test = admin.post("/config/pbx/test", pbxForm()).body();
    agent.pbx.faults().malformedRecords(2);
    admin.post("/collect-now", Map.of());

    assertThat(test).contains("could not be parsed", "NAT-AGT-010");
    await().atMost(Duration.ofSeconds(60))
        .until(() -> admin.get("/status/panel").body().contains("<table id=\"quarantine\">"));
    assertThat(admin.get("/status/panel").body()).contains("href=\"/errors#NAT-AGT-010\"");
  }

  @Test
  void changedCloudCertificateOffersTheNewOne() throws Exception {
    String stale = new TestTls().fingerprint();
    agent.store.update(agent.store.current().withCloud(
        agent.store.current().cloud().withCertificateSha256(stale)));

    String test = admin.post("/config/cloud/test", cloudForm()).body();
    Map<String, String> trust = cloudForm();
    trust.put("cloudFingerprint", agent.cloud.fingerprint());
    String trusted = admin.post("/config/cloud/trust", trust).body();

    assertThat(test).contains("href=\"/errors#NAT-AGT-020\"", "cloud certificate changed",
        "trusted " + stale, "someone may be intercepting");
    assertThat(test).contains("name=\"cloudFingerprint\" value=\""
        + agent.cloud.fingerprint() + "\"");
    assertThat(trusted).contains("Cloud reachable", "Pinned cloud certificate SHA-256");
    assertThat(trusted).doesNotContain("cloud-trust");
    assertThat(agent.store.current().cloud().certificateSha256())
        .isEqualTo(agent.cloud.fingerprint());
  }

  @Test
  void firstCloudContactIsNotTrustedYet() throws Exception {
    AgentConfig.Cloud settings = agent.store.current().cloud();
    agent.store.update(agent.store.current().withCloud(new AgentConfig.Cloud(settings.url(),
        settings.apiKey(), null, null, settings.batchMaxRecords(), settings.batchMaxBytes())));

    String test = admin.post("/config/cloud/test", cloudForm()).body();

    assertThat(test).contains("href=\"/errors#NAT-AGT-021\"", "Cloud certificate not trusted yet",
        "cloud certificate not trusted yet: no CA known to this machine signed it");
    assertThat(test).contains("name=\"cloudFingerprint\" value=\""
        + agent.cloud.fingerprint() + "\"", "id=\"cloud-trust\"");
    assertThat(test).doesNotContain("NAT-AGT-020", "PKIX", "Exception", "intercepting",
        "NAT-AGT-021: ");
  }

  @Test
  void anotherCloudAddressDropsThePin() throws Exception {
    agent.store.update(agent.store.current().withCloud(
        agent.store.current().cloud().withCertificateSha256(agent.cloud.fingerprint())));
    Map<String, String> moved = cloudForm();
    moved.put("cloudUrl", "https://localhost:" + URI.create(agent.cloud.url()).getPort());

    admin.post("/config/cloud", moved);

    assertThat(agent.store.current().cloud().url().getHost()).isEqualTo("localhost");
    assertThat(agent.store.current().cloud().certificateSha256()).isNull();
  }

  @Test
  void pbxNameIsPrefilledAndSaved() throws Exception {
    String page = admin.get("/config").body();
    Map<String, String> invalid = pbxForm();
    invalid.put("pbxId", "main pbx");
    Map<String, String> valid = pbxForm();
    valid.put("pbxId", "oxo-main");

    HttpResponse<String> rejected = admin.post("/config/pbx", invalid);
    String storedAfterRejection = agent.store.current().pbx().id();
    admin.post("/config/pbx", valid);

    assertThat(page).contains("id=\"pbxId\" name=\"pbxId\" value=\""
        + storedAfterRejection + "\"", "id=\"pbxId-hint\"", "two names");
    assertThat(rejected.statusCode()).isEqualTo(400);
    assertThat(rejected.body()).contains("PBX name must be 1 to 64", "main pbx");
    assertThat(storedAfterRejection).isNotEqualTo("main pbx");
    assertThat(agent.store.current().pbx().id()).isEqualTo("oxo-main");
    assertThat(agent.store.current().pbx().certificateSha256())
        .isEqualTo(agent.pbx.fingerprintSha256());
  }

  private Map<String, String> cloudForm() {
    Map<String, String> form = new LinkedHashMap<>();
    form.put("cloudUrl", agent.cloud.url());
    form.put("apiKey", "");
    return form;
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
