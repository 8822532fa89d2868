package io.natalia.cloud.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.natalia.cloud.alert.FakeSmtpServer;
import io.natalia.cloud.auth.Role;
import io.natalia.cloud.store.TestDatabase;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** The dashboard's rules over real HTTPS, without a browser: sign-in, sessions, roles, CSRF. */
class DashboardHttpTest {
  @RegisterExtension static final TestDatabase db = new TestDatabase();
  @TempDir static Path folder;
  private static DashboardFixture fixture;

  @BeforeAll
  static void start() throws Exception {
    fixture = new DashboardFixture(db.dataSource(), folder);
  }

  @AfterAll
  static void stop() {
    fixture.close();
  }

  private static WebClient signedIn(Role role) throws Exception {
    WebClient client = new WebClient(fixture);
    HttpResponse<String> login = client.login(fixture.emails.get(role), DashboardFixture.PASSWORD);
    assertThat(login.statusCode()).as("sign-in of " + role).isEqualTo(302);
    return client;
  }

  @Test
  void unknownPathsGetHtmlOrJson() throws Exception {
    WebClient client = signedIn(Role.VIEWER);

    HttpResponse<String> page = client.get("/no-such-page/%3Cscript%3E");
    HttpResponse<String> wrongMethod = client.post("/overview", Map.of());
    HttpResponse<String> api = client.get("/api/v1/no-such-figure");

    assertThat(page.statusCode()).isEqualTo(404);
    assertThat(page.headers().firstValue("Content-Type").orElseThrow()).startsWith("text/html");
    assertThat(page.body()).contains("There is no page at /no-such-page/%3Cscript%3E.")
        .contains("Sign out").doesNotContain("<script>");
    assertThat(wrongMethod.statusCode()).isEqualTo(405);
    assertThat(wrongMethod.body()).contains("This page does not take POST requests.");
    assertThat(api.statusCode()).isEqualTo(404);
    assertThat(api.headers().firstValue("Content-Type").orElseThrow())
        .startsWith("application/json");
    assertThat(api.body()).contains("\"code\":\"NAT-API-016\"");
  }

  @Test
  void signInSetsStrictSessionCookie() throws Exception {
    WebClient client = new WebClient(fixture);

    HttpResponse<String> login = client.login("viewer@acme.test", DashboardFixture.PASSWORD);

    assertThat(login.statusCode()).isEqualTo(302);
    assertThat(login.headers().firstValue("Location")).hasValue("/overview");
    assertThat(login.headers().allValues("Set-Cookie")).anySatisfy(cookie -> assertThat(cookie)
        .startsWith(Dashboard.SESSION_COOKIE + "=")
        .contains("; Path=/", "; Secure", "; HttpOnly", "; SameSite=Strict")
        .doesNotContain("Domain="));
    HttpResponse<String> overview = client.get("/overview");
    assertThat(overview.statusCode()).isEqualTo(200);
    assertThat(overview.body()).contains("Incoming calls", "Acme Plumbing");
    assertThat(overview.headers().firstValue("Content-Security-Policy").orElseThrow())
        .contains("script-src 'self'", "frame-ancestors 'none'");
  }

  @Test
  void unsignedPageRedirectsToSignIn() throws Exception {
    WebClient client = new WebClient(fixture);

    HttpResponse<String> page = client.get("/missed?range=30d");

    assertThat(page.statusCode()).isEqualTo(302);
    assertThat(page.headers().firstValue("Location"))
        .hasValue("/login?next=%2Fmissed%3Frange%3D30d");
    assertThat(LoginPages.safeNext("/missed?range=30d")).isEqualTo("/missed?range=30d");
    assertThat(LoginPages.safeNext("//evil.example/")).isEqualTo("/overview");
    assertThat(LoginPages.safeNext("https://evil.example/")).isEqualTo("/overview");
    assertThat(LoginPages.safeNext("/\t/evil.example/")).isEqualTo("/overview");
    assertThat(LoginPages.safeNext("/\\evil.example/")).isEqualTo("/overview");
  }

  @Test
  void failedSignInsAuditedThenThrottled() throws Exception {
    fixture.users.add(fixture.tenant.id(), "clumsy@acme.test", Role.VIEWER,
        DashboardFixture.PASSWORD.toCharArray(), "test");
    WebClient client = new WebClient(fixture);

    for (int i = 0; i < LoginThrottle.ACCOUNT_FREE_ATTEMPTS; i++) {
      assertThat(client.login("clumsy@acme.test", "wrong password " + i).statusCode())
          .isEqualTo(401);
    }
    HttpResponse<String> throttled = client.login("clumsy@acme.test", DashboardFixture.PASSWORD);

    assertThat(throttled.statusCode()).isEqualTo(429);
    assertThat(throttled.headers().firstValue("Retry-After")).hasValue("2");
    assertThat(throttled.body()).contains("Too many failed sign-ins");
    assertThat(count("SELECT count(*) FROM audit_log WHERE action = 'login.failed'"
        + " AND target = 'clumsy@acme.test' AND details->>'reason' = 'wrong password'"))
        .isEqualTo(LoginThrottle.ACCOUNT_FREE_ATTEMPTS);
  }

  @Test
  void unknownAccountAuditedWithoutName() throws Exception {
    WebClient client = new WebClient(fixture);

    HttpResponse<String> login = client.login("MySecretPassw0rd", "whatever it is");

    assertThat(login.statusCode()).isEqualTo(401);
    assertThat(login.body()).contains("E-mail or password is wrong.");
    assertThat(count("SELECT count(*) FROM audit_log WHERE tenant_id IS NULL"
        + " AND action = 'login.failed' AND details->>'reason' = 'unknown account'"))
        .isGreaterThanOrEqualTo(1);
    assertThat(count("SELECT count(*) FROM audit_log WHERE details::text LIKE"
        + " '%MySecretPassw0rd%' OR target LIKE '%MySecretPassw0rd%'")).isZero();
  }

  @Test
  void viewerGetsNoExportNorReveal() throws Exception {
    WebClient viewer = signedIn(Role.VIEWER);
    String callPath = transferredCallPath(viewer);

    assertThat(viewer.get("/calls?range=7d").body()).doesNotContain("export-csv");
    assertThat(viewer.get(callPath).body()).contains("Legs (PBX tickets)")
        .doesNotContain("reveal-button");
    for (String path : List.of("/export/calls.csv?range=7d", "/export/calls.jsonl",
        "/admin/users", "/admin/keys", "/admin/settings", "/audit")) {
      assertThat(viewer.get(path).statusCode()).as(path).isEqualTo(403);
    }
    String revealPath = callPath.replace("?t=", "/reveal?t=");
    assertThat(viewer.postWithToken(revealPath, Map.of("reason", "just curious, really"))
        .statusCode()).isEqualTo(403);
  }

  @Test
  void revealIsMailedToAdmins() throws Exception {
    WebClient admin = signedIn(Role.ADMIN);
    String revealPath = transferredCallPath(admin).replace("?t=", "/reveal?t=");

    HttpResponse<String> reveal = admin.postWithToken(revealPath,
        Map.of("reason", "customer asked for a callback"));

    assertThat(reveal.statusCode()).isEqualTo(200);
    Matcher number = Pattern.compile("class=\"number\">([^<]+)<").matcher(reveal.body());
    assertThat(number.find()).as(reveal.body()).isTrue();
    List<FakeSmtpServer.Received> mails = fixture.smtp.awaitMail();
    assertThat(mails).singleElement().satisfies(mail -> {
      String text = mail.data().replace("=\n", "");
      assertThat(mail.recipients()).containsExactly("admin@acme.test");
      assertThat(text).contains("Subject: [Natalia] Acme Plumbing: a phone number was revealed")
          .contains("admin@acme.test revealed the number ending 5678")
          .contains("Reason: customer asked for a callback")
          .doesNotContain(number.group(1));
    });
  }

  @Test
  void auditorAndAnalystPermissions() throws Exception {
    WebClient auditor = signedIn(Role.AUDITOR);
    WebClient analyst = signedIn(Role.ANALYST);

    assertThat(auditor.get("/audit").statusCode()).isEqualTo(200);
    assertThat(auditor.get("/audit").body()).contains("intact", "login");
    assertThat(auditor.get("/export/calls.csv").statusCode()).isEqualTo(403);
    assertThat(analyst.get("/export/calls.csv").statusCode()).isEqualTo(200);
    assertThat(analyst.get("/audit").statusCode()).isEqualTo(403);
    assertThat(analyst.get("/admin/keys").statusCode()).isEqualTo(403);
  }

  @Test
  void postWithoutCsrfTokenRejected() throws Exception {
    WebClient admin = signedIn(Role.ADMIN);
    long keys = count("SELECT count(*) FROM api_key");

    HttpResponse<String> forged = admin.post("/admin/keys",
        Map.of("name", "forged", "kind", "agent"));
    HttpResponse<String> wrong = admin.post("/admin/keys",
        Map.of("name", "forged", "kind", "agent", "_csrf", "not-the-token"));

    assertThat(forged.statusCode()).isEqualTo(403);
    assertThat(wrong.statusCode()).isEqualTo(403);
    assertThat(forged.body()).contains("This form has expired");
    assertThat(count("SELECT count(*) FROM api_key")).isEqualTo(keys);
  }

  @Test
  void apiKeyShownOnceThenRevoked() throws Exception {
    WebClient admin = signedIn(Role.ADMIN);

    HttpResponse<String> created = admin.postWithToken("/admin/keys",
        Map.of("name", "branch office", "kind", "agent"));
    Matcher key = Pattern.compile("(nat_ak_[a-z2-7]{12})\\.[A-Za-z0-9_-]{43}")
        .matcher(created.body());

    assertThat(key.find()).isTrue();
    String prefix = key.group(1);
    assertThat(admin.get("/admin/keys").body()).contains(prefix)
        .doesNotContain(key.group());
    assertThat(admin.postWithToken("/admin/keys/" + prefix + "/revoke", Map.of())
        .statusCode()).isEqualTo(302);
    assertThat(count("SELECT count(*) FROM api_key WHERE prefix = '" + prefix
        + "' AND revoked_at IS NOT NULL")).isEqualTo(1);
  }

  @Test
  void revealNeedsReasonAndIsAudited() throws Exception {
    WebClient admin = signedIn(Role.ADMIN);
    String revealPath = transferredCallPath(admin).replace("?t=", "/reveal?t=");

    HttpResponse<String> noReason = admin.postWithToken(revealPath, Map.of("reason", "x"));
    HttpResponse<String> revealed = admin.postWithToken(revealPath,
        Map.of("reason", "customer asked for a callback by phone"));

    assertThat(noReason.statusCode()).isEqualTo(400);
    assertThat(revealed.statusCode()).isEqualTo(200);
    assertThat(revealed.body()).contains(SampleTraffic.TRANSFERRED_NUMBER);
    assertThat(count("SELECT count(*) FROM audit_log WHERE action = 'cdr.reveal_phone'"
        + " AND actor = 'user:admin@acme.test'"
        + " AND details->>'reason' = 'customer asked for a callback by phone'")).isEqualTo(1);
    assertThat(admin.get("/alerts").body()).contains("Number revealed",
        "admin@acme.test revealed the number ending 5678");
  }

  @Test
  void signOutEndsSession() throws Exception {
    WebClient client = signedIn(Role.ANALYST);
    String stolen = client.cookies.get(Dashboard.SESSION_COOKIE);

    HttpResponse<String> logout = client.postWithToken("/logout", Map.of());
    client.cookies.put(Dashboard.SESSION_COOKIE, stolen);

    assertThat(logout.headers().firstValue("Location")).hasValue("/login");
    assertThat(client.get("/overview").statusCode()).isEqualTo(302);
  }

  @Test
  void badParameterNamedInError() throws Exception {
    WebClient viewer = signedIn(Role.VIEWER);

    HttpResponse<String> digits = viewer.get("/calls?digits=12a4");
    HttpResponse<String> range = viewer.get("/overview?range=custom&from=2026-03-10&to=bad");

    assertThat(digits.statusCode()).isEqualTo(400);
    assertThat(digits.body()).contains("digits is not valid here: '12a4'");
    assertThat(range.statusCode()).isEqualTo(400);
    assertThat(range.body()).contains("to must be a date such as 2026-05-24: 'bad'");
  }

  /** Returns the link to the transferred call of today, found through the call log filter. */
  @Test
  void healthPageShowsAgentHealth() throws Exception {
    WebClient viewer = signedIn(Role.VIEWER);

    String page = viewer.get("/health").body();

    assertThat(page).contains("agent-hq", "Pending</th>", "Lag</th>");
    // Counts are grouped with a narrow no-break space.
    assertThat(page).contains("3 %", "1\u202f234", "45 s", "NAT-AGT-018");
  }

  static String transferredCallPath(WebClient client) throws Exception {
    String page = client.get("/calls?range=today&digits=5678").body();
    Matcher link = Pattern.compile("href=\"(/calls/t-[0-9]+\\?t=[0-9]+)\"").matcher(page);
    assertThat(link.find()).as("a call ending 5678 today").isTrue();
    return link.group(1);
  }

  private static long count(String sql) throws Exception {
    try (Connection connection = db.dataSource().getConnection();
        Statement statement = connection.createStatement();
        ResultSet rows = statement.executeQuery(sql)) {
      rows.next();
      return rows.getLong(1);
    }
  }
}
