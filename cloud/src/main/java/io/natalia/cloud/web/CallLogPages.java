package io.natalia.cloud.web;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import io.natalia.cloud.alert.AdminMail;
import io.natalia.cloud.analytics.Analytics;
import io.natalia.cloud.analytics.CallPage;
import io.natalia.cloud.audit.AuditLog;
import io.natalia.cloud.auth.Permission;
import io.natalia.cloud.export.CdrExport;
import io.natalia.cloud.export.ExportFormat;
import io.natalia.cloud.tenant.Tenants;
import io.natalia.cloud.web.CallQueries.CallDetail;
import io.natalia.cloud.web.CallQueries.CallRow;
import io.natalia.cloud.web.CallQueries.Leg;
import io.natalia.cloud.web.View.Cell;
import io.natalia.cloud.web.View.Table;
import java.io.IOException;
import java.sql.SQLException;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The call log with its filters and paging, one call with its legs and the PBX's records, the
 * audited reveal of a phone number, and the exports of the calls on screen (written by
 * {@link CdrExport}, the same as the API's).
 */
final class CallLogPages {
  private static final Logger log = LoggerFactory.getLogger(CallLogPages.class);
  /** Rows per page of the call log. */
  static final int PAGE_SIZE = 50;
  /** Minimum length of the reason stated for a reveal. */
  static final int MIN_REASON_LENGTH = 10;
  private static final ObjectMapper PRETTY =
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private final Analytics analytics;
  private final CallQueries calls;
  private final Tenants tenants;
  private final AuditLog auditLog;
  private final AdminQueries adminQueries;
  private final AdminMail adminMail;
  private final Dashboard dashboard;
  private final CdrExport export;

  CallLogPages(Analytics analytics, CallQueries calls, Tenants tenants, AuditLog auditLog,
      AdminQueries adminQueries, AdminMail adminMail, Dashboard dashboard) {
    this.analytics = analytics;
    this.calls = calls;
    this.tenants = tenants;
    this.auditLog = auditLog;
    this.adminQueries = adminQueries;
    this.adminMail = adminMail;
    this.dashboard = dashboard;
    this.export = new CdrExport(analytics, auditLog);
  }

  void install(JavalinConfig config) {
    config.routes.get("/calls", dashboard.page(Permission.CDR_READ, this::list));
    config.routes.get("/calls/{id}", dashboard.page(Permission.CDR_READ, this::detail));
    config.routes.post("/calls/{id}/reveal",
        dashboard.page(Permission.CDR_REVEAL_PHONE, this::reveal));
    config.routes.get("/export/calls.{format}", dashboard.page(Permission.CDR_EXPORT,
        this::export));
  }

  /** Returns the link to a call's page. */
  static String link(io.natalia.cloud.analytics.CallRow call) {
    return link(call.id(), call.startedAt());
  }

  static String link(String id, Instant startedAt) {
    long nanos = startedAt.getEpochSecond() * 1_000_000_000L + startedAt.getNano();
    return "/calls/" + AnalysisPages.encode(id) + "?t=" + nanos;
  }

  private void export(Context ctx, SignedIn user) throws IOException {
    ExportFormat format = switch (ctx.pathParam("format")) {
      case "csv" -> ExportFormat.CSV;
      case "jsonl" -> ExportFormat.JSON;
      case "parquet" -> ExportFormat.PARQUET;
      default -> throw new WebError(404, "export format must be csv, jsonl or parquet: '"
          + ctx.pathParam("format") + "'");
    };
    DateRange range = dashboard.range(ctx, user);
    CallFilter filter = filter(ctx);
    Renderer.secureHeaders(ctx);
    ctx.header("Content-Disposition", "attachment; filename=\"natalia-calls-"
        + range.firstDay() + "-to-" + range.lastDay() + "." + format.extension() + "\"");
    ctx.contentType(format.contentType());
    long written = export.write(user.tenant(), range.timeRange(), filter.analytics(), format,
        ctx.outputStream(), user.actor());
    log.info("{} exported {} calls as {} (tenant {})", user.email(), written,
        format.extension(), user.tenant().id());
  }

  // Limitation: see docs/known-limitations.md#call-log-deep-pages
  private void list(Context ctx, SignedIn user) {
    DateRange range = dashboard.range(ctx, user);
    CallFilter filter = filter(ctx);
    int page = pageNumber(ctx.queryParam("page"));
    CallPage calls = analytics.calls(user.tenant(), range.timeRange(), filter.analytics(),
        page, PAGE_SIZE);
    ZoneId zone = user.tenant().timeZone();
    List<List<Cell>> rows = new ArrayList<>();
    for (var call : calls.calls()) {
      rows.add(row(call, zone, user.tenant().currency()));
    }
    Table table = new Table(null, List.of("When", "Direction", "Outcome", "Number", "Trunk",
        "First rang", "Extension", "Time to answer", "Talk", "Cost", "Legs"), rows,
        "No call matches these filters in this range.");
    String query = range.query() + (filter.query().isEmpty() ? "" : "&" + filter.query());
    long pages = Math.max(1, (calls.total() + PAGE_SIZE - 1) / PAGE_SIZE);
    View.Pager pager = new View.Pager(page, pages, calls.total(),
        page > 0 ? "/calls?" + query + "&page=" + (page - 1) : null,
        page + 1 < pages ? "/calls?" + query + "&page=" + (page + 1) : null);
    View.Frame frame = new View.Frame(user, ctx.path(), range, filter.query());
    boolean partial = "call-rows".equals(ctx.header("HX-Target"));
    dashboard.render(ctx, partial ? "call-rows.jte" : "calls.jte", frame, "filter", filter,
        "table", table, "pager", pager, "exportQuery", query);
  }

  private static int pageNumber(String text) {
    if (text == null || text.isBlank()) {
      return 0;
    }
    try {
      int page = Integer.parseInt(text.strip());
      if (page >= 0 && page <= 1_000_000) {
        return page;
      }
    } catch (NumberFormatException e) {
      // Reported below with the rule.
    }
    throw new WebError(400, "page must be a page number from 0: '" + text + "'");
  }

  private static List<Cell> row(io.natalia.cloud.analytics.CallRow call, ZoneId zone,
      String currency) {
    return List.of(
        new Cell(Format.time(call.startedAt(), zone), link(call), null),
        Cell.of(call.direction()),
        call.direction().equals("internal") ? Cell.of("–")
            : new Cell(call.answered() ? "answered" : "missed", null,
                call.answered() ? "good" : "bad"),
        Cell.of(call.direction().equals("internal") ? "–"
            : Format.maskedNumber(call.numberLast4())),
        Cell.of(AnalysisPages.dash(call.trunk())),
        Cell.of(AnalysisPages.dash(call.initialTarget())),
        Cell.of(AnalysisPages.dash(call.answeringExtension())),
        Cell.num(Format.seconds(call.timeToAnswerSeconds())),
        Cell.num(Format.seconds(call.talkSeconds())),
        Cell.num(Format.money(call.cost(), currency)),
        Cell.num(Integer.toString(call.legCount())));
  }

  private void detail(Context ctx, SignedIn user) throws SQLException, IOException {
    CallDetail detail = find(ctx, user);
    ZoneId zone = user.tenant().timeZone();
    String currency = user.tenant().currency();
    CallRow call = detail.call();

    List<List<Cell>> facts = new ArrayList<>();
    facts.add(List.of(Cell.of("Started"), Cell.of(Format.fullTime(call.startedAt(), zone)
        + " (" + zone.getId() + ")")));
    facts.add(List.of(Cell.of("Ended"), Cell.of(Format.fullTime(call.endedAt(), zone))));
    facts.add(List.of(Cell.of("Direction"), Cell.of(call.direction())));
    facts.add(List.of(Cell.of("Outcome"), new Cell(call.answered() ? "answered" : "missed",
        null, call.answered() ? "good" : "bad")));
    facts.add(List.of(Cell.of("Number"), Cell.of(Format.maskedNumber(call.last4()))));
    facts.add(List.of(Cell.of("Trunk"), Cell.of(AnalysisPages.dash(call.trunk()))));
    facts.add(List.of(Cell.of("First rang"), Cell.of(AnalysisPages.dash(
        call.initialTarget()))));
    facts.add(List.of(Cell.of("Answered by"), Cell.of(AnalysisPages.dash(call.extension()))));
    facts.add(List.of(Cell.of("Time to answer"),
        Cell.of(Format.seconds(call.timeToAnswerSeconds()))));
    facts.add(List.of(Cell.of("Rang in total"), Cell.of(Format.seconds(call.ringSeconds()))));
    facts.add(List.of(Cell.of("Talk"), Cell.of(Format.seconds(call.talkSeconds()))));
    facts.add(List.of(Cell.of("Cost"), Cell.of(Format.money(call.cost(), currency))));

    List<List<Cell>> legRows = new ArrayList<>();
    List<String> raws = new ArrayList<>();
    for (Leg leg : detail.legs()) {
      legRows.add(List.of(Cell.of(Format.fullTime(leg.startedAt(), zone)),
          Cell.of(leg.ticketId() == null ? "–" : leg.ticketId().toString()),
          Cell.of(AnalysisPages.dash(leg.initialTarget())),
          Cell.of(AnalysisPages.dash(leg.extension()) + (leg.extensionName() == null ? ""
              : " " + leg.extensionName())),
          Cell.num(Format.seconds(leg.ringSeconds())),
          Cell.num(Format.seconds(leg.talkSeconds())),
          new Cell(leg.answered() ? "answered" : "not answered", null,
              leg.answered() ? "good" : "muted"),
          Cell.num(Format.money(leg.cost(), currency)),
          Cell.of(AnalysisPages.dash(leg.businessCode()))));
      raws.add(leg.rawJson() == null ? "{}"
          : PRETTY.writeValueAsString(PRETTY.readTree(leg.rawJson())));
    }

    Table legs = new Table("Legs (PBX tickets), in order", List.of("Started", "Ticket",
        "Rang first", "Extension", "Ring", "Talk", "Outcome", "Cost", "Business code"),
        legRows, "No leg found.");
    View.Frame frame = new View.Frame(user, "/calls", null, "");
    dashboard.render(ctx, "call.jte", frame, "facts", new Table(null, List.of(), facts, ""),
        "legs", legs, "raws", raws, "callId", call.id(), "t", ctx.queryParam("t"),
        "canReveal", detail.hasNumber() && user.may(Permission.CDR_REVEAL_PHONE));
  }

  private void reveal(Context ctx, SignedIn user) throws SQLException {
    String reason = ctx.formParam("reason") == null ? "" : ctx.formParam("reason").strip();
    if (reason.length() < MIN_REASON_LENGTH || reason.length() > 500) {
      throw new WebError(400, "reason must say why the full number is needed, "
          + MIN_REASON_LENGTH + " to 500 characters (got " + reason.length() + ")");
    }
    CallDetail detail = find(ctx, user);
    CallRow call = detail.call();
    byte[] cipher = calls.numberCipher(user.tenant().id(), call.id(), call.startedAt())
        .orElseThrow(() -> new WebError(404, "call " + call.id() + " has no number"));
    String number = tenants.keys(user.tenant().id()).decryptNumber(cipher);
    Instant now = dashboard.clock().instant();
    Map<String, Object> details = new LinkedHashMap<>();
    details.put("reason", reason);
    details.put("last4", call.last4());
    details.put("callStartedAt", call.startedAt().toString());
    auditLog.append(user.tenant().id(), user.actor(), "cdr.reveal_phone", call.id(), details);
    String notice = user.email() + " revealed the number ending " + call.last4()
        + " of the call of " + Format.fullTime(call.startedAt(), user.tenant().timeZone())
        + ". Reason: " + reason;
    adminQueries.addNotice(user.tenant().id(), now, "reveal", notice);
    adminMail.sendLater(user.tenant(), "[Natalia] " + user.tenant().name()
        + ": a phone number was revealed", notice + "\n\nThe reveal is in the tenant's audit"
        + " log (action cdr.reveal_phone) and on the dashboard's Alerts page.\n");
    log.info("{} revealed the number of call {} (tenant {})", user.email(), call.id(),
        user.tenant().id());
    dashboard.render(ctx, "reveal.jte", new View.Frame(user, "/calls", null, ""),
        "number", number);
  }

  private CallDetail find(Context ctx, SignedIn user) throws SQLException {
    String id = ctx.pathParam("id");
    Instant startedAt;
    try {
      long nanos = Long.parseLong(String.valueOf(ctx.queryParam("t")));
      startedAt = Instant.ofEpochSecond(Math.floorDiv(nanos, 1_000_000_000L),
          Math.floorMod(nanos, 1_000_000_000L));
    } catch (NumberFormatException e) {
      throw new WebError(400, "t must be the call's start in nanoseconds since 1970: '"
          + ctx.queryParam("t") + "'");
    }
    return calls.call(user.tenant().id(), id, startedAt)
        .orElseThrow(() -> new WebError(404, "No call " + id + " starting at " + startedAt
            + " in this tenant."));
  }

  private static CallFilter filter(Context ctx) {
    try {
      return CallFilter.parse(ctx::queryParam);
    } catch (IllegalArgumentException e) {
      throw WebError.badRequest(e);
    }
  }
}
