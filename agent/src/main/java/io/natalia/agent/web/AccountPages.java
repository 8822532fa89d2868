package io.natalia.agent.web;

import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import java.io.IOException;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** First-start setup, sign-in and sign-out. */
final class AccountPages {
  private static final Logger log = LoggerFactory.getLogger(AccountPages.class);

  private final AdminAccount account;
  private final Sessions sessions;
  private final LoginThrottle throttle;
  private final Templates templates;

  AccountPages(AdminAccount account, Sessions sessions, LoginThrottle throttle,
      Templates templates) {
    this.account = account;
    this.sessions = sessions;
    this.throttle = throttle;
    this.templates = templates;
  }

  void register(JavalinConfig config) {
    config.routes.get("/setup", ctx -> showSetup(ctx, null));
    config.routes.post("/setup", this::setup);
    config.routes.get("/login", ctx -> showLogin(ctx, null));
    config.routes.post("/login", this::login);
    config.routes.post("/logout", this::logout);
  }

  private void showSetup(Context ctx, String error) {
    if (account.isSetUp()) {
      WebUi.redirect(ctx, "/login");
      return;
    }
    templates.render(ctx, "setup.jte", withError(ctx, "First start", error));
  }

  private void setup(Context ctx) throws IOException {
    if (throttled(ctx)) {
      return;
    }
    String password = ctx.formParam("password");
    if (password == null || !password.equals(ctx.formParam("confirm"))) {
      showSetup(ctx.status(HttpStatus.BAD_REQUEST), "The two passwords differ.");
      return;
    }
    boolean done;
    try {
      done = account.completeSetup(ctx.formParam("code"), password);
    } catch (IllegalArgumentException e) {
      showSetup(ctx.status(HttpStatus.BAD_REQUEST), e.getMessage());
      return;
    }
    if (!done) {
      throttle.failed(ctx.ip());
      log.warn("Web UI setup failed from {}: invalid setup code; the valid one is in the "
          + "agent's log and console", ctx.ip());
      showSetup(ctx.status(HttpStatus.UNAUTHORIZED), "This setup code is not the one the "
          + "agent printed at start. Look for \"one-time setup code\" in the agent's log.");
      return;
    }
    throttle.succeeded(ctx.ip());
    log.info("Web UI admin password set from {}; the setup code is used up", ctx.ip());
    signIn(ctx, "/config");
  }

  private void showLogin(Context ctx, String error) {
    if (WebUi.session(ctx).signedIn()) {
      WebUi.redirect(ctx, "/status");
      return;
    }
    templates.render(ctx, "login.jte", withError(ctx, "Sign in", error));
  }

  private void login(Context ctx) {
    if (throttled(ctx)) {
      return;
    }
    if (!account.checkPassword(ctx.formParam("password"))) {
      throttle.failed(ctx.ip());
      log.warn("Web UI sign-in failed from {}: wrong password (NAT-AGT-009 explains a reset)",
          ctx.ip());
      showLogin(ctx.status(HttpStatus.UNAUTHORIZED), "Wrong password.");
      return;
    }
    throttle.succeeded(ctx.ip());
    log.info("Web UI admin signed in from {}", ctx.ip());
    signIn(ctx, "/status");
  }

  private void logout(Context ctx) {
    sessions.remove(WebUi.session(ctx).id());
    Sessions.Session anonymous = sessions.create(false);
    WebUi.setSessionCookie(ctx, anonymous);
    ctx.redirect("/login", HttpStatus.SEE_OTHER);
  }

  /** Replaces the visitor's session by a signed-in one: a planted id is worth nothing. */
  private void signIn(Context ctx, String next) {
    sessions.remove(WebUi.session(ctx).id());
    Sessions.Session signedIn = sessions.create(true);
    WebUi.setSessionCookie(ctx, signedIn);
    ctx.redirect(next, HttpStatus.SEE_OTHER);
  }

  /** Sends 429 with the wait when this address failed too often lately. */
  private boolean throttled(Context ctx) {
    Duration wait = throttle.waitFor(ctx.ip());
    if (wait.isZero()) {
      return false;
    }
    long seconds = Math.max(1, (wait.toMillis() + 999) / 1000);
    ctx.header("Retry-After", Long.toString(seconds));
    String error = "Too many failed attempts from this address: wait " + seconds
        + " s before the next one.";
    ctx.status(HttpStatus.TOO_MANY_REQUESTS);
    if (account.isSetUp()) {
      templates.render(ctx, "login.jte", withError(ctx, "Sign in", error));
    } else {
      templates.render(ctx, "setup.jte", withError(ctx, "First start", error));
    }
    return true;
  }

  private static Map<String, Object> withError(Context ctx, String title, String error) {
    Map<String, Object> parameters = new HashMap<>();
    parameters.put("frame", WebUi.frame(ctx, title, ""));
    parameters.put("error", error);
    return parameters;
  }
}
