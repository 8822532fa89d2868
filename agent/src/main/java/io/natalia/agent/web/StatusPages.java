package io.natalia.agent.web;

import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import io.natalia.agent.Agent;
import io.natalia.agent.config.AgentConfig;
import io.natalia.agent.config.ConfigStore;
import io.natalia.agent.health.ErrorCode;
import java.time.Clock;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The status page (refreshed every few seconds), "collect now" and the error codes. */
final class StatusPages {
  /** Quarantined records listed on the status page; the count shows them all. */
  static final int QUARANTINE_SHOWN = 20;
  private static final String NOT_CONFIGURED = "not configured";
  private static final Logger log = LoggerFactory.getLogger(StatusPages.class);

  private final ConfigStore store;
  private final Supplier<Agent> agent;
  private final Templates templates;
  private final Clock clock;

  StatusPages(ConfigStore store, Supplier<Agent> agent, Templates templates, Clock clock) {
    this.store = store;
    this.agent = agent;
    this.templates = templates;
    this.clock = clock;
  }

  void register(JavalinConfig config) {
    config.routes.get("/status", ctx -> templates.render(ctx, "status.jte",
        WebUi.page(ctx, "Status", "status", "view", view())));
    config.routes.get("/status/panel", ctx -> templates.render(ctx, "statusPanel.jte",
        Map.of("view", view(), "csrf", WebUi.session(ctx).csrfToken())));
    config.routes.post("/collect-now", this::collectNow);
    config.routes.get("/errors", ctx -> templates.render(ctx, "errors.jte",
        WebUi.page(ctx, "Error codes", "errors", "codes", List.of(ErrorCode.values()))));
  }

  private void collectNow(Context ctx) {
    agent.get().collectNow();
    log.info("Collection requested from the web UI by {}", ctx.ip());
    ctx.redirect("/status", HttpStatus.SEE_OTHER);
  }

  private StatusView view() {
    Agent current = agent.get();
    AgentConfig config = store.current();
    String pbx = config.hasPbx() ? config.pbx().host() + ":" + config.pbx().port()
        : NOT_CONFIGURED;
    String cloud = config.hasCloud() ? config.cloud().url().toString() : NOT_CONFIGURED;
    ZoneId zone = config.pbx().timeZone() == null ? ZoneOffset.UTC : config.pbx().timeZone();
    return new StatusView(current.status(), current.spool().quarantine(QUARANTINE_SHOWN),
        zone, pbx, cloud, config.missingSettings(), clock.instant());
  }
}
