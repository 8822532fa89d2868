package io.natalia.cloud.web;

import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import io.natalia.cloud.alert.Alert;
import io.natalia.cloud.alert.Alerts;
import io.natalia.cloud.audit.AuditLog;
import io.natalia.cloud.auth.ApiKeys;
import io.natalia.cloud.auth.ApiKeys.IssuedKey;
import io.natalia.cloud.auth.ApiKeys.KeyInfo;
import io.natalia.cloud.auth.Permission;
import io.natalia.cloud.auth.Role;
import io.natalia.cloud.auth.Users;
import io.natalia.cloud.ingest.AgentHealth;
import io.natalia.cloud.tenant.Tenant;
import io.natalia.cloud.web.AdminQueries.AgentRow;
import io.natalia.cloud.web.AdminQueries.PbxRow;
import io.natalia.cloud.web.View.Cell;
import io.natalia.cloud.web.View.Report;
import io.natalia.cloud.web.View.Table;
import io.natalia.cloud.web.View.Tile;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;

/**
 * Health of agents and PBXs, alerts, the admin pages (tenant settings, users, API keys) and
 * the audit log.
 */
final class AdminPages {
  /**
   * An agent silent this long is shown offline; agents post at least every 60 to 90 s, an
   * empty batch when idle.
   */
  static final Duration AGENT_OFFLINE_AFTER = Duration.ofMinutes(15);
  /** A PBX whose newest record is older than this is shown silent. */
  static final Duration PBX_SILENT_AFTER = Duration.ofHours(2);
  static final int AUDIT_PAGE = 100;

  private final AdminQueries queries;
  private final Users users;
  private final ApiKeys apiKeys;
  private final AuditLog auditLog;
  private final Dashboard dashboard;
  private final TenantSettings settings;
  private final Alerts alerts;

  AdminPages(AdminQueries queries, Users users, ApiKeys apiKeys, AuditLog auditLog,
      Dashboard dashboard, TenantSettings settings, Alerts alerts) {
    this.alerts = alerts;
    this.queries = queries;
    this.users = users;
    this.apiKeys = apiKeys;
    this.auditLog = auditLog;
    this.dashboard = dashboard;
    this.settings = settings;
  }

  void install(JavalinConfig config) {
    config.routes.get("/health", dashboard.page(Permission.CDR_READ, this::health));
    config.routes.get("/alerts", dashboard.page(Permission.CDR_READ, this::alerts));
    config.routes.get("/admin/settings",
        dashboard.page(Permission.TENANT_MANAGE, (ctx, user) -> settingsPage(ctx, user, null)));
    config.routes.post("/admin/settings",
        dashboard.page(Permission.TENANT_MANAGE, this::saveSettings));
    config.routes.get("/admin/users",
        dashboard.page(Permission.USER_MANAGE, (ctx, user) -> usersPage(ctx, user, null)));
    config.routes.post("/admin/users", dashboard.page(Permission.USER_MANAGE, this::addUser));
    config.routes.get("/admin/keys", dashboard.page(Permission.API_KEY_MANAGE,
        (ctx, user) -> keysPage(ctx, user, null, null)));
    config.routes.post("/admin/keys",
        dashboard.page(Permission.API_KEY_MANAGE, this::createKey));
    config.routes.post("/admin/keys/{prefix}/revoke",
        dashboard.page(Permission.API_KEY_MANAGE, this::revokeKey));
    config.routes.get("/audit", dashboard.page(Permission.AUDIT_READ, this::audit));
  }

  private void health(Context ctx, SignedIn user) throws SQLException {
    ZoneId zone = user.tenant().timeZone();
    Instant now = dashboard.clock().instant();
    List<List<Cell>> agentRows = new ArrayList<>();
    for (AgentRow agent : queries.agents(user.tenant().id())) {
      AgentHealth health = AgentHealth.fromStored(agent.healthJson());
      boolean offline = agent.lastSeen().plus(AGENT_OFFLINE_AFTER).isBefore(now);
      agentRows.add(List.of(Cell.of(AnalysisPages.dash(agent.host())),
          Cell.of(AnalysisPages.dash(agent.version())),
          new Cell(offline ? "offline" : "online", null, offline ? "bad" : "good"),
          Cell.of(Format.span(Duration.between(agent.lastSeen(), now)) + " ago"),
          bufferCell(health.bufferUsedPercent()),
          Cell.of(health.pendingRecords() == null ? "–"
              : Format.count(health.pendingRecords())),
          Cell.of(health.lagSeconds() == null ? "–"
              : Format.span(Duration.ofSeconds(health.lagSeconds()))),
          new Cell(health.errorCode() == null ? "none" : health.errorCode(), null,
              health.errorCode() == null ? "good" : "warn"),
          Cell.of(agent.keyPrefix())));
    }
    List<List<Cell>> pbxRows = new ArrayList<>();
    for (PbxRow pbx : queries.pbxs(user.tenant().id())) {
      boolean silent = pbx.lastRecord() == null
          || pbx.lastRecord().plus(PBX_SILENT_AFTER).isBefore(now);
      pbxRows.add(List.of(Cell.of(pbx.pbxId()), Cell.of(AnalysisPages.dash(pbx.type())),
          Cell.of(AnalysisPages.dash(pbx.timeZone())),
          Cell.of(AnalysisPages.dash(pbx.agentHost())),
          Cell.of(Format.time(pbx.lastSeen(), zone)),
          Cell.of(pbx.lastRecord() == null ? "no record yet"
              : Format.span(Duration.between(pbx.lastRecord(), now)) + " ago"),
          new Cell(silent ? "silent" : "sending", null, silent ? "warn" : "good")));
    }
    Report report = new Report("Agents and PBXs", "Agents report their state with every"
        + " batch they send, and at least every minute and a half when idle. Pending and lag"
        + " are the records waiting in the agent's disk buffer and the age of the oldest."
        + " A PBX is silent when its newest record is older than "
        + Format.span(PBX_SILENT_AFTER) + ".", List.of(), List.of(), List.of(
            new Table("Agents", List.of("Host", "Version", "State", "Last seen", "Buffer",
                "Pending", "Lag", "Error code", "Key"), agentRows,
                "No agent has sent anything yet."),
            new Table("PBXs", List.of("PBX", "Type", "Time zone", "Agent", "Last contact",
                "Newest record", "State"), pbxRows, "No PBX has sent anything yet.")), null);
    dashboard.render(ctx, "report.jte", new View.Frame(user, ctx.path(), null, ""),
        "report", report);
  }

  private static Cell bufferCell(Double percent) {
    if (percent == null) {
      return Cell.of("–");
    }
    String tone = "good";
    if (percent >= 95) {
      tone = "bad";
    } else if (percent >= 80) {
      tone = "warn";
    }
    return new Cell(Math.round(percent) + " %", null, tone);
  }

  private void alerts(Context ctx, SignedIn user) throws SQLException {
    ZoneId zone = user.tenant().timeZone();
    List<List<Cell>> rows = new ArrayList<>();
    for (Alert alert : alerts.list(user.tenant().id(), true)) {
      rows.add(alert("bad", alert.subject(), alert.message() + " [" + alert.code() + "]",
          alert.openedAt(), zone));
    }
    int open = rows.size();
    if (user.may(Permission.USER_MANAGE)) {
      for (var notice : queries.notices(user.tenant().id(), 50)) {
        rows.add(alert("warn", notice.kind().equals("reveal") ? "Number revealed"
            : notice.kind(), notice.message(), notice.at(), zone));
      }
    }
    Report report = new Report("Alerts", "A PBX silent during business hours, an agent"
        + " offline, a full agent buffer, too many missed calls; admins also see who revealed"
        + " a phone number.", List.of(new Tile("Open alerts", Integer.toString(open),
            "agents, PBXs and missed calls", open == 0 ? "good" : "bad")), List.of(),
        List.of(new Table(null, List.of("", "What", "Detail", "Since"), rows,
            "All is well.")), null);
    dashboard.render(ctx, "report.jte", new View.Frame(user, ctx.path(), null, ""),
        "report", report);
  }

  private static List<Cell> alert(String tone, String what, String detail, Instant since,
      ZoneId zone) {
    return List.of(new Cell("bad".equals(tone) ? "●" : "▲", null, tone), Cell.of(what),
        Cell.of(detail), Cell.of(Format.time(since, zone)));
  }

  private void settingsPage(Context ctx, SignedIn user, String message) {
    Tenant tenant = user.tenant();
    dashboard.render(ctx, "settings.jte", new View.Frame(user, ctx.path(), null, ""),
        "tenant", tenant, "callbackHours", tenant.callbackWindow().toHours(),
        "message", message);
  }

  private void saveSettings(Context ctx, SignedIn user) throws SQLException {
    try {
      settings.update(user, ctx.formParam("timeZone"), ctx.formParam("currency"),
          ctx.formParam("retentionDays"), ctx.formParam("callbackHours"));
    } catch (IllegalArgumentException e) {
      ctx.status(400);
      settingsPage(ctx, user, e.getMessage());
      return;
    }
    ctx.redirect("/admin/settings");
  }

  private void usersPage(Context ctx, SignedIn user, String message) throws SQLException {
    List<List<Cell>> rows = new ArrayList<>();
    ZoneId zone = user.tenant().timeZone();
    for (var row : queries.users(user.tenant().id())) {
      rows.add(List.of(Cell.of(row.email()), Cell.of(row.role().toLowerCase()),
          new Cell(row.disabled() ? "disabled" : "active", null,
              row.disabled() ? "muted" : "good"),
          Cell.of(Format.time(row.lastLogin(), zone))));
    }
    dashboard.render(ctx, "users.jte", new View.Frame(user, ctx.path(), null, ""),
        "table", new Table(null, List.of("E-mail", "Role", "State", "Last sign-in"), rows,
            "No user."), "message", message);
  }

  private void addUser(Context ctx, SignedIn user) throws SQLException {
    String password = ctx.formParam("password") == null ? "" : ctx.formParam("password");
    try {
      users.add(user.tenant().id(), ctx.formParam("email"), Role.parse(
          String.valueOf(ctx.formParam("role"))), password.toCharArray(), user.actor());
    } catch (IllegalArgumentException e) {
      ctx.status(400);
      usersPage(ctx, user, e.getMessage());
      return;
    }
    ctx.redirect("/admin/users");
  }

  private void keysPage(Context ctx, SignedIn user, IssuedKey issued, String message) {
    List<List<Cell>> rows = new ArrayList<>();
    ZoneId zone = user.tenant().timeZone();
    List<String> revocable = new ArrayList<>();
    for (KeyInfo key : apiKeys.list(user.tenant().id())) {
      rows.add(List.of(Cell.of(key.prefix()), Cell.of(key.name()),
          Cell.of(key.kind() == ApiKeys.Kind.AGENT ? "agent key"
              : "API token (" + key.role().name().toLowerCase() + ")"),
          Cell.of(Format.time(key.createdAt(), zone)),
          Cell.of(Format.time(key.lastUsedAt(), zone)),
          key.revokedAt() == null ? new Cell("valid", null, "good")
              : new Cell("revoked " + Format.time(key.revokedAt(), zone), null, "muted")));
      revocable.add(key.revokedAt() == null ? key.prefix() : null);
    }
    dashboard.render(ctx, "keys.jte", new View.Frame(user, ctx.path(), null, ""),
        "table", new Table(null, List.of("Key", "Name", "Kind", "Created", "Last used",
            "State"), rows, "No key yet."), "revocable", revocable, "issued", issued,
        "message", message);
  }

  private void createKey(Context ctx, SignedIn user) {
    try {
      String kind = String.valueOf(ctx.formParam("kind"));
      ApiKeys.Kind parsed = switch (kind) {
        case "agent" -> ApiKeys.Kind.AGENT;
        case "token" -> ApiKeys.Kind.API_TOKEN;
        default -> throw new IllegalArgumentException(
            "kind must be agent or token: '" + kind + "'");
      };
      Role role = parsed == ApiKeys.Kind.AGENT ? null
          : Role.parse(String.valueOf(ctx.formParam("role")));
      IssuedKey issued = apiKeys.create(user.tenant().id(), parsed, ctx.formParam("name"),
          role, user.actor());
      keysPage(ctx, user, issued, null);
    } catch (IllegalArgumentException e) {
      ctx.status(400);
      keysPage(ctx, user, null, e.getMessage());
    }
  }

  private void revokeKey(Context ctx, SignedIn user) {
    String prefix = ctx.pathParam("prefix");
    if (!apiKeys.revoke(user.tenant().id(), prefix, user.actor())) {
      throw new WebError(404, "No valid key " + prefix + " in this tenant.");
    }
    ctx.redirect("/admin/keys");
  }

  private void audit(Context ctx, SignedIn user) throws SQLException {
    Long before = null;
    if (ctx.queryParam("before") != null) {
      try {
        before = Long.parseLong(ctx.queryParam("before"));
      } catch (NumberFormatException e) {
        throw new WebError(400, "before must be an entry id: '" + ctx.queryParam("before")
            + "'");
      }
    }
    var entries = queries.audit(user.tenant().id(), before, AUDIT_PAGE);
    ZoneId zone = user.tenant().timeZone();
    List<List<Cell>> rows = new ArrayList<>();
    for (var entry : entries) {
      rows.add(List.of(Cell.num(Long.toString(entry.id())),
          Cell.of(Format.fullTime(entry.at(), zone)), Cell.of(entry.actor()),
          new Cell(entry.action(), null, entry.action().equals("cdr.reveal_phone")
              || entry.action().equals("login.failed") ? "warn" : null),
          Cell.of(AnalysisPages.dash(entry.target())), Cell.of(entry.detailsJson())));
    }
    AuditLog.Verification chain = auditLog.verify(user.tenant().id());
    Tile integrity = chain.intact()
        ? new Tile("Chain of entries", "intact", Format.count(chain.entries())
            + " entries checked", "good")
        : new Tile("Chain of entries", "BROKEN", chain.problem(), "bad");
    String older = entries.size() == AUDIT_PAGE
        ? "/audit?before=" + entries.get(entries.size() - 1).id() : null;
    Report report = new Report("Audit log", "Every sign-in, change, export and reveal, newest"
        + " first. Each entry carries the hash of the one before, so a change to the past"
        + " breaks the chain.", List.of(integrity), List.of(), List.of(new Table(null,
            List.of("#", "When", "Who", "What", "On", "Details"), rows, "No entry.")), null);
    dashboard.render(ctx, "report.jte", new View.Frame(user, ctx.path(), null, ""),
        "report", report, "older", older);
  }
}
