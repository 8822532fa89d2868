package io.natalia.cloud.web;

import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import io.javalin.http.Handler;
import io.javalin.http.HandlerType;
import io.javalin.http.HttpResponseException;
import io.javalin.http.staticfiles.Location;
import io.natalia.cloud.alert.AdminMail;
import io.natalia.cloud.alert.AlertMailer;
import io.natalia.cloud.alert.Alerts;
import io.natalia.cloud.analytics.Analytics;
import io.natalia.cloud.audit.AuditLog;
import io.natalia.cloud.auth.ApiKeys;
import io.natalia.cloud.auth.Permission;
import io.natalia.cloud.auth.Users;
import io.natalia.cloud.server.CloudServer;
import io.natalia.cloud.tenant.Tenants;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The dashboard: server-rendered pages for the people of each tenant, behind a sign-in.
 *
 * <p>Every page goes through {@link #page}: it finds the session from its cookie (else sends
 * the browser to the sign-in page), checks the role's permission (else 403), and for a
 * {@code POST} checks the session's CSRF token (else 403). Pages show only the rows of the
 * signed-in person's tenant. Thread-safe.
 */
public final class Dashboard {
  private static final Logger log = LoggerFactory.getLogger(Dashboard.class);
  /** The session cookie; {@code __Host-} makes browsers refuse it without HTTPS or with a
   * domain, so no sibling host can set or read it. */
  static final String SESSION_COOKIE = "__Host-natalia_session";

  private final WebSessions sessions;
  private final Renderer renderer = new Renderer();
  private final Clock clock;
  private final LoginPages login;
  private final AnalysisPages analysis;
  private final CallLogPages callLog;
  private final AdminPages admin;

  /**
   * Creates the dashboard without e-mail: reveal notices stay on the Alerts page.
   *
   * @param clock time of sessions, ranges and audit entries
   */
  public Dashboard(DataSource dataSource, Tenants tenants, Users users, ApiKeys apiKeys,
      AuditLog auditLog, Clock clock) {
    this(dataSource, tenants, users, apiKeys, auditLog, clock, AlertMailer.NONE);
  }

  /**
   * Creates the dashboard.
   *
   * @param clock time of sessions, ranges and audit entries
   * @param mailer sends the notice of each revealed number to the tenant's admins
   */
  public Dashboard(DataSource dataSource, Tenants tenants, Users users, ApiKeys apiKeys,
      AuditLog auditLog, Clock clock, AlertMailer mailer) {
    this.clock = clock;
    this.sessions = new WebSessions(dataSource, tenants, clock);
    Analytics analytics = new Analytics(dataSource);
    AdminQueries adminQueries = new AdminQueries(dataSource);
    this.login = new LoginPages(users, sessions, auditLog, adminQueries, renderer, clock);
    this.analysis = new AnalysisPages(analytics, new Aggregates(analytics), this);
    this.callLog = new CallLogPages(analytics, new CallQueries(dataSource), tenants, auditLog,
        adminQueries, new AdminMail(dataSource, mailer), this);
    this.admin = new AdminPages(adminQueries, users, apiKeys, auditLog, this,
        new TenantSettings(dataSource, auditLog), new Alerts(dataSource));
  }

  /** Installs the dashboard's routes and static files on a server configuration. */
  public void install(JavalinConfig config) {
    config.staticFiles.enableWebjars();
    config.staticFiles.add(files -> {
      files.hostedPath = "/static";
      files.directory = "/web";
      files.location = Location.CLASSPATH;
      files.headers = Map.of("Cache-Control", "max-age=3600");
    });
    config.routes.exception(WebError.class, this::error);
    config.routes.exception(HttpResponseException.class, this::rejected);
    config.routes.exception(NotSignedIn.class, (e, ctx) -> toLogin(ctx));
    config.routes.get("/", ctx -> ctx.redirect("/overview"));
    login.install(config, this);
    analysis.install(config);
    callLog.install(config);
    admin.install(config);
  }

  /** Handles a page that needs {@code permission}. */
  Handler page(Permission permission, PageHandler handler) {
    return ctx -> {
      SignedIn user = signedIn(ctx).orElseThrow(NotSignedIn::new);
      if (!user.may(permission)) {
        log.info("Refused {} {} to {} (role {} lacks {})", ctx.method(), ctx.path(),
            user.email(), user.role(), permission.wireName());
        throw new WebError(403, "Your role (" + user.role().name().toLowerCase()
            + ") does not allow this page: it needs " + permission.wireName() + ".");
      }
      if (ctx.method() == HandlerType.POST) {
        checkCsrf(ctx, user);
      }
      handler.handle(ctx, user);
    };
  }

  /** A page handler, given the signed-in user. */
  @FunctionalInterface
  interface PageHandler {
    void handle(Context ctx, SignedIn user) throws Exception;
  }

  Optional<SignedIn> signedIn(Context ctx) {
    return sessions.find(ctx.cookie(SESSION_COOKIE));
  }

  private static void checkCsrf(Context ctx, SignedIn user) {
    String sent = ctx.header("X-CSRF-Token");
    if (sent == null) {
      sent = ctx.formParam("_csrf");
    }
    if (!constantTimeEquals(sent, user.csrfToken())) {
      log.warn("Refused {} {} for {}: missing or wrong CSRF token (a form from another site,"
          + " or a page open since before the last sign-in)", ctx.method(), ctx.path(),
          user.email());
      throw new WebError(403, "This form has expired. Reload the page and try again.");
    }
  }

  static boolean constantTimeEquals(String a, String b) {
    return a != null && b != null && MessageDigest.isEqual(
        a.getBytes(StandardCharsets.UTF_8), b.getBytes(StandardCharsets.UTF_8));
  }

  /** Reads the range of a request in the tenant's zone; 400 naming the bad parameter. */
  DateRange range(Context ctx, SignedIn user) {
    var zone = user.tenant().timeZone();
    try {
      return DateRange.parse(ctx.queryParam("range"), ctx.queryParam("from"),
          ctx.queryParam("to"), LocalDate.now(clock.withZone(zone)), zone);
    } catch (IllegalArgumentException e) {
      throw WebError.badRequest(e);
    }
  }

  /** Renders a template with the frame and more parameters. */
  void render(Context ctx, String template, View.Frame frame, Object... more) {
    Map<String, Object> parameters = new LinkedHashMap<>();
    parameters.put("frame", frame);
    for (int i = 0; i < more.length; i += 2) {
      parameters.put((String) more[i], more[i + 1]);
    }
    renderer.render(ctx, template, parameters);
  }

  Clock clock() {
    return clock;
  }

  private void error(WebError e, Context ctx) {
    SignedIn user = signedIn(ctx).orElse(null);
    Map<String, Object> parameters = new LinkedHashMap<>();
    parameters.put("frame", user == null ? null : new View.Frame(user, ctx.path(), null, ""));
    parameters.put("status", e.status());
    parameters.put("message", e.getMessage());
    renderer.render(ctx, "error.jte", parameters);
    ctx.status(e.status());
  }

  /** Shows the error page for a path or method no route takes; API paths get JSON. */
  private void rejected(HttpResponseException e, Context ctx) {
    if (CloudServer.isApiPath(ctx.path())) {
      CloudServer.sendApiRejection(e, ctx);
      return;
    }
    String message = switch (e.getStatus()) {
      case 404 -> "There is no page at " + ctx.path() + ".";
      case 405 -> "This page does not take " + ctx.method() + " requests.";
      default -> e.getMessage();
    };
    error(new WebError(e.getStatus(), message), ctx);
  }

  private static void toLogin(Context ctx) {
    String next = ctx.path() + (ctx.queryString() == null ? "" : "?" + ctx.queryString());
    String target = "/login?next="
        + java.net.URLEncoder.encode(next, StandardCharsets.UTF_8);
    if (ctx.header("HX-Request") != null) {
      ctx.header("HX-Redirect", target);
      ctx.status(401);
    } else {
      ctx.redirect(target);
    }
  }

  /** A request without a valid session. */
  static final class NotSignedIn extends RuntimeException {
    private static final long serialVersionUID = 1L;

    NotSignedIn() {
      super("not signed in", null, false, false);
    }
  }
}
