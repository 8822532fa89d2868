package io.natalia.agent.web;

import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import io.natalia.agent.Agent;
import io.natalia.agent.config.AgentConfig;
import io.natalia.agent.config.ConfigException;
import io.natalia.agent.config.ConfigStore;
import io.natalia.agent.config.Secret;
import io.natalia.agent.pbx.oxo.ConnectionTest;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The configuration page: the PBX form with "Test the connection" and the certificate trust,
 * and the cloud form with its own test. Saving stores the settings encrypted and applies them
 * at once, without a restart.
 */
final class ConfigPages {
  private static final Logger log = LoggerFactory.getLogger(ConfigPages.class);
  private static final List<String> ZONES =
      ZoneId.getAvailableZoneIds().stream().sorted().toList();
  private static final Map<String, String> LABELS = Map.of(
      "pbx.id", "PBX name", "pbx.type", "PBX type", "pbx.host", "PBX IP", "pbx.port", "Port",
      "pbx.login", "Login",
      "pbx.password", "Password", "pbx.pollInterval", "Polling interval",
      "pbx.timeZone", "PBX time zone", "cloud.url", "Cloud URL", "cloud.apiKey", "Agent API key");

  /** The PBX service account the OXO setup guide asks the admin to create. */
  private static final String SUGGESTED_LOGIN = "natalia-collector";

  private final ConfigStore store;
  private final Supplier<Agent> agent;
  private final Templates templates;

  ConfigPages(ConfigStore store, Supplier<Agent> agent, Templates templates) {
    this.store = store;
    this.agent = agent;
    this.templates = templates;
  }

  void register(JavalinConfig config) {
    config.routes.get("/", ctx -> WebUi.redirect(ctx, "/status"));
    config.routes.get("/config", this::show);
    config.routes.post("/config/pbx", this::savePbx);
    config.routes.post("/config/pbx/test", this::testPbx);
    config.routes.post("/config/pbx/trust", this::trustPbx);
    config.routes.post("/config/cloud", this::saveCloud);
    config.routes.post("/config/cloud/test", this::testCloud);
    config.routes.post("/config/cloud/trust", this::trustCloud);
  }

  private void show(Context ctx) {
    String saved = ctx.queryParam("saved");
    AgentConfig config = store.current();
    render(ctx, view(config, pbxFormOf(config.pbx()), null,
        "pbx".equals(saved) ? "PBX settings saved and applied." : null,
        cloudUrlOf(config), null,
        "cloud".equals(saved) ? "Cloud settings saved and applied." : null));
  }

  private void savePbx(Context ctx) throws IOException {
    PbxForm form = PbxForm.from(ctx);
    AgentConfig config = store.current();
    try {
      store.update(config.withPbx(form.toPbx(config.pbx())));
    } catch (PbxForm.FormException | ConfigException e) {
      render(ctx.status(HttpStatus.BAD_REQUEST), view(config, form, describe(e), null,
          cloudUrlOf(config), null, null));
      return;
    }
    log.info("PBX settings saved from the web UI by {}", ctx.ip());
    ctx.redirect("/config?saved=pbx", HttpStatus.SEE_OTHER);
  }

  private void testPbx(Context ctx) {
    AgentConfig.Pbx pbx;
    try {
      pbx = PbxForm.from(ctx).toPbx(store.current().pbx());
    } catch (PbxForm.FormException e) {
      renderTest(ctx, PbxTestView.rejected(e.getMessage()));
      return;
    }
    runTest(ctx, pbx);
  }

  /** Trusts the fingerprint the admin confirmed, saves the form with it and tests again. */
  private void trustPbx(Context ctx) throws IOException {
    String fingerprint = ctx.formParam("fingerprint");
    AgentConfig config = store.current();
    AgentConfig.Pbx pbx;
    try {
      pbx = PbxForm.from(ctx).toPbx(config.pbx()).withCertificateSha256(fingerprint);
      store.update(config.withPbx(pbx));
    } catch (PbxForm.FormException | ConfigException e) {
      renderTest(ctx, PbxTestView.rejected(describe(e)));
      return;
    }
    log.info("PBX certificate {} trusted from the web UI by {}; PBX settings saved",
        pbx.certificateSha256(), ctx.ip());
    runTest(ctx, pbx);
  }

  private void runTest(Context ctx, AgentConfig.Pbx pbx) {
    ConnectionTest.Result result = agent.get().testConnection(pbx);
    if (result.passed()) {
      log.info("Connection test to {}: {} records read", pbx.baseUri(), result.recordsRead());
    } else {
      log.info("Connection test to {} failed: {}", pbx.baseUri(), result.message());
    }
    renderTest(ctx, PbxTestView.of(result, pbx.timeZone()));
  }

  private void saveCloud(Context ctx) throws IOException {
    AgentConfig config = store.current();
    String url = field(ctx, "cloudUrl");
    try {
      store.update(config.withCloud(cloudOf(ctx, config.cloud())));
    } catch (ConfigException e) {
      render(ctx.status(HttpStatus.BAD_REQUEST), view(config, pbxFormOf(config.pbx()), null,
          null, url, describe(e), null));
      return;
    }
    log.info("Cloud settings saved from the web UI by {}", ctx.ip());
    ctx.redirect("/config?saved=cloud", HttpStatus.SEE_OTHER);
  }

  private void testCloud(Context ctx) {
    AgentConfig config = store.current();
    CloudTestView result;
    try {
      AgentConfig.Cloud cloud = cloudOf(ctx, config.cloud());
      config.withCloud(cloud).validate();
      result = CloudCheck.run(cloud, config.pbx().id());
    } catch (ConfigException e) {
      result = CloudTestView.rejected(describe(e));
    }
    templates.render(ctx, "cloudTest.jte", Map.of("result", result));
  }

  /** Pins the cloud certificate the admin confirmed, saves the form with it and tests again. */
  private void trustCloud(Context ctx) throws IOException {
    String fingerprint = ctx.formParam("cloudFingerprint");
    AgentConfig config = store.current();
    AgentConfig.Cloud cloud;
    try {
      cloud = cloudOf(ctx, config.cloud()).withCertificateSha256(fingerprint);
      store.update(config.withCloud(cloud));
    } catch (ConfigException e) {
      templates.render(ctx, "cloudTest.jte",
          Map.of("result", CloudTestView.rejected(describe(e))));
      return;
    }
    log.info("Cloud certificate {} trusted from the web UI by {}; cloud settings saved",
        cloud.certificateSha256(), ctx.ip());
    templates.render(ctx, "cloudTest.jte",
        Map.of("result", CloudCheck.run(cloud, config.pbx().id())));
  }

  private static AgentConfig.Cloud cloudOf(Context ctx, AgentConfig.Cloud current)
      throws ConfigException {
    String url = field(ctx, "cloudUrl");
    URI uri;
    try {
      uri = new URI(url.endsWith("/") ? url.substring(0, url.length() - 1) : url);
    } catch (URISyntaxException e) {
      throw new ConfigException("cloud.url", "must be an https URL: '" + url + "'", e);
    }
    String key = ctx.formParam("apiKey");
    Secret apiKey = key == null || key.isBlank() ? current.apiKey() : new Secret(key.strip());
    // A pinned certificate belongs to one host and port: another address drops it.
    String pin = current.url() != null && sameAuthority(uri, current.url())
        ? current.certificateSha256() : null;
    return new AgentConfig.Cloud(uri, apiKey, pin, current.caCertificateFile(),
        current.batchMaxRecords(), current.batchMaxBytes());
  }

  private static boolean sameAuthority(URI a, URI b) {
    return a.getHost() != null && a.getHost().equalsIgnoreCase(b.getHost())
        && a.getPort() == b.getPort();
  }

  private void renderTest(Context ctx, PbxTestView view) {
    templates.render(ctx, "pbxTest.jte", Map.of("test", view));
  }

  private void render(Context ctx, ConfigView view) {
    templates.render(ctx, "config.jte", WebUi.page(ctx, "Configuration", "config", "view", view));
  }

  private ConfigView view(AgentConfig config, PbxForm pbx, String pbxError, String pbxNotice,
      String cloudUrl, String cloudError, String cloudNotice) {
    return new ConfigView(pbx.name(), pbx.typeUpper(), pbx.host(), pbx.port(), pbx.login(),
        isSet(config.pbx().password()), pbx.pollMinutes(), pbx.timeZone(), ZONES,
        config.pbx().certificateSha256(), pbxError, pbxNotice, cloudUrl,
        isSet(config.cloud().apiKey()), config.cloud().certificateSha256(), cloudError,
        cloudNotice);
  }

  /**
   * Returns the form of the stored PBX settings. Before the first save it suggests the
   * guide's service account and the agent machine's time zone; the IP stays empty.
   */
  private static PbxForm pbxFormOf(AgentConfig.Pbx pbx) {
    String login = pbx.login() == null ? SUGGESTED_LOGIN : pbx.login();
    ZoneId zone = pbx.timeZone() == null ? ZoneId.systemDefault() : pbx.timeZone();
    return new PbxForm(pbx.id(), pbx.type().name(), pbx.host() == null ? "" : pbx.host(),
        Integer.toString(pbx.port()), login, null,
        Long.toString(pbx.pollInterval().toMinutes()), zone.getId());
  }

  private static String cloudUrlOf(AgentConfig config) {
    return config.cloud().url() == null ? "" : config.cloud().url().toString();
  }

  private static boolean isSet(Secret secret) {
    return secret != null && !secret.isBlank();
  }

  /** Returns the reason a value was rejected, starting with the field's label. */
  private static String describe(Exception e) {
    if (e instanceof ConfigException config) {
      String label = LABELS.getOrDefault(config.field(), config.field());
      String rule = config.getMessage().substring(config.field().length() + 2);
      return label + " " + rule + (rule.endsWith(".") ? "" : ".");
    }
    return e.getMessage();
  }

  private static String field(Context ctx, String name) {
    String value = ctx.formParam(name);
    return value == null ? "" : value.strip();
  }
}
