package io.natalia.agent.web;

import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import io.javalin.http.ForbiddenResponse;
import io.javalin.http.HandlerType;
import io.javalin.http.HttpStatus;
import io.javalin.http.ServiceUnavailableResponse;
import io.natalia.agent.Agent;
import io.natalia.agent.config.ConfigStore;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The agent's web UI on its HTTPS port: first-start setup, sign-in, the PBX and cloud
 * configuration with their connection tests, the status page and the error-code reference.
 *
 * <p>Every page but {@code /setup} and {@code /login} needs the signed-in admin; every POST
 * needs the session's CSRF token ({@code _csrf} form field). The session cookie is Secure,
 * HttpOnly and SameSite=Strict. Pages forbid framing and load scripts only from the agent.
 */
public final class WebUi {
  static final String SESSION_ATTRIBUTE = "natalia.session";
  static final String CSRF_FIELD = "_csrf";
  private static final Logger log = LoggerFactory.getLogger(WebUi.class);
  /** Paths the agent core serves with its own bearer token, or that hold no data. */
  private static final Set<String> OPEN_PREFIXES =
      Set.of("/health", "/metrics", "/api/", "/webjars/", "/assets/");
  /** Pages anyone may see: the first-start form, the sign-in form and the error codes. */
  private static final Set<String> PUBLIC_PAGES = Set.of("/setup", "/login", "/errors");
  private static final String CONTENT_SECURITY_POLICY = "default-src 'self'; "
      + "img-src 'self' data:; style-src 'self'; script-src 'self'; frame-ancestors 'none'; "
      + "form-action 'self'; base-uri 'none'; object-src 'none'";

  private final AdminAccount account;
  private final Sessions sessions;
  private final Templates templates = new Templates();
  private final AccountPages accountPages;
  private final ConfigPages configPages;
  private final StatusPages statusPages;
  private volatile Agent agent;

  private WebUi(ConfigStore store, AdminAccount account, Clock clock) {
    SecureRandom random = new SecureRandom();
    this.account = account;
    this.sessions = new Sessions(clock, random);
    this.accountPages = new AccountPages(account, sessions, new LoginThrottle(clock),
        templates);
    this.configPages = new ConfigPages(store, this::agent, templates);
    this.statusPages = new StatusPages(store, this::agent, templates, clock);
  }

  /**
   * Starts the agent with its web UI. When no admin password is set yet, prints a one-time
   * setup code to the log and to {@code console}; the first visit trades it for a password.
   * The HTTPS server uses the certificate the admin put in the data folder, if any (see
   * {@link ProvidedCertificate}), else the agent's self-signed one.
   */
  public static Agent startAgent(ConfigStore store, Clock clock, PrintWriter console)
      throws IOException {
    AdminAccount account = AdminAccount.open(
        store.current().dataDir().resolve(AdminAccount.FILE_NAME), store.key(),
        new SecureRandom());
    Files.createDirectories(store.current().dataDir());
    ProvidedCertificate.importIfPresent(store.current().dataDir(),
        store.key().derivePassword("web-tls"));
    WebUi ui = new WebUi(store, account, clock);
    Agent agent = Agent.start(store, clock, ui::install);
    ui.agent = agent;
    if (!account.isSetUp()) {
      announceSetupCode(account.newSetupCode(), agent.webPort(), console);
    }
    return agent;
  }

  private static void announceSetupCode(String code, int port, PrintWriter console) {
    String where = "https://<this machine>:" + port + "/setup";
    log.warn("Web UI not set up yet: open {} and enter the one-time setup code {}", where, code);
    console.println("Natalia agent web UI: open " + where + " and enter the one-time setup "
        + "code " + code);
    console.flush();
  }

  private void install(JavalinConfig config) {
    config.staticFiles.enableWebjars();
    config.routes.before(this::guard);
    config.routes.get("/assets/agent.css", WebUi::stylesheet);
    accountPages.register(config);
    configPages.register(config);
    statusPages.register(config);
  }

  private Agent agent() {
    Agent current = agent;
    if (current == null) {
      throw new ServiceUnavailableResponse("the agent is starting");
    }
    return current;
  }

  /** Sets the security headers, finds the session, checks CSRF and who may see the page. */
  private void guard(Context ctx) {
    String path = ctx.path();
    if (OPEN_PREFIXES.stream().anyMatch(path::startsWith)) {
      return;
    }
    securityHeaders(ctx);
    Sessions.Session session = sessions.find(ctx.cookie(Sessions.COOKIE));
    if (session == null) {
      session = sessions.create(false);
      setSessionCookie(ctx, session);
    }
    ctx.attribute(SESSION_ATTRIBUTE, session);
    if (ctx.method() == HandlerType.POST) {
      checkCsrf(ctx, session);
    }
    if (!account.isSetUp()) {
      if (!PUBLIC_PAGES.contains(path) || path.equals("/login")) {
        redirect(ctx, "/setup");
      }
    } else if (!session.signedIn() && !PUBLIC_PAGES.contains(path)) {
      redirect(ctx, "/login");
    }
  }

  /** Sends the session cookie: Secure, HttpOnly, SameSite=Strict, for the whole site. */
  static void setSessionCookie(Context ctx, Sessions.Session session) {
    ctx.header("Set-Cookie", Sessions.COOKIE + "=" + session.id()
        + "; Path=/; Secure; HttpOnly; SameSite=Strict");
  }

  /** Returns the session the guard found for this request. */
  static Sessions.Session session(Context ctx) {
    return ctx.attribute(SESSION_ATTRIBUTE);
  }

  /** Redirects and skips the page: a full redirect, or {@code HX-Redirect} for htmx. */
  static void redirect(Context ctx, String location) {
    if (ctx.header("HX-Request") != null) {
      ctx.header("HX-Redirect", location).status(HttpStatus.NO_CONTENT);
    } else {
      ctx.redirect(location, HttpStatus.SEE_OTHER);
    }
    ctx.skipRemainingHandlers();
  }

  private static void checkCsrf(Context ctx, Sessions.Session session) {
    String sent = ctx.formParam(CSRF_FIELD);
    byte[] expected = session.csrfToken().getBytes(StandardCharsets.UTF_8);
    if (sent == null
        || !MessageDigest.isEqual(sent.getBytes(StandardCharsets.UTF_8), expected)) {
      log.warn("Form rejected from {}: missing or stale CSRF token on {}; the page was "
          + "probably open too long, reloading it fixes that", ctx.ip(), ctx.path());
      throw new ForbiddenResponse("This form has expired or did not come from this agent's "
          + "pages. Reload the page and try again.");
    }
  }

  private static void securityHeaders(Context ctx) {
    ctx.header("Content-Security-Policy", CONTENT_SECURITY_POLICY);
    ctx.header("X-Frame-Options", "DENY");
    ctx.header("X-Content-Type-Options", "nosniff");
    ctx.header("Referrer-Policy", "no-referrer");
    ctx.header("Cache-Control", "no-store");
  }

  private static void stylesheet(Context ctx) throws IOException {
    try (InputStream in = WebUi.class.getResourceAsStream("agent.css")) {
      if (in == null) {
        throw new IOException("agent.css missing from the agent's jar");
      }
      ctx.contentType("text/css; charset=utf-8").header("Cache-Control", "max-age=3600")
          .result(in.readAllBytes());
    }
  }

  /** Returns the layout's parameters for a page of this session. */
  static PageFrame frame(Context ctx, String title, String nav) {
    Sessions.Session session = session(ctx);
    return new PageFrame(title, nav, session.csrfToken(), session.signedIn());
  }

  /** Returns a template's parameters with the page frame under {@code frame}. */
  static Map<String, Object> page(Context ctx, String title, String nav, String key,
      Object model) {
    return Map.of("frame", frame(ctx, title, nav), key, model);
  }
}
