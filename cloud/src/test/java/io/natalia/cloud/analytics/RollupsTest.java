package io.natalia.cloud.analytics;

import static org.assertj.core.api.Assertions.assertThat;

import io.natalia.cloud.store.TestDatabase;
import io.natalia.cloud.tenant.Tenant;
import io.natalia.oxo.traffic.GeneratedTicket;
import io.natalia.oxo.traffic.TrafficGenerator;
import io.natalia.oxo.traffic.TrafficSettings;
import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Compares every figure read from the quarter-hour sums and the stored first returns with the
 * same figure computed from the calls at query time, on two weeks of generated traffic around
 * the change to summer time. The legs are loaded in two passes (every other ticket first), so
 * the stitcher deletes and rebuilds the calls of transfers and the triggers subtract and add
 * them again. Ranges start and end inside quarter hours, and the tenant is also read in zones
 * whose offsets are half and three-quarter hours.
 */
class RollupsTest {
  private static final ZoneId PARIS = ZoneId.of("Europe/Paris");
  private static final TrafficGenerator GENERATOR =
      new TrafficGenerator(20260329L, TrafficSettings.builder().zone(PARIS).build());
  private static final Instant FIRST = Instant.parse("2026-03-20T00:00:00Z");
  private static final Instant END = Instant.parse("2026-04-06T00:00:00Z");

  @RegisterExtension static final TestDatabase db = new TestDatabase();
  private static AnalyticsFixture fixture;
  private static Analytics atQueryTime;

  @BeforeAll
  static void loadInTwoPasses() throws SQLException {
    fixture = new AnalyticsFixture(db.dataSource(), "Rollups", PARIS,
        Instant.parse("2026-12-01T00:00:00Z"));
    atQueryTime = new Analytics(db.dataSource(), true);
    List<GeneratedTicket> even = new ArrayList<>();
    List<GeneratedTicket> odd = new ArrayList<>();
    GENERATOR.ticketsWritten(FIRST, END).forEachRemaining(
        ticket -> (even.size() == odd.size() ? even : odd).add(ticket));
    fixture.load(even.iterator());
    fixture.load(odd.iterator());
  }

  static Stream<Arguments> tenantsAndRanges() {
    Tenant paris = fixture.tenant();
    List<Tenant> tenants = List.of(paris,
        in(paris, "Asia/Kathmandu", paris.callbackWindow()),
        in(paris, "America/St_Johns", paris.callbackWindow()),
        in(paris, "Australia/Lord_Howe", paris.callbackWindow()),
        in(paris, "Europe/Paris", Duration.ofHours(2)),
        in(paris, "Europe/Paris", Duration.ofDays(30)));
    List<TimeRange> ranges = List.of(
        TimeRange.ofDays(LocalDate.parse("2026-03-23"), LocalDate.parse("2026-04-03"), PARIS),
        TimeRange.ofDays(LocalDate.parse("2026-03-29"), LocalDate.parse("2026-03-30"), PARIS),
        new TimeRange(Instant.parse("2026-03-24T07:12:34.500Z"),
            Instant.parse("2026-04-02T16:59:59Z")),
        new TimeRange(Instant.parse("2026-03-26T10:03:00Z"),
            Instant.parse("2026-03-26T10:11:00Z")),
        new TimeRange(Instant.parse("2026-03-26T10:07:00Z"),
            Instant.parse("2026-03-26T10:38:00Z")));
    List<Arguments> arguments = new ArrayList<>();
    for (Tenant tenant : tenants) {
      for (TimeRange range : ranges) {
        arguments.add(Arguments.of(tenant.timeZone() + " " + tenant.callbackWindow() + " "
            + range.from() + "/" + range.to(), tenant, range));
      }
    }
    return arguments.stream();
  }

  @Test
  void trafficHasRebuiltTransfersAndReturns() throws SQLException {
    assertThat(db.scalar("SELECT count(*) FROM call WHERE leg_count > 1")).isPositive();
    assertThat(db.scalar("SELECT count(*) FROM call WHERE first_return_at IS NOT NULL"))
        .isPositive();
    assertThat(db.scalar("SELECT count(*) FROM call_rollup_hunt_group")).isPositive();
    assertThat(db.scalar("SELECT count(*) FROM call_record_rollup WHERE cost IS NOT NULL"))
        .isPositive();
    assertThat(db.scalar("SELECT max(level_peak) FROM trunk_rollup")).isGreaterThan(1);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("tenantsAndRanges")
  void summaryMatchesQueryTime(String name, Tenant tenant, TimeRange range) {
    for (CallFilter filter : List.of(CallFilter.NONE,
        new CallFilter("incoming", CallFilter.Outcome.MISSED, null, null, null, null))) {
      Summary summed = fixture.analytics.summary(tenant, range, filter);

      assertThat(summed).isEqualTo(atQueryTime.summary(tenant, range, filter));
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("tenantsAndRanges")
  void timeSeriesMatchesQueryTime(String name, Tenant tenant, TimeRange range) {
    for (Bucket bucket : List.of(Bucket.DAY, Bucket.HOUR)) {
      List<SeriesPoint> summed =
          fixture.analytics.timeSeries(tenant, range, CallFilter.NONE, bucket);

      assertThat(summed).as(bucket.name())
          .isEqualTo(atQueryTime.timeSeries(tenant, range, CallFilter.NONE, bucket));
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("tenantsAndRanges")
  void missedCallPagesMatchQueryTime(String name, Tenant tenant, TimeRange range) {
    for (boolean unreturnedOnly : new boolean[] {false, true}) {
      List<MissedCall> firstPage = fixture.analytics.missed(tenant, range, CallFilter.NONE,
          unreturnedOnly, 0, Analytics.MAX_PAGE_SIZE);
      List<MissedCall> thirdPage = fixture.analytics.missed(tenant, range, CallFilter.NONE,
          unreturnedOnly, 2, 7);

      assertThat(firstPage).isEqualTo(atQueryTime.missed(tenant, range, CallFilter.NONE,
          unreturnedOnly, 0, Analytics.MAX_PAGE_SIZE));
      assertThat(thirdPage).isEqualTo(atQueryTime.missed(tenant, range, CallFilter.NONE,
          unreturnedOnly, 2, 7));
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("tenantsAndRanges")
  void huntGroupsMatchQueryTime(String name, Tenant tenant, TimeRange range) {
    List<HuntGroupStats> summed = fixture.analytics.byHuntGroup(tenant, range);

    assertThat(summed).isEqualTo(atQueryTime.byHuntGroup(tenant, range));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("tenantsAndRanges")
  void trunksMatchQueryTime(String name, Tenant tenant, TimeRange range) {
    List<TrunkStats> summed = fixture.analytics.byTrunk(tenant, range);

    assertThat(summed).isEqualTo(atQueryTime.byTrunk(tenant, range));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("tenantsAndRanges")
  void extensionsAndCostsMatchQueryTime(String name, Tenant tenant, TimeRange range) {
    List<ExtensionStats> extensions = fixture.analytics.byExtension(tenant, range);

    assertThat(extensions).isEqualTo(atQueryTime.byExtension(tenant, range));
    for (CostBy by : CostBy.values()) {
      assertThat(fixture.analytics.costs(tenant, range, by)).as(by.name())
          .isEqualTo(atQueryTime.costs(tenant, range, by));
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("tenantsAndRanges")
  void topCallsMatchQueryTime(String name, Tenant tenant, TimeRange range) {
    for (TopBy by : TopBy.values()) {
      List<CallRow> top = fixture.analytics.top(tenant, range, CallFilter.NONE, by, 10);

      assertThat(top).as(by.name())
          .isEqualTo(atQueryTime.top(tenant, range, CallFilter.NONE, by, 10));
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("tenantsAndRanges")
  void dashboardCountsMatchQueryTime(String name, Tenant tenant, TimeRange range) {
    Map<Instant, Long> incoming = fixture.analytics.incomingPerQuarterHour(tenant, range);
    Map<Integer, Long> answered = fixture.analytics.answeredPerTimeToAnswer(tenant, range);

    assertThat(incoming).isEqualTo(atQueryTime.incomingPerQuarterHour(tenant, range));
    assertThat(answered).isEqualTo(atQueryTime.answeredPerTimeToAnswer(tenant, range));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("tenantsAndRanges")
  void callLogTotalMatchesQueryTime(String name, Tenant tenant, TimeRange range) {
    CallPage summed = fixture.analytics.calls(tenant, range, CallFilter.NONE, 1, 20);

    assertThat(summed).isEqualTo(atQueryTime.calls(tenant, range, CallFilter.NONE, 1, 20));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("tenantsAndRanges")
  void exportedCallsMatchCursor(String name, Tenant tenant, TimeRange range)
      throws IOException {
    for (CallFilter filter : List.of(CallFilter.NONE,
        new CallFilter("incoming", null, null, null, "V01", "1"))) {
      List<String> copied = exported(fixture.analytics, tenant, range, filter);

      assertThat(copied).isEqualTo(exported(atQueryTime, tenant, range, filter));
    }
  }

  @Test
  void exportReadsEscapedTextAndFractionsOfSeconds() throws Exception {
    db.execute("SELECT natalia_ensure_month_partition('call', DATE '2026-05-01')");
    db.execute("INSERT INTO call (tenant_id, id, pbx_id, direction, started_at, ended_at,"
        + " answered, time_to_answer_seconds, ring_seconds, talk_seconds, cost,"
        + " number_pseudonym, number_last4, trunk, initial_target, answering_extension,"
        + " leg_count, leg_ids) VALUES (" + fixture.tenant().id() + ", 'odd-1',"
        + " E'tab\\there\\nline \\\\ \"q\" \u00e9', 'incoming',"
        + " '2026-05-02T10:00:00.25Z', '2026-05-02T10:01:00.123456Z', false, NULL, 7, 0,"
        + " 0.0100, NULL, NULL, NULL, E'=G\\r', NULL, 2, ARRAY['odd-1', 'odd-2'])");
    TimeRange may = new TimeRange(Instant.parse("2026-05-02T00:00:00Z"),
        Instant.parse("2026-05-03T00:00:00Z"));

    List<String> copied = exported(fixture.analytics, fixture.tenant(), may, CallFilter.NONE);

    assertThat(copied).isEqualTo(
        exported(atQueryTime, fixture.tenant(), may, CallFilter.NONE));
    assertThat(copied).singleElement().asString()
        .contains("tab\there\nline \\ \"q\" \u00e9")
        .contains("2026-05-02T10:00:00.250Z").contains("2026-05-02T10:01:00.123456Z")
        .contains("=G\r").contains("[odd-1, odd-2]");
    db.execute("DELETE FROM call WHERE id = 'odd-1'");
  }

  @Test
  void trunkPeakOfLongAndEmptyCalls() throws SQLException {
    db.execute("SELECT natalia_ensure_month_partition('call', DATE '2026-06-01')");
    String[][] calls = {
        {"long", "2026-06-01T08:00:00Z", "2026-06-06T08:00:00Z"},
        {"b", "2026-06-05T10:00:00Z", "2026-06-05T10:20:00Z"},
        {"c", "2026-06-05T10:20:00Z", "2026-06-05T10:30:00Z"},
        {"empty", "2026-06-05T10:05:00Z", "2026-06-05T10:05:00Z"},
        {"e", "2026-06-05T10:10:07Z", "2026-06-05T10:40:00Z"}};
    for (String[] call : calls) {
      db.execute("INSERT INTO call (tenant_id, id, pbx_id, direction, started_at, ended_at,"
          + " answered, ring_seconds, talk_seconds, trunk, leg_count, leg_ids) VALUES ("
          + fixture.tenant().id() + ", '" + call[0] + "', 'oxo', 'outgoing', '" + call[1]
          + "', '" + call[2] + "', true, 0, 60, 'X9', 1, ARRAY['" + call[0] + "'])");
    }
    try {
      assertThat(trunkX9("2026-06-05T00:00:00Z", "2026-06-06T00:00:00Z"))
          .isEqualTo("X9 calls=4 peak=3 at 2026-06-05T10:10:07Z");
      assertThat(trunkX9("2026-06-05T10:12:00Z", "2026-06-05T10:25:00Z"))
          .isEqualTo("X9 calls=1 peak=3 at 2026-06-05T10:12:00Z");
      assertThat(trunkX9("2026-06-05T10:05:00Z", "2026-06-05T10:06:00Z"))
          .isEqualTo("X9 calls=1 peak=2 at 2026-06-05T10:05:00Z");
      assertThat(trunkX9("2026-06-06T07:00:00Z", "2026-06-06T09:00:00Z"))
          .isEqualTo("X9 calls=0 peak=1 at 2026-06-06T07:00:00Z");
      assertThat(trunkX9("2026-06-06T08:00:00Z", "2026-06-06T09:00:00Z")).isEqualTo("none");
    } finally {
      db.execute("DELETE FROM call WHERE trunk = 'X9'");
    }
    assertThat(db.scalar("SELECT count(*) FROM trunk_rollup WHERE trunk = 'X9'")).isZero();
  }

  /** Returns trunk X9's row of the trunk table as text, once the reference agrees with it. */
  private static String trunkX9(String from, String to) {
    TimeRange range = new TimeRange(Instant.parse(from), Instant.parse(to));
    List<TrunkStats> trunks = fixture.analytics.byTrunk(fixture.tenant(), range);
    assertThat(trunks).as(from + "/" + to)
        .isEqualTo(atQueryTime.byTrunk(fixture.tenant(), range));
    return trunks.stream().filter(trunk -> trunk.trunk().equals("X9"))
        .map(trunk -> "X9 calls=" + trunk.calls() + " peak=" + trunk.peakConcurrency()
            + " at " + trunk.peakAt())
        .findFirst().orElse("none");
  }

  @Test
  void numberFilterKeepsCallsEndingWithTheDigits() throws SQLException {
    TimeRange weeks = TimeRange.ofDays(LocalDate.parse("2026-03-23"),
        LocalDate.parse("2026-04-03"), PARIS);
    for (String digits : List.of("0", "9", "42", "09", "909", "1234")) {
      CallFilter filter = new CallFilter(null, null, null, null, null, digits);

      long total = fixture.analytics.calls(fixture.tenant(), weeks, filter, 0, 10).total();

      assertThat(total).as(digits).isEqualTo(db.scalar("SELECT count(*) FROM call"
          + " WHERE tenant_id = " + fixture.tenant().id() + " AND started_at >= '"
          + weeks.from() + "' AND started_at < '" + weeks.to() + "'"
          + " AND right(number_last4, " + digits.length() + ") = '" + digits + "'"));
    }
    assertThat(db.scalar("SELECT count(*) FROM call WHERE right(number_last4, 1) = '9'"))
        .isPositive();
  }

  @Test
  void sumsKeptByTriggersEqualARebuild() throws SQLException {
    List<String> kept = snapshot();

    db.execute("SELECT natalia_call_rollup_rebuild(" + fixture.tenant().id() + "),"
        + " natalia_call_record_rollup_rebuild(" + fixture.tenant().id() + "),"
        + " natalia_trunk_rollup_rebuild(" + fixture.tenant().id() + ")");

    assertThat(snapshot()).isEqualTo(kept);
  }

  @Test
  void quarterHourBoundariesOfSeries() {
    List<Instant> quarters = List.of(Instant.parse("2026-03-24T07:12:34Z"),
        Instant.parse("2026-03-24T08:15:00Z"), Instant.parse("2026-03-24T09:45:00Z"));
    List<Instant> offQuarter = List.of(Instant.parse("2026-03-24T07:00:00Z"),
        Instant.parse("2026-03-24T08:09:21Z"));

    assertThat(Rollups.fit(quarters)).isTrue();
    assertThat(Rollups.fit(offQuarter)).isFalse();
  }

  @Test
  void updatingAFigureOfACallIsRejected() {
    for (String update : List.of("UPDATE call SET talk_seconds = talk_seconds + 1",
        "UPDATE call SET trunk = 'V09' WHERE trunk IS NOT NULL")) {
      org.assertj.core.api.Assertions.assertThatThrownBy(() -> db.execute(update))
          .isInstanceOf(SQLException.class)
          .hasMessageContaining("never updated");
    }
  }

  private static List<String> exported(Analytics analytics, Tenant tenant, TimeRange range,
      CallFilter filter) throws IOException {
    List<String> calls = new ArrayList<>();
    long count = analytics.forEachCall(tenant, range, filter,
        (call, pseudonym) -> calls.add(call + " " + pseudonym));
    assertThat(count).isEqualTo(calls.size());
    return calls;
  }

  private static Tenant in(Tenant tenant, String zone, Duration callbackWindow) {
    return new Tenant(tenant.id(), tenant.name(), ZoneId.of(zone), tenant.currency(),
        tenant.retentionDays(), callbackWindow);
  }

  /** Every row of the sums and every stored first return, as text, in a stable order. */
  static List<String> snapshot() throws SQLException {
    List<String> rows = new ArrayList<>();
    for (String table : List.of("call_rollup", "call_rollup_answer", "call_rollup_hunt_group",
        "call_rollup_hunt_group_answer", "call_record_rollup", "trunk_rollup")) {
      rows.addAll(texts("SELECT '" + table + "', t::text FROM " + table + " t ORDER BY t::text"));
    }
    rows.addAll(texts("SELECT id, first_return_at::text FROM call"
        + " WHERE direction = 'incoming' AND NOT answered ORDER BY id"));
    return rows;
  }

  private static List<String> texts(String sql) throws SQLException {
    try (Connection connection = db.dataSource().getConnection();
        PreparedStatement select = connection.prepareStatement(sql);
        ResultSet rows = select.executeQuery()) {
      List<String> texts = new ArrayList<>();
      while (rows.next()) {
        texts.add(rows.getString(1) + " " + rows.getString(2));
      }
      return texts;
    }
  }
}
