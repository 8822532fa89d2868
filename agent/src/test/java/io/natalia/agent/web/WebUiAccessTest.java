package io.natalia.agent.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Who may see what: setup, sign-in, sessions, CSRF and the security headers, over HTTPS. */
class WebUiAccessTest {
  private static final String ADMIN_PASSWORD = "correct horse battery staple";

  @TempDir
  Path dir;
  private RunningAgent agent;
  private WebClient browser;

  @BeforeEach
  void start() throws Exception {
    agent = RunningAgent.start(dir);
    browser = new WebClient(agent);
  }

  @AfterEach
  void stop() {
    agent.close();
  }

  @Test
  void pagesRedirectToSetupFirst() throws Exception {
    HttpResponse<String> status = browser.get("/status");
    HttpResponse<String> login = browser.get("/login");

    assertThat(status.statusCode()).isEqualTo(303);
    assertThat(WebClient.location(status).getPath()).isEqualTo("/setup");
    assertThat(WebClient.location(login).getPath()).isEqualTo("/setup");
    assertThat(browser.get("/setup").body()).contains("one-time setup code");
  }

  @Test
  void setupWithCodeSignsIn() throws Exception {
    browser.get("/setup");
    String anonymousCookie = browser.cookie();

    HttpResponse<String> done = browser.post("/setup", Map.of("code",
        agent.setupCode.toLowerCase(java.util.Locale.ROOT), "password", ADMIN_PASSWORD,
        "confirm", ADMIN_PASSWORD));

    assertThat(done.statusCode()).isEqualTo(303);
    assertThat(WebClient.location(done).getPath()).isEqualTo("/config");
    assertThat(browser.cookie()).isNotEqualTo(anonymousCookie);
    assertThat(browser.get("/config").statusCode()).isEqualTo(200);
  }

  @Test
  void setupRejectsBadInput() throws Exception {
    browser.get("/setup");

    HttpResponse<String> wrongCode = browser.post("/setup", Map.of("code", "AAAA-BBBB-CCCC",
        "password", ADMIN_PASSWORD, "confirm", ADMIN_PASSWORD));
    HttpResponse<String> shortPassword = browser.post("/setup", Map.of("code", agent.setupCode,
        "password", "short", "confirm", "short"));
    HttpResponse<String> different = browser.post("/setup", Map.of("code", agent.setupCode,
        "password", ADMIN_PASSWORD, "confirm", ADMIN_PASSWORD + "!"));

    assertThat(wrongCode.statusCode()).isEqualTo(401);
    assertThat(wrongCode.body()).contains("not the one the agent printed");
    assertThat(shortPassword.statusCode()).isEqualTo(400);
    assertThat(shortPassword.body()).contains("at least 12 characters", "has 5");
    assertThat(different.body()).contains("The two passwords differ.");
    assertThat(browser.get("/status").statusCode()).isEqualTo(303);
  }

  @Test
  void setupCodeWorksOnce() throws Exception {
    browser.setUp(ADMIN_PASSWORD);
    WebClient intruder = new WebClient(agent);
    intruder.get("/login");

    HttpResponse<String> again = intruder.post("/setup", Map.of("code", agent.setupCode,
        "password", "another password 123", "confirm", "another password 123"));

    assertThat(again.statusCode()).isEqualTo(303);
    assertThat(WebClient.location(again).getPath()).isEqualTo("/login");
    assertThat(intruder.get("/status").statusCode()).isEqualTo(303);
    assertThat(intruder.post("/login", Map.of("password", ADMIN_PASSWORD)).statusCode())
        .isEqualTo(303);
  }

  @Test
  void postWithoutCsrfTokenRejected() throws Exception {
    browser.setUp(ADMIN_PASSWORD);
    WebClient other = new WebClient(agent);
    other.get("/login");

    HttpResponse<String> none = browser.postExactly("/collect-now", Map.of());
    HttpResponse<String> foreign = browser.postExactly("/collect-now",
        Map.of(WebUi.CSRF_FIELD, other.csrf()));
    HttpResponse<String> own = browser.post("/collect-now", Map.of());

    assertThat(none.statusCode()).isEqualTo(403);
    assertThat(foreign.statusCode()).isEqualTo(403);
    assertThat(foreign.body()).contains("Reload the page");
    assertThat(own.statusCode()).isEqualTo(303);
  }

  @Test
  void sessionCookieIsSecureHttpOnlyAndStrict() throws Exception {
    HttpResponse<String> page = browser.get("/setup");

    assertThat(page.headers().firstValue("Set-Cookie")).get().asString()
        .startsWith("__Host-natalia-agent=")
        .contains("; Path=/", "; Secure", "; HttpOnly", "; SameSite=Strict");
  }

  @Test
  void securityHeadersOnPages() throws Exception {
    HttpResponse<String> page = browser.get("/setup");

    assertThat(page.headers().firstValue("Content-Security-Policy")).get().asString()
        .contains("script-src 'self'", "frame-ancestors 'none'");
    assertThat(page.headers().firstValue("X-Frame-Options")).contains("DENY");
    assertThat(page.headers().firstValue("Cache-Control")).contains("no-store");
  }

  @Test
  void repeatedFailuresDelaySignIn() throws Exception {
    browser.setUp(ADMIN_PASSWORD);
    WebClient guesser = new WebClient(agent);
    guesser.get("/login");
    for (int i = 0; i < LoginThrottle.FREE_FAILURES; i++) {
      assertThat(guesser.post("/login", Map.of("password", "guess " + i)).statusCode())
          .isEqualTo(401);
    }
    guesser.post("/login", Map.of("password", "one guess too many"));

    HttpResponse<String> right = guesser.post("/login", Map.of("password", ADMIN_PASSWORD));

    assertThat(right.statusCode()).isEqualTo(429);
    assertThat(right.headers().firstValue("Retry-After")).isPresent();
    assertThat(right.body()).contains("Too many failed attempts");
  }

  @Test
  void signOutEndsTheSession() throws Exception {
    browser.setUp(ADMIN_PASSWORD);
    String signedIn = browser.cookie();

    browser.post("/logout", Map.of());
    WebClient replay = new WebClient(agent);
    replay.useCookie(signedIn);
    HttpResponse<String> replayed = replay.get("/status");

    assertThat(browser.get("/status").statusCode()).isEqualTo(303);
    assertThat(replayed.statusCode()).isEqualTo(303);
  }

  @Test
  void healthOpenApiNeedsToken() throws Exception {
    assertThat(browser.get("/health").statusCode()).isIn(200, 503);
    assertThat(browser.get("/api/status").statusCode()).isEqualTo(401);
    assertThat(browser.get("/webjars/htmx.org/2.0.8/dist/htmx.min.js").statusCode())
        .isEqualTo(200);
  }

  @Test
  void pathTricksDoNotSkipSignIn() throws Exception {
    browser.setUp(ADMIN_PASSWORD);
    WebClient stranger = new WebClient(agent);

    for (String path : List.of("/api/../status", "/webjars/../config", "/api/%2e%2e/status",
        "/assets/..;/status", "/health/../status/panel", "//status", "/STATUS")) {
      HttpResponse<String> response = stranger.get(path);

      assertThat(response.statusCode()).as(path).isNotEqualTo(200);
      assertThat(response.body()).as(path).doesNotContain("records-read", "pbx-form");
    }
  }

  @Test
  void errorCodesArePublic() throws Exception {
    browser.setUp(ADMIN_PASSWORD);
    WebClient stranger = new WebClient(agent);

    HttpResponse<String> page = stranger.get("/errors");

    assertThat(page.statusCode()).isEqualTo(200);
    assertThat(page.body()).contains("id=\"NAT-AGT-009\"", "id=\"NAT-AGT-011\"");
  }
}
