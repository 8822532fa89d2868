package io.natalia.cloud.web;

import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import io.natalia.cloud.analytics.Analytics;
import io.natalia.cloud.analytics.Bucket;
import io.natalia.cloud.analytics.CostBy;
import io.natalia.cloud.analytics.CostLine;
import io.natalia.cloud.analytics.MissedCall;
import io.natalia.cloud.analytics.SeriesPoint;
import io.natalia.cloud.analytics.Summary;
import io.natalia.cloud.analytics.TrunkStats;
import io.natalia.cloud.auth.Permission;
import io.natalia.cloud.tenant.Tenant;
import io.natalia.cloud.web.View.Cell;
import io.natalia.cloud.web.View.Chart;
import io.natalia.cloud.web.View.Report;
import io.natalia.cloud.web.View.Table;
import io.natalia.cloud.web.View.Tile;
import java.math.BigDecimal;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The pages that answer "how did we do": overview, missed calls, extensions, hunt groups,
 * trunks and costs, each for the range picked, in the tenant's time zone. The figures come
 * from the analytics query layer ({@link Analytics}), which docs/metrics.md defines; only the
 * weekday × hour heatmap and the time-to-answer histogram are summed here.
 */
final class AnalysisPages {
  /** Most missed calls listed; the headline counts cover them all. */
  // Limitation: see docs/known-limitations.md#missed-list-cap
  static final int MISSED_LIMIT = 500;
  private static final DateTimeFormatter DAY =
      DateTimeFormatter.ofPattern("EEE d MMM", Locale.ENGLISH);

  private final Analytics analytics;
  private final Aggregates aggregates;
  private final Dashboard dashboard;

  AnalysisPages(Analytics analytics, Aggregates aggregates, Dashboard dashboard) {
    this.analytics = analytics;
    this.aggregates = aggregates;
    this.dashboard = dashboard;
  }

  void install(JavalinConfig config) {
    config.routes.get("/overview", dashboard.page(Permission.CDR_READ, this::overview));
    config.routes.get("/missed", dashboard.page(Permission.CDR_READ, this::missed));
    config.routes.get("/extensions", dashboard.page(Permission.CDR_READ, this::extensions));
    config.routes.get("/groups", dashboard.page(Permission.CDR_READ, this::groups));
    config.routes.get("/trunks", dashboard.page(Permission.CDR_READ, this::trunks));
    config.routes.get("/costs", dashboard.page(Permission.CDR_READ, this::costs));
  }

  private void overview(Context ctx, SignedIn user) throws SQLException {
    DateRange range = dashboard.range(ctx, user);
    Tenant tenant = user.tenant();
    Summary s = analytics.summary(tenant, range.timeRange(), NONE);
    List<Tile> tiles = List.of(
        new Tile("Incoming calls", Format.count(s.incoming()),
            Format.count(s.outgoing()) + " outgoing, " + Format.count(s.internal())
                + " internal", "plain"),
        new Tile("Answered", Format.percent(s.answered(), s.incoming()),
            Format.count(s.answered()) + " calls", "good"),
        new Tile("Missed", Format.count(s.missed()),
            Format.percent(s.missed(), s.incoming()) + " of incoming",
            s.missed() == 0 ? "good" : "warn"),
        new Tile("Not called back", Format.count(s.unreturnedMissed()),
            "within " + Format.span(tenant.callbackWindow()),
            s.unreturnedMissed() == 0 ? "good" : "bad"),
        new Tile("Time to answer", Format.seconds(s.avgTimeToAnswerSeconds()),
            "average; 90 % within " + Format.seconds(s.p90TimeToAnswerSeconds()), "plain"),
        new Tile("Talk time", Format.seconds(s.avgTalkSeconds()), "average per answered call",
            "plain"),
        new Tile("Cost", Format.money(s.cost(), tenant.currency()), "all calls", "plain"));

    boolean hourly = range.days() == 1;
    List<String> labels = new ArrayList<>();
    List<Long> answered = new ArrayList<>();
    List<Long> missed = new ArrayList<>();
    for (SeriesPoint point : analytics.timeSeries(tenant, range.timeRange(), NONE,
        hourly ? Bucket.HOUR : Bucket.DAY)) {
      labels.add(hourly ? String.format("%02d:00", point.localStart().getHour())
          : DAY.format(point.localStart()));
      answered.add(point.answered());
      missed.add(point.missed());
    }

    List<Chart> charts = List.of(
        new Chart("answered-missed", "Answered and missed, per " + (hourly ? "hour" : "day"),
            Charts.answeredMissed(labels, answered, missed), true),
        new Chart("heatmap", "When calls come in (weekday × hour)",
            Charts.heatmap(aggregates.weekdayHourHeatmap(tenant, range)), false),
        new Chart("time-to-answer", "Time to answer",
            Charts.bars(ttaLabels(), "Answered calls",
                toList(aggregates.timeToAnswerHistogram(tenant, range)), Charts.ACCENT),
            false));
    Report report = new Report("Overview", null, tiles, charts, List.of(), null);
    dashboard.render(ctx, "report.jte", frame(ctx, user, range), "report", report);
  }

  private void missed(Context ctx, SignedIn user) {
    DateRange range = dashboard.range(ctx, user);
    Tenant tenant = user.tenant();
    ZoneId zone = tenant.timeZone();
    Duration window = tenant.callbackWindow();
    // Not returned first: those that still need someone, then the rest, each newest first.
    List<MissedCall> missed = new ArrayList<>(analytics.missed(tenant, range.timeRange(), NONE,
        true, 0, MISSED_LIMIT));
    if (missed.size() < MISSED_LIMIT) {
      analytics.missed(tenant, range.timeRange(), NONE, false, 0, MISSED_LIMIT).stream()
          .filter(MissedCall::returned).limit(MISSED_LIMIT - missed.size())
          .forEach(missed::add);
    }

    Instant now = dashboard.clock().instant();
    long unreturned = 0;
    long waiting = 0;
    List<List<Cell>> rows = new ArrayList<>();
    for (MissedCall call : missed) {
      Cell status = callbackStatus(call, now);
      if ("bad".equals(status.tone())) {
        unreturned++;
      } else if ("warn".equals(status.tone())) {
        waiting++;
      }
      rows.add(List.of(
          new Cell(Format.time(call.call().startedAt(), zone), CallLogPages.link(call.call()),
              null),
          Cell.of(Format.maskedNumber(call.call().numberLast4())),
          Cell.of(dash(call.call().initialTarget())),
          Cell.num(Format.seconds(call.call().ringSeconds())),
          status));
    }

    Summary summary = analytics.summary(tenant, range.timeRange(), NONE);
    List<Tile> tiles = List.of(
        new Tile("Missed calls", Format.count(summary.missed()), range.label(), "plain"),
        new Tile("Not called back", Format.count(unreturned), "window of "
            + Format.span(window) + " passed", unreturned == 0 ? "good" : "bad"),
        new Tile("Still to call back", Format.count(waiting), "window still open",
            waiting == 0 ? "good" : "warn"),
        new Tile("Called back", Format.count(summary.missed() - summary.unreturnedMissed()),
            "or answered when they called again", "good"));
    Table table = new Table("Missed calls, not called back first"
        + (missed.size() >= MISSED_LIMIT ? " (the first " + MISSED_LIMIT + ")" : ""),
        List.of("When", "Number", "First rang", "Rang for", "Callback"), rows,
        "No missed call in this range.");
    Report report = new Report("Missed calls",
        "A missed call is one that no person answered. It is called back when we call the"
            + " number, or it calls again and is answered, within " + Format.span(window)
            + ".", tiles, List.of(), List.of(table), null);
    dashboard.render(ctx, "report.jte", frame(ctx, user, range), "report", report);
  }

  static Cell callbackStatus(MissedCall call, Instant now) {
    if (call.returned()) {
      String after = Format.span(Duration.between(call.call().startedAt(), call.returnedAt()));
      return new Cell("Returned after " + after + (call.returnedBy() == null ? ""
          : " by " + call.returnedBy()), null, "good");
    }
    if (now.isBefore(call.callbackDeadline())) {
      return new Cell("To call back (" + Format.span(Duration.between(now,
          call.callbackDeadline())) + " left)", null, "warn");
    }
    return new Cell("Not called back", null, "bad");
  }

  private void extensions(Context ctx, SignedIn user) {
    DateRange range = dashboard.range(ctx, user);
    String currency = user.tenant().currency();
    List<List<Cell>> rows = new ArrayList<>();
    List<String> names = new ArrayList<>();
    List<Long> answered = new ArrayList<>();
    for (var row : analytics.byExtension(user.tenant(), range.timeRange())) {
      rows.add(List.of(
          new Cell(row.extension(), "/calls?" + range.query() + "&extension="
              + encode(row.extension()), null),
          Cell.of(dash(row.name())),
          Cell.num(Format.count(row.answered())),
          new Cell(Format.count(row.missed()), null, row.missed() > 0 ? "warn" : "num"),
          Cell.num(Format.count(row.outgoing())),
          Cell.num(Format.count(row.internal())),
          Cell.num(Format.seconds(row.talkSeconds())),
          Cell.num(Format.seconds(row.avgTimeToAnswerSeconds())),
          Cell.num(Format.money(row.cost(), currency))));
      names.add(row.extension());
      answered.add(row.answered());
    }
    Table table = new Table("Extensions", List.of("Extension", "Name", "Answered",
        "Missed (rang first)", "Outgoing", "Internal", "Talk time", "Avg time to answer",
        "Cost"), rows, "No extension took or placed a call in this range.");
    List<Chart> charts = names.isEmpty() ? List.of() : List.of(new Chart("ext-answered",
        "Calls answered per extension", Charts.bars(names, "Answered", answered, Charts.GOOD),
        true));
    Report report = new Report("Extensions", "Each transfer leg counts for the extension that"
        + " handled it.", List.of(), charts, List.of(table), null);
    dashboard.render(ctx, "report.jte", frame(ctx, user, range), "report", report);
  }

  private void groups(Context ctx, SignedIn user) {
    DateRange range = dashboard.range(ctx, user);
    List<List<Cell>> rows = new ArrayList<>();
    List<String> names = new ArrayList<>();
    List<Long> answeredSeries = new ArrayList<>();
    List<Long> missedSeries = new ArrayList<>();
    for (var row : analytics.byHuntGroup(user.tenant(), range.timeRange())) {
      rows.add(List.of(
          new Cell(row.huntGroup(), "/calls?" + range.query() + "&group="
              + encode(row.huntGroup()), null),
          Cell.num(Format.count(row.offered())),
          new Cell(Format.percent(row.answered(), row.offered()), null, "good"),
          new Cell(Format.count(row.missed()), null, row.missed() > 0 ? "bad" : "num"),
          Cell.num(Format.seconds(row.avgTimeToAnswerSeconds())),
          Cell.num(Format.seconds(row.p90TimeToAnswerSeconds())),
          Cell.num(Format.seconds(row.talkSeconds()))));
      names.add(row.huntGroup());
      answeredSeries.add(row.answered());
      missedSeries.add(row.missed());
    }
    Table table = new Table("Hunt groups", List.of("Group", "Calls", "Answered", "Missed",
        "Avg time to answer", "90 % answered within", "Talk time"), rows,
        "No call reached a hunt group in this range.");
    List<Chart> charts = names.isEmpty() ? List.of() : List.of(new Chart("groups",
        "Answered and missed per hunt group",
        Charts.answeredMissed(names, answeredSeries, missedSeries), true));
    Report report = new Report("Hunt groups", "Calls whose first target was the group,"
        + " counted once however many members rang.", List.of(), charts, List.of(table), null);
    dashboard.render(ctx, "report.jte", frame(ctx, user, range), "report", report);
  }

  private void trunks(Context ctx, SignedIn user) {
    DateRange range = dashboard.range(ctx, user);
    Tenant tenant = user.tenant();
    List<TrunkStats> trunks = analytics.byTrunk(tenant, range.timeRange());

    List<List<Cell>> rows = new ArrayList<>();
    List<String> names = new ArrayList<>();
    List<Integer> peaks = new ArrayList<>();
    int busiest = 0;
    String busiestTrunk = null;
    for (TrunkStats trunk : trunks) {
      rows.add(List.of(
          new Cell(trunk.trunk(), "/calls?" + range.query() + "&trunk="
              + encode(trunk.trunk()), null),
          Cell.of(trunkGroupName(trunk.trunk().substring(0, 1))),
          Cell.num(Format.count(trunk.incoming())),
          Cell.num(Format.count(trunk.outgoing())),
          Cell.num(Format.seconds(trunk.talkSeconds())),
          Cell.num(Format.money(trunk.cost(), tenant.currency())),
          new Cell(Integer.toString(trunk.peakConcurrency()), null, "num"),
          Cell.of(trunk.peakAt() == null ? "–" : Format.time(trunk.peakAt(),
              tenant.timeZone()))));
      names.add(trunk.trunk());
      peaks.add(trunk.peakConcurrency());
      if (trunk.peakConcurrency() > busiest) {
        busiest = trunk.peakConcurrency();
        busiestTrunk = trunk.trunk();
      }
    }

    List<Tile> tiles = List.of(
        new Tile("Lines used", Integer.toString(trunks.size()), range.label(), "plain"),
        new Tile("Highest peak", Integer.toString(busiest), busiestTrunk == null ? "no call"
            : "simultaneous calls on " + busiestTrunk, "plain"));
    Table table = new Table("Trunk lines", List.of("Line", "Kind", "Incoming", "Outgoing",
        "Talk time", "Cost", "Peak", "Peak reached"), rows, "No call used a trunk in this range.");
    List<Chart> charts = names.isEmpty() ? List.of() : List.of(new Chart("trunk-peaks",
        "Peak of simultaneous calls per line", Charts.bars(names, "Peak", peaks,
            Charts.ACCENT), true));
    Report report = new Report("Trunks", "The peak is the most calls in progress at the same"
        + " moment on a line during the range.", tiles, charts, List.of(table), null);
    dashboard.render(ctx, "report.jte", frame(ctx, user, range), "report", report);
  }

  static String trunkGroupName(String letter) {
    return switch (letter) {
      case "L" -> "analog (L)";
      case "N" -> "BRI (N)";
      case "P" -> "PRI (P)";
      case "V" -> "VoIP (V)";
      default -> letter;
    };
  }

  private void costs(Context ctx, SignedIn user) {
    DateRange range = dashboard.range(ctx, user);
    Tenant tenant = user.tenant();
    String currency = tenant.currency();
    var byExtension = analytics.costs(tenant, range.timeRange(), CostBy.EXTENSION);
    var byCode = analytics.costs(tenant, range.timeRange(), CostBy.BUSINESS_CODE);
    var byDestination = analytics.costs(tenant, range.timeRange(), CostBy.DESTINATION_TYPE);
    BigDecimal total = byDestination.stream().map(CostLine::cost)
        .reduce(BigDecimal.ZERO, BigDecimal::add);
    long units = byDestination.stream().mapToLong(CostLine::units).sum();
    Map<String, BigDecimal> shares = new LinkedHashMap<>();
    byDestination.stream().filter(line -> line.cost().signum() > 0)
        .forEach(line -> shares.put(line.key(), line.cost()));
    List<Tile> tiles = List.of(
        new Tile("Total cost", Format.money(total, currency), range.label(), "plain"),
        new Tile("Metering units", Format.count(units), "as counted by the PBX", "plain"));
    List<Chart> charts = shares.isEmpty() ? List.of() : List.of(new Chart("cost-share",
        "Cost per destination type", Charts.doughnut(shares), false));
    Report report = new Report("Costs", "Costs as the PBX computed them, per ticket.", tiles,
        charts, List.of(costTable("By extension", "Extension", byExtension, currency),
            costTable("By business code", "Business code", byCode, currency),
            costTable("By destination type", "Destination", byDestination, currency)), null);
    dashboard.render(ctx, "report.jte", frame(ctx, user, range), "report", report);
  }

  private static Table costTable(String title, String key, List<CostLine> rows,
      String currency) {
    List<List<Cell>> cells = new ArrayList<>();
    for (var row : rows) {
      cells.add(List.of(Cell.of(row.key()), Cell.num(Format.count(row.tickets())),
          Cell.num(Format.count(row.units())), Cell.num(Format.money(row.cost(), currency))));
    }
    return new Table(title, List.of(key, "Tickets", "Units", "Cost"), cells,
        "No call in this range.");
  }

  private static final io.natalia.cloud.analytics.CallFilter NONE =
      io.natalia.cloud.analytics.CallFilter.NONE;

  private static View.Frame frame(Context ctx, SignedIn user, DateRange range) {
    return new View.Frame(user, ctx.path(), range, "");
  }

  private static List<String> ttaLabels() {
    List<String> labels = new ArrayList<>();
    int previous = 0;
    for (int bound : Aggregates.TTA_BOUNDS) {
      labels.add(previous + "–" + bound + " s");
      previous = bound;
    }
    labels.add(previous + " s +");
    return labels;
  }

  private static List<Long> toList(long[] values) {
    List<Long> list = new ArrayList<>(values.length);
    for (long value : values) {
      list.add(value);
    }
    return list;
  }

  static String dash(String value) {
    return value == null || value.isEmpty() ? "–" : value;
  }

  static String encode(String value) {
    return java.net.URLEncoder.encode(value, java.nio.charset.StandardCharsets.UTF_8);
  }
}
