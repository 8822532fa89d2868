package io.natalia.cloud.web;

import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import io.natalia.cloud.auth.Permission;
import io.natalia.cloud.web.Aggregates.Bucket;
import io.natalia.cloud.web.Aggregates.Summary;
import io.natalia.cloud.web.CallQueries.MissedCall;
import io.natalia.cloud.web.View.Cell;
import io.natalia.cloud.web.View.Chart;
import io.natalia.cloud.web.View.Report;
import io.natalia.cloud.web.View.Table;
import io.natalia.cloud.web.View.Tile;
import java.math.BigDecimal;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;

/**
 * The pages that answer "how did we do": overview, missed calls, extensions, hunt groups,
 * trunks and costs, each for the range picked, in the tenant's time zone.
 */
final class AnalysisPages {
  /** Most missed calls listed; the headline counts cover them all. */
  static final int MISSED_LIMIT = 500;
  private static final DateTimeFormatter DAY =
      DateTimeFormatter.ofPattern("EEE d MMM", Locale.ENGLISH);

  private final Aggregates aggregates;
  private final CallQueries calls;
  private final Dashboard dashboard;

  AnalysisPages(Aggregates aggregates, CallQueries calls, Dashboard dashboard) {
    this.aggregates = aggregates;
    this.calls = calls;
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
    long tenant = user.tenant().id();
    Summary s = aggregates.summary(tenant, range, user.tenant().callbackWindow());
    List<Tile> tiles = List.of(
        new Tile("Incoming calls", Format.count(s.incoming()),
            Format.count(s.outgoing()) + " outgoing, " + Format.count(s.internal())
                + " internal", "plain"),
        new Tile("Answered", Format.percent(s.answered(), s.incoming()),
            Format.count(s.answered()) + " calls", "good"),
        new Tile("Missed", Format.count(s.missed()),
            Format.percent(s.missed(), s.incoming()) + " of incoming",
            s.missed() == 0 ? "good" : "warn"),
        new Tile("Not called back", Format.count(s.unreturned()),
            "within " + Format.span(user.tenant().callbackWindow()),
            s.unreturned() == 0 ? "good" : "bad"),
        new Tile("Time to answer", Format.seconds(s.averageTimeToAnswer()),
            "average; 90 % within " + Format.seconds(s.p90TimeToAnswer()), "plain"),
        new Tile("Talk time", Format.seconds(s.averageTalk()), "average per answered call",
            "plain"),
        new Tile("Cost", Format.money(s.cost(), user.tenant().currency()), "all calls",
            "plain"));
    List<Bucket> buckets = aggregates.answeredAndMissed(tenant, range);
    boolean hourly = range.days() == 1;
    List<String> labels = new ArrayList<>();
    List<Long> answered = new ArrayList<>();
    List<Long> missed = new ArrayList<>();
    for (Bucket bucket : buckets) {
      labels.add(hourly ? String.format("%02d:00", bucket.start().getHour())
          : DAY.format(bucket.start()));
      answered.add(bucket.answered());
      missed.add(bucket.missed());
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

  private void missed(Context ctx, SignedIn user) throws SQLException {
    DateRange range = dashboard.range(ctx, user);
    ZoneId zone = user.tenant().timeZone();
    Duration window = user.tenant().callbackWindow();
    List<MissedCall> missed = calls.missed(user.tenant().id(), range, window, MISSED_LIMIT);
    Instant now = dashboard.clock().instant();
    long unreturned = 0;
    long waiting = 0;
    List<List<Cell>> rows = new ArrayList<>();
    for (MissedCall call : missed) {
      Cell status = callbackStatus(call, window, now);
      if ("bad".equals(status.tone())) {
        unreturned++;
      } else if ("warn".equals(status.tone())) {
        waiting++;
      }
      rows.add(List.of(
          new Cell(Format.time(call.call().startedAt(), zone), CallLogPages.link(call.call()),
              null),
          Cell.of(Format.maskedNumber(call.call().last4())),
          Cell.of(dash(call.call().initialTarget())),
          Cell.num(Format.seconds(call.call().ringSeconds())),
          status));
    }
    List<Tile> tiles = List.of(
        new Tile("Missed calls", Format.count(missed.size()) + (missed.size() == MISSED_LIMIT
            ? "+" : ""), range.label(), "plain"),
        new Tile("Not called back", Format.count(unreturned), "window of "
            + Format.span(window) + " passed", unreturned == 0 ? "good" : "bad"),
        new Tile("Still to call back", Format.count(waiting), "window still open",
            waiting == 0 ? "good" : "warn"),
        new Tile("Called back", Format.count(missed.size() - unreturned - waiting),
            "or answered when they called again", "good"));
    Table table = new Table("Missed calls, not called back first",
        List.of("When", "Number", "First rang", "Rang for", "Callback"), rows,
        "No missed call in this range.");
    Report report = new Report("Missed calls",
        "A missed call is one that no person answered. It is called back when we call the"
            + " number, or it calls again and is answered, within " + Format.span(window)
            + ".", tiles, List.of(), List.of(table), null);
    dashboard.render(ctx, "report.jte", frame(ctx, user, range), "report", report);
  }

  static Cell callbackStatus(MissedCall call, Duration window, Instant now) {
    if (call.callbackAt() != null) {
      String after = Format.span(Duration.between(call.call().startedAt(), call.callbackAt()));
      String how = "outgoing".equals(call.callbackDirection())
          ? "Called back after " + after + (call.callbackAnswered() ? "" : " (no answer)")
          : "Called again after " + after + ", answered";
      return new Cell(how, null, "good");
    }
    Instant deadline = call.call().startedAt().plus(window);
    if (now.isBefore(deadline)) {
      return new Cell("To call back (" + Format.span(Duration.between(now, deadline))
          + " left)", null, "warn");
    }
    return new Cell("Not called back", null, "bad");
  }

  private void extensions(Context ctx, SignedIn user) throws SQLException {
    DateRange range = dashboard.range(ctx, user);
    String currency = user.tenant().currency();
    List<List<Cell>> rows = new ArrayList<>();
    List<String> names = new ArrayList<>();
    List<Long> answered = new ArrayList<>();
    for (var row : aggregates.extensions(user.tenant().id(), range)) {
      rows.add(List.of(
          new Cell(row.extension(), "/calls?" + range.query() + "&extension="
              + encode(row.extension()), null),
          Cell.of(dash(row.name())),
          Cell.num(Format.count(row.answered())),
          new Cell(Format.count(row.missedFirst()), null, row.missedFirst() > 0 ? "warn"
              : "num"),
          Cell.num(Format.count(row.outgoing())),
          Cell.num(Format.seconds(row.talkSeconds())),
          Cell.num(Format.seconds(row.averageRing())),
          Cell.num(Format.money(row.cost(), currency))));
      names.add(row.extension());
      answered.add(row.answered());
    }
    Table table = new Table("Extensions", List.of("Extension", "Name", "Answered",
        "Missed (rang first)", "Outgoing", "Talk time", "Avg ring", "Cost"), rows,
        "No extension took or placed a call in this range.");
    List<Chart> charts = names.isEmpty() ? List.of() : List.of(new Chart("ext-answered",
        "Calls answered per extension", Charts.bars(names, "Answered", answered, Charts.GOOD),
        true));
    Report report = new Report("Extensions", "Each transfer leg counts for the extension that"
        + " handled it.", List.of(), charts, List.of(table), null);
    dashboard.render(ctx, "report.jte", frame(ctx, user, range), "report", report);
  }

  private void groups(Context ctx, SignedIn user) throws SQLException {
    DateRange range = dashboard.range(ctx, user);
    List<List<Cell>> rows = new ArrayList<>();
    List<String> names = new ArrayList<>();
    List<Long> answeredSeries = new ArrayList<>();
    List<Long> missedSeries = new ArrayList<>();
    for (var row : aggregates.huntGroups(user.tenant().id(), range)) {
      rows.add(List.of(
          new Cell(row.group(), "/calls?" + range.query() + "&group=" + encode(row.group()),
              null),
          Cell.num(Format.count(row.calls())),
          new Cell(Format.percent(row.answered(), row.calls()), null, "good"),
          new Cell(Format.count(row.missed()), null, row.missed() > 0 ? "bad" : "num"),
          Cell.num(Format.seconds(row.averageTta())),
          Cell.num(Format.seconds(row.p90Tta()))));
      names.add(row.group());
      answeredSeries.add(row.answered());
      missedSeries.add(row.missed());
    }
    Table table = new Table("Hunt groups", List.of("Group", "Calls", "Answered", "Missed",
        "Avg time to answer", "90 % answered within"), rows,
        "No call reached a hunt group in this range.");
    List<Chart> charts = names.isEmpty() ? List.of() : List.of(new Chart("groups",
        "Answered and missed per hunt group",
        Charts.answeredMissed(names, answeredSeries, missedSeries), true));
    Report report = new Report("Hunt groups", "Calls whose first target was the group,"
        + " counted once however many members rang.", List.of(), charts, List.of(table), null);
    dashboard.render(ctx, "report.jte", frame(ctx, user, range), "report", report);
  }

  private void trunks(Context ctx, SignedIn user) throws SQLException {
    DateRange range = dashboard.range(ctx, user);
    long tenant = user.tenant().id();
    var peaks = aggregates.trunkPeaks(tenant, range);
    Map<String, Integer> peakByGroup = new LinkedHashMap<>();
    TreeSet<String> groups = new TreeSet<>();
    for (var peak : peaks) {
      groups.add(peak.group());
      peakByGroup.merge(peak.group(), peak.peak(), Math::max);
    }
    List<String> days = new ArrayList<>();
    Map<String, List<Integer>> series = new LinkedHashMap<>();
    for (String group : groups) {
      series.put(trunkGroupName(group), new ArrayList<>());
    }
    for (LocalDate day = range.firstDay(); !day.isAfter(range.lastDay());
        day = day.plusDays(1)) {
      days.add(DAY.format(day));
      for (String group : groups) {
        LocalDate current = day;
        int peak = peaks.stream().filter(p -> p.group().equals(group)
            && p.day().equals(current)).mapToInt(Aggregates.DailyPeak::peak).max().orElse(0);
        series.get(trunkGroupName(group)).add(peak);
      }
    }
    List<Tile> tiles = new ArrayList<>();
    peakByGroup.forEach((group, peak) -> tiles.add(new Tile("Peak " + trunkGroupName(group),
        Integer.toString(peak), "simultaneous calls", "plain")));
    List<List<Cell>> rows = new ArrayList<>();
    for (var line : aggregates.trunkLines(tenant, range)) {
      rows.add(List.of(
          new Cell(line.line(), "/calls?" + range.query() + "&trunk=" + encode(line.line()),
              null),
          Cell.of(trunkGroupName(line.line().substring(0, 1))),
          Cell.num(Format.count(line.incoming())),
          Cell.num(Format.count(line.outgoing())),
          Cell.num(Format.seconds(line.talkSeconds())),
          Cell.num(Format.money(line.cost(), user.tenant().currency()))));
    }
    Table table = new Table("Trunk lines", List.of("Line", "Group", "Incoming", "Outgoing",
        "Talk time", "Cost"), rows, "No call used a trunk in this range.");
    List<Chart> charts = groups.isEmpty() ? List.of() : List.of(new Chart("trunk-peaks",
        "Daily peak of simultaneous calls per trunk group", Charts.lines(days, series), true));
    Report report = new Report("Trunks", "Peak concurrency is the most calls in progress at"
        + " the same moment on a trunk group.", tiles, charts, List.of(table), null);
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

  private void costs(Context ctx, SignedIn user) throws SQLException {
    DateRange range = dashboard.range(ctx, user);
    long tenant = user.tenant().id();
    String currency = user.tenant().currency();
    var byExtension = aggregates.costs(tenant, range, "extension");
    var byCode = aggregates.costs(tenant, range, "business_code");
    var byGroup = aggregates.costs(tenant, range, "left(trunk, 1)");
    BigDecimal total = byGroup.stream().map(Aggregates.CostRow::cost)
        .reduce(BigDecimal.ZERO, BigDecimal::add);
    long units = byGroup.stream().mapToLong(Aggregates.CostRow::units).sum();
    Map<String, BigDecimal> shares = new LinkedHashMap<>();
    byGroup.forEach(row -> shares.put(row.key() == null ? "no trunk"
        : trunkGroupName(row.key()), row.cost()));
    List<Tile> tiles = List.of(
        new Tile("Total cost", Format.money(total, currency), range.label(), "plain"),
        new Tile("Metering units", Format.count(units), "as counted by the PBX", "plain"));
    List<Chart> charts = shares.isEmpty() ? List.of() : List.of(new Chart("cost-share",
        "Cost per trunk group", Charts.doughnut(shares), false));
    Report report = new Report("Costs", "Costs as the PBX computed them, per leg.", tiles,
        charts, List.of(costTable("By extension", "Extension", byExtension, currency),
            costTable("By business code", "Business code", byCode, currency)), null);
    dashboard.render(ctx, "report.jte", frame(ctx, user, range), "report", report);
  }

  private static Table costTable(String title, String key, List<Aggregates.CostRow> rows,
      String currency) {
    List<List<Cell>> cells = new ArrayList<>();
    for (var row : rows) {
      cells.add(List.of(Cell.of(row.key() == null ? "(none)" : row.key()),
          Cell.num(Format.count(row.calls())), Cell.num(Format.count(row.units())),
          Cell.num(Format.money(row.cost(), currency))));
    }
    return new Table(title, List.of(key, "Calls", "Units", "Cost"), cells,
        "No call with a cost in this range.");
  }

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
