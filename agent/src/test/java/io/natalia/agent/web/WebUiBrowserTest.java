package io.natalia.agent.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.natalia.agent.config.AgentConfig;
import io.natalia.agent.health.ErrorCode;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.support.ui.Select;

/**
 * An admin's first visit in headless Chromium, step by step, against a running agent, a
 * simulated OXO and a recording cloud: setup code, PBX form, certificate trust, "Test the
 * connection", refused values, the status page and the error codes. Each step saves a
 * screenshot under {@code docs/screenshots/}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class WebUiBrowserTest {
  private static final String ADMIN_PASSWORD = "a long admin password 42";
  /** Maximum records the simulated PBX returns in one response. */
  private static final int PAGE_CAP = 500;

  private RunningAgent agent;
  private Browser browser;

  @BeforeAll
  void start(@TempDir Path dir) throws Exception {
    agent = RunningAgent.start(dir.resolve("agent"));
    Path module = Path.of(System.getProperty("basedir", ".")).toAbsolutePath();
    browser = new Browser(Files.createDirectories(dir.resolve("chromium")),
        module.resolveSibling("docs").resolve("screenshots"));
  }

  @AfterAll
  void stop() {
    browser.close();
    agent.close();
  }

  @Test
  @Order(1)
  void firstVisitAsksSetupCode() throws Exception {
    browser.open(agent.uri("/"));
    assertThat(browser.path()).isEqualTo("/setup");
    browser.screenshot("setup");

    browser.type("code", agent.setupCode);
    browser.type("password", ADMIN_PASSWORD);
    browser.type("confirm", ADMIN_PASSWORD);
    browser.click("setup-submit");

    browser.await("pbx-form");
    assertThat(browser.path()).isEqualTo("/config");
  }

  @Test
  @Order(2)
  void firstContactShowsFingerprint() throws Exception {
    browser.open(agent.uri("/config"));
    assertThat(browser.element("pbxId").getAttribute("value"))
        .isEqualTo(agent.store.current().pbx().id());
    assertThat(browser.element("pbxId-hint").getText()).contains("cloud dashboard", "two names");
    fillPbxForm(agent.pbxPassword(), "30");

    browser.click("pbx-test");

    assertThat(browser.await("error-code").getText()).isEqualTo("NAT-AGT-013");
    assertThat(browser.element("seen-fingerprint").getText())
        .isEqualTo(agent.pbx.fingerprintSha256());
    browser.screenshot("trust-certificate");
  }

  @Test
  @Order(3)
  void trustShowsRecordsRead() throws Exception {
    int expected = Math.min(agent.pbx.bufferStatus().size(), PAGE_CAP);

    browser.click("pbx-trust");

    assertThat(browser.await("test-records").getText()).isEqualTo(Integer.toString(expected));
    assertThat(expected).isPositive();
    assertThat(browser.driver.findElements(By.cssSelector("#test-sample tbody tr")))
        .hasSize(Math.min(expected, 5));
    assertThat(agent.store.current().pbx().certificateSha256())
        .isEqualTo(agent.pbx.fingerprintSha256());
    assertThat(agent.store.current().pbx().password().value()).isEqualTo(agent.pbxPassword());
    assertThat(agent.store.current().pbx().id()).isEqualTo("oxo-main");
    browser.screenshot("test-connection");
  }

  @Test
  @Order(4)
  void interval90MinutesRejectedWithReason() throws Exception {
    fillPbxForm("", "90");

    browser.click("pbx-save");

    String error = browser.await("pbx-error").getText();
    assertThat(error).contains("Polling interval 90 min is too long", "token lifetime of 60 min");
    assertThat(agent.store.current().pbx().pollInterval())
        .isEqualTo(AgentConfig.DEFAULT_POLL_INTERVAL);
    browser.screenshot("interval-refused");
  }

  @Test
  @Order(5)
  void wrongPasswordShowsCodeAndFix() throws Exception {
    fillPbxForm("not the right password", "30");

    browser.click("pbx-test");

    assertThat(browser.await("error-code").getText()).isEqualTo("NAT-AGT-011");
    assertThat(browser.element("error-code").getAttribute("href")).endsWith("/errors#NAT-AGT-011");
    assertThat(browser.element("error-fix").getText()).contains(ErrorCode.NAT_AGT_011.fix());
    assertThat(agent.store.current().pbx().password().value()).isEqualTo(agent.pbxPassword());
    browser.screenshot("wrong-password");
  }

  @Test
  @Order(6)
  void cloudTestAcceptsKey() throws Exception {
    browser.open(agent.uri("/config"));

    browser.click("cloud-test");

    assertThat(browser.await("cloud-outcome").getText()).contains("accepted the agent API key");
    assertThat(browser.element("cloud-seen-fingerprint").getText())
        .isEqualTo(agent.cloud.fingerprint());
    browser.screenshot("config");
  }

  @Test
  @Order(7)
  void cloudTrustPinsTheCertificate() throws Exception {
    browser.click("cloud-trust");

    assertThat(browser.await("cloud-fingerprint").getText()).isEqualTo(agent.cloud.fingerprint());
    assertThat(browser.element("cloud-outcome").getText()).contains("Cloud reachable");
    assertThat(agent.store.current().cloud().certificateSha256())
        .isEqualTo(agent.cloud.fingerprint());
    browser.open(agent.uri("/config"));
    assertThat(browser.element("cloud-trusted-fingerprint").getText())
        .isEqualTo(agent.cloud.fingerprint());
  }

  @Test
  @Order(8)
  void statusShowsRecordsForwarded() throws Exception {
    browser.open(agent.uri("/status"));

    browser.awaitAfterReloads(() -> agent.cloud.distinctRecords() > 0
        && text("records-forwarded").equals(Integer.toString(agent.cloud.distinctRecords()))
        && text("records-pending").equals("0"));

    assertThat(Long.parseLong(text("records-read"))).isEqualTo(agent.cloud.distinctRecords());
    assertThat(text("state")).isEqualTo("Collecting");
    assertThat(text("last-poll")).isNotEqualTo("none yet");
    assertThat(browser.driver.findElements(By.cssSelector("svg.bar line"))).hasSize(2);
    browser.screenshot("status");
  }

  @Test
  @Order(9)
  void errorPageListsEveryCode() throws Exception {
    browser.open(agent.uri("/errors#NAT-AGT-011"));

    for (ErrorCode code : ErrorCode.values()) {
      assertThat(browser.element(code.code()).getText()).contains(code.meaning());
    }
    browser.screenshot("error-codes");
  }

  @Test
  @Order(10)
  void signOutLeadsToSignIn() throws Exception {
    browser.open(agent.uri("/status"));

    browser.click("logout");

    browser.await("login-submit");
    browser.open(agent.uri("/status"));
    assertThat(browser.path()).isEqualTo("/login");
    browser.screenshot("sign-in");
    browser.type("password", ADMIN_PASSWORD);
    browser.click("login-submit");
    browser.await("collect-now");
  }

  @Test
  @Order(11)
  void stoppedPbxShowsConnectionError() throws Exception {
    agent.stopPbx();
    fillPbxForm("", "30");

    browser.click("pbx-test");

    assertThat(browser.await("error-code").getText()).isEqualTo("NAT-AGT-004");
    assertThat(browser.element("error-message").getText())
        .isEqualTo("connection refused by 127.0.0.1 port " + agent.pbxPort + ": nothing "
            + "listens on that port, or a firewall rejects the connection");
    browser.screenshot("pbx-stopped");
  }

  private void fillPbxForm(String password, String pollMinutes) {
    browser.open(agent.uri("/config"));
    browser.type("pbxId", "oxo-main");
    new Select(browser.element("type")).selectByValue("OXO");
    browser.type("host", "127.0.0.1");
    browser.type("port", Integer.toString(agent.pbxPort));
    browser.type("login", "natalia-collector");
    browser.type("password", password);
    browser.type("pollMinutes", pollMinutes);
    new Select(browser.element("timeZone")).selectByValue("Europe/Paris");
  }

  private String text(String id) {
    return browser.element(id).getText();
  }

}
