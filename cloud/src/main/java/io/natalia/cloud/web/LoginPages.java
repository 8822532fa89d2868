package io.natalia.cloud.web;

import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import io.natalia.cloud.audit.AuditLog;
import io.natalia.cloud.auth.Permission;
import io.natalia.cloud.auth.Users;
import io.natalia.cloud.auth.Users.User;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sign-in and sign-out. Failed sign-ins are throttled per account and per client address.
 * Each is written to the audit log of the account's tenant when the account exists. Otherwise
 * it goes to the service's own log without the e-mail typed, because that may be a password
 * typed in the wrong box.
 */
final class LoginPages {
  private static final Logger log = LoggerFactory.getLogger(LoginPages.class);
  /** Double-submit token of the sign-in form, which has no session yet to hold one. */
  static final String LOGIN_COOKIE = "__Host-natalia_login";

  private final Users users;
  private final WebSessions sessions;
  private final AuditLog auditLog;
  private final AdminQueries adminQueries;
  private final Renderer renderer;
  private final LoginThrottle accounts;
  private final LoginThrottle clients;
  private final Clock clock;

  LoginPages(Users users, WebSessions sessions, AuditLog auditLog, AdminQueries adminQueries,
      Renderer renderer, Clock clock) {
    this.users = users;
    this.sessions = sessions;
    this.auditLog = auditLog;
    this.adminQueries = adminQueries;
    this.renderer = renderer;
    this.accounts = new LoginThrottle(clock, LoginThrottle.ACCOUNT_FREE_ATTEMPTS);
    this.clients = new LoginThrottle(clock, LoginThrottle.CLIENT_FREE_ATTEMPTS);
    this.clock = clock;
  }

  void install(JavalinConfig config, Dashboard dashboard) {
    config.routes.get("/login", ctx -> {
      if (dashboard.signedIn(ctx).isPresent()) {
        ctx.redirect("/overview");
        return;
      }
      form(ctx, 200, null, "");
    });
    config.routes.post("/login", this::login);
    config.routes.post("/logout", dashboard.page(Permission.CDR_READ, this::logout));
  }

  private void login(Context ctx) throws SQLException {
    if (!Dashboard.constantTimeEquals(ctx.formParam("_csrf"), ctx.cookie(LOGIN_COOKIE))) {
      form(ctx, 403, "The sign-in form expired. Please try again.", "");
      return;
    }
    String email = Optional.ofNullable(ctx.formParam("email")).orElse("").strip();
    char[] password = Optional.ofNullable(ctx.formParam("password")).orElse("").toCharArray();
    String client = ctx.ip();
    Optional<Duration> wait = longest(accounts.waitFor(account(email)),
        clients.waitFor(client));
    if (wait.isPresent()) {
      String seconds = Long.toString(Math.max(1, wait.get().toSeconds()));
      ctx.header("Retry-After", seconds);
      form(ctx, 429, "Too many failed sign-ins. Try again in " + seconds + " s.", email);
      return;
    }
    Optional<User> user = email.isEmpty() ? Optional.empty()
        : users.checkPassword(email, password);
    Arrays.fill(password, '\0');
    if (user.isEmpty()) {
      failed(email, client);
      form(ctx, 401, "E-mail or password is wrong.", email);
      return;
    }
    succeeded(ctx, user.get(), client);
  }

  private void failed(String email, String client) {
    accounts.failed(account(email));
    clients.failed(client);
    Optional<User> known = email.isEmpty() ? Optional.empty() : users.find(email);
    if (known.isPresent()) {
      User user = known.get();
      auditLog.append(user.tenantId(), "user:" + user.email(), "login.failed", user.email(),
          Map.of("client", client, "reason", user.disabled() ? "account disabled"
              : "wrong password"));
      log.info("Failed sign-in of {} from {}", user.email(), client);
    } else {
      auditLog.append(null, "anonymous", "login.failed", null,
          Map.of("client", client, "reason", "unknown account"));
      log.info("Failed sign-in to an unknown account from {}", client);
    }
  }

  private void succeeded(Context ctx, User user, String client) throws SQLException {
    // The client's count is kept: one valid account must not reset guessing at others.
    accounts.succeeded(account(user.email()));
    String token = sessions.start(user.tenantId(), user.id(), client);
    auditLog.append(user.tenantId(), "user:" + user.email(), "login", user.email(),
        Map.of("client", client));
    adminQueries.loggedIn(user.id(), clock.instant());
    log.info("{} signed in from {} (tenant {})", user.email(), client, user.tenantId());
    setCookie(ctx, Dashboard.SESSION_COOKIE, token, (int) WebSessions.ABSOLUTE_TIMEOUT
        .toSeconds());
    setCookie(ctx, LOGIN_COOKIE, "", 0);
    ctx.redirect(safeNext(ctx.formParam("next")));
  }

  private void logout(Context ctx, SignedIn user) {
    sessions.end(ctx.cookie(Dashboard.SESSION_COOKIE));
    auditLog.append(user.tenant().id(), user.actor(), "logout", user.email(), Map.of());
    setCookie(ctx, Dashboard.SESSION_COOKIE, "", 0);
    ctx.redirect("/login");
  }

  private void form(Context ctx, int status, String message, String email) {
    String token = WebSessions.randomToken();
    setCookie(ctx, LOGIN_COOKIE, token, 3600);
    Map<String, Object> parameters = new LinkedHashMap<>();
    parameters.put("csrf", token);
    parameters.put("message", message);
    parameters.put("email", email);
    parameters.put("next", safeNext(Optional.ofNullable(ctx.formParam("next"))
        .orElse(ctx.queryParam("next"))));
    renderer.render(ctx, "login.jte", parameters);
    ctx.status(status);
  }

  /** Sets a cookie only this host, over HTTPS, and no script can read or send cross-site. */
  static void setCookie(Context ctx, String name, String value, int maxAgeSeconds) {
    ctx.res().addHeader("Set-Cookie", name + "=" + value + "; Path=/; Max-Age="
        + maxAgeSeconds + "; Secure; HttpOnly; SameSite=Strict");
  }

  /** Returns a local path to go to after sign-in; anything else becomes the overview. */
  static String safeNext(String next) {
    if (next == null || !next.startsWith("/") || next.startsWith("//")
        || next.contains("\\") || next.startsWith("/login")
        // Browsers drop tabs and line breaks in URLs: "/\t/evil.example" means "//evil...".
        || next.chars().anyMatch(c -> c <= ' ')) {
      return "/overview";
    }
    return next;
  }

  private static String account(String email) {
    return email.toLowerCase(java.util.Locale.ROOT);
  }

  private static Optional<Duration> longest(Optional<Duration> a, Optional<Duration> b) {
    if (a.isEmpty()) {
      return b;
    }
    return b.isPresent() && b.get().compareTo(a.get()) > 0 ? b : a;
  }
}
