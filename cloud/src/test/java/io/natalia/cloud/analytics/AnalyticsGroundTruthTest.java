package io.natalia.cloud.analytics;

import static org.assertj.core.api.Assertions.assertThat;

import io.natalia.cloud.store.TestDatabase;
import io.natalia.oxo.traffic.DailyTotals;
import io.natalia.oxo.traffic.TrafficGenerator;
import io.natalia.oxo.traffic.TrafficSettings;
import io.natalia.oxo.traffic.TruthCall;
import java.math.BigDecimal;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Compares every figure of the query layer with the OXO simulator's ground truth, over weeks
 * of generated traffic in Europe/Paris loaded through the real ingest and stitching: three
 * weeks around the change to summer time (a 23-hour day) and two around the change back (a
 * 25-hour day), with transfers, hunt groups and callbacks. The truth comes from the
 * generator's model of each call, never from its tickets.
 */
class AnalyticsGroundTruthTest {
  private static final ZoneId PARIS = ZoneId.of("Europe/Paris");
  private static final TrafficGenerator GENERATOR =
      new TrafficGenerator(20260329L, TrafficSettings.builder().zone(PARIS).build());

  @RegisterExtension static final TestDatabase db = new TestDatabase();
  private static AnalyticsFixture fixture;

  static Stream<Arguments> ranges() {
    return Stream.of(
        Arguments.of("spring", LocalDate.parse("2026-03-16"), LocalDate.parse("2026-04-06")),
        Arguments.of("autumn", LocalDate.parse("2026-10-19"), LocalDate.parse("2026-11-02")));
  }

  @BeforeAll
  static void loadGeneratedTraffic() throws SQLException {
    fixture = new AnalyticsFixture(db.dataSource(), "Truth", PARIS,
        Instant.parse("2026-12-01T00:00:00Z"));
    for (Arguments range : ranges().toList()) {
      TimeRange days = days(range);
      // Whole calls that started before the range, and the callbacks after it, are loaded too.
      fixture.loader.load(GENERATOR.ticketsWritten(days.from().minus(Duration.ofDays(3)),
          days.to().plus(Duration.ofDays(3))));
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("ranges")
  void rangeHasTheDstDayAndTransfersAndHuntGroups(String name, LocalDate first,
      LocalDate end) {
    TimeRange range = days(Arguments.of(name, first, end));
    List<TruthCall> truth = GENERATOR.callsStarted(range.from(), range.to());

    long dayLengths = Bucket.DAY.starts(range, PARIS).size();
    assertThat(Duration.between(range.from(), range.to()).toHours())
        .isNotEqualTo(dayLengths * 24);
    assertThat(truth).anyMatch(call -> call.legs().size() > 1);
    assertThat(truth).anyMatch(call -> call.initialTarget().startsWith("G"));
    assertThat(truth).anyMatch(call -> Boolean.TRUE.equals(call.calledBack()));
    assertThat(truth).anyMatch(call -> Boolean.FALSE.equals(call.calledBack()));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("ranges")
  void everyDayMatchesTheGroundTruth(String name, LocalDate first, LocalDate end) {
    TimeRange range = TimeRange.ofDays(first, end, PARIS);

    List<SeriesPoint> days =
        fixture.analytics.timeSeries(fixture.tenant, range, CallFilter.NONE, Bucket.DAY);

    List<DailyTotals> truth = DailyTotals.perDay(GENERATOR, range.from(), range.to(), PARIS);
    assertThat(days).hasSameSizeAs(truth);
    for (int i = 0; i < days.size(); i++) {
      SeriesPoint day = days.get(i);
      DailyTotals expected = truth.get(i);
      assertThat(day.localStart().toLocalDate()).isEqualTo(expected.date());
      assertThat(List.of(day.calls(), day.answered(), day.missed(), day.unreturnedMissed(),
          day.outgoing(), day.internal(), day.talkSeconds()))
          .as("calls, answered, missed, unreturned, outgoing, internal, talk on %s",
              expected.date())
          .containsExactly((long) expected.calls(), (long) expected.incomingAnswered(),
              (long) expected.missed(), (long) expected.unreturnedMissed(),
              (long) expected.outgoing(), (long) expected.internal(), expected.talkSeconds());
      assertThat(day.cost()).as("cost on %s", expected.date()).isEqualByComparingTo(
          expected.cost());
      assertThat(day.incoming()).isEqualTo(day.answered() + day.missed());
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("ranges")
  void dstDaysLast23And25Hours(String name, LocalDate first, LocalDate end) {
    TimeRange range = TimeRange.ofDays(first, end, PARIS);

    List<SeriesPoint> days =
        fixture.analytics.timeSeries(fixture.tenant, range, CallFilter.NONE, Bucket.DAY);
    List<SeriesPoint> hours =
        fixture.analytics.timeSeries(fixture.tenant, range, CallFilter.NONE, Bucket.HOUR);

    long expectedHour = "spring".equals(name) ? 23 : 25;
    assertThat(days).anyMatch(
        day -> Duration.between(day.start(), day.end()).toHours() == expectedHour);
    assertThat(hours).hasSize((int) Duration.between(range.from(), range.to()).toHours());
    assertThat(hours.stream().mapToLong(SeriesPoint::calls).sum())
        .isEqualTo(days.stream().mapToLong(SeriesPoint::calls).sum());
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("ranges")
  void summaryMatchesTheGroundTruth(String name, LocalDate first, LocalDate end) {
    TimeRange range = TimeRange.ofDays(first, end, PARIS);
    List<TruthCall> truth = GENERATOR.callsStarted(range.from(), range.to());

    Summary summary = fixture.analytics.summary(fixture.tenant, range, CallFilter.NONE);

    List<Integer> answerTimes = truth.stream()
        .filter(call -> call.direction().equals("incoming") && call.answered())
        .map(TruthCall::ringSeconds).sorted().toList();
    assertThat(summary.calls()).isEqualTo(truth.size());
    assertThat(summary.tickets())
        .isEqualTo(truth.stream().mapToLong(call -> call.legs().size()).sum());
    assertThat(summary.answered()).isEqualTo(answerTimes.size());
    assertThat(summary.avgTimeToAnswerSeconds()).isCloseTo(
        answerTimes.stream().mapToInt(Integer::intValue).average().orElseThrow(),
        org.assertj.core.data.Offset.offset(1e-9));
    assertThat(summary.p90TimeToAnswerSeconds())
        .isEqualTo(answerTimes.get((int) Math.ceil(0.9 * answerTimes.size()) - 1));
    List<Integer> talks = truth.stream().filter(TruthCall::answered)
        .map(TruthCall::talkSeconds).toList();
    assertThat(summary.avgTalkSeconds()).isCloseTo(
        talks.stream().mapToInt(Integer::intValue).average().orElseThrow(),
        org.assertj.core.data.Offset.offset(1e-9));
    assertThat(summary.cost()).isEqualByComparingTo(
        truth.stream().map(TruthCall::cost).reduce(BigDecimal.ZERO, BigDecimal::add));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("ranges")
  void costsOfEveryGroupingAddUpToTheGroundTruth(String name, LocalDate first, LocalDate end) {
    TimeRange range = TimeRange.ofDays(first, end, PARIS);
    BigDecimal truth = GENERATOR.callsStarted(range.from(), range.to()).stream()
        .map(TruthCall::cost).reduce(BigDecimal.ZERO, BigDecimal::add);

    for (CostBy by : CostBy.values()) {
      List<CostLine> lines = fixture.analytics.costs(fixture.tenant, range, by);

      // Tickets count by their own start; no generated call crosses midnight, so the ranges'
      // tickets are exactly their calls' legs.
      assertThat(lines.stream().map(CostLine::cost).reduce(BigDecimal.ZERO, BigDecimal::add))
          .as(by.name()).isEqualByComparingTo(truth);
    }
    assertThat(fixture.analytics.costs(fixture.tenant, range, CostBy.DESTINATION_TYPE))
        .extracting(CostLine::key).contains("mobile", "international", "special");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("ranges")
  void huntGroupsMatchTheGroundTruth(String name, LocalDate first, LocalDate end) {
    TimeRange range = TimeRange.ofDays(first, end, PARIS);
    List<TruthCall> truth = GENERATOR.callsStarted(range.from(), range.to());

    List<HuntGroupStats> groups = fixture.analytics.byHuntGroup(fixture.tenant, range);

    Map<String, List<TruthCall>> byGroup = truth.stream()
        .filter(call -> call.direction().equals("incoming")
            && call.initialTarget().matches("G[0-9]+"))
        .collect(Collectors.groupingBy(TruthCall::initialTarget, TreeMap::new,
            Collectors.toList()));
    assertThat(groups).extracting(HuntGroupStats::huntGroup)
        .containsExactlyElementsOf(byGroup.keySet());
    for (HuntGroupStats group : groups) {
      List<TruthCall> calls = byGroup.get(group.huntGroup());
      long answered = calls.stream().filter(TruthCall::answered).count();
      assertThat(List.of(group.offered(), group.answered(), group.missed()))
          .as(group.huntGroup())
          .containsExactly((long) calls.size(), answered, calls.size() - answered);
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("ranges")
  void trunksAndPeakConcurrencyMatchTheGroundTruth(String name, LocalDate first,
      LocalDate end) {
    TimeRange range = TimeRange.ofDays(first, end, PARIS);
    List<TruthCall> around = GENERATOR.callsStarted(range.from().minus(Duration.ofDays(2)),
        range.to());

    List<TrunkStats> trunks = fixture.analytics.byTrunk(fixture.tenant, range);

    Map<String, List<TruthCall>> byTrunk = around.stream()
        .filter(call -> call.trunk() != null && call.startedAt().isBefore(range.to())
            && end(call).isAfter(range.from()))
        .collect(Collectors.groupingBy(TruthCall::trunk, TreeMap::new, Collectors.toList()));
    assertThat(trunks).extracting(TrunkStats::trunk)
        .containsExactlyElementsOf(byTrunk.keySet());
    for (TrunkStats trunk : trunks) {
      List<TruthCall> calls = byTrunk.get(trunk.trunk());
      long started = calls.stream().filter(call -> range.contains(call.startedAt())).count();
      assertThat(trunk.calls()).as(trunk.trunk()).isEqualTo(started);
      assertThat(trunk.peakConcurrency()).as(trunk.trunk()).isEqualTo(peak(calls, range));
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("ranges")
  void missedListMarksReturnsLikeTheGroundTruth(String name, LocalDate first, LocalDate end) {
    TimeRange range = TimeRange.ofDays(first, end, PARIS);
    List<TruthCall> truth = GENERATOR.callsStarted(range.from(), range.to());

    List<MissedCall> missed = new ArrayList<>();
    for (int page = 0; ; page++) {
      List<MissedCall> batch = fixture.analytics.missed(fixture.tenant, range,
          CallFilter.NONE, false, page, Analytics.MAX_PAGE_SIZE);
      missed.addAll(batch);
      if (batch.size() < Analytics.MAX_PAGE_SIZE) {
        break;
      }
    }

    long truthReturned = truth.stream()
        .filter(call -> Boolean.TRUE.equals(call.calledBack())).count();
    long truthMissed = truth.stream()
        .filter(call -> call.direction().equals("incoming") && !call.answered()).count();
    assertThat(missed).hasSize((int) truthMissed);
    assertThat(missed.stream().filter(MissedCall::returned).count()).isEqualTo(truthReturned);
    int firstReturned = 0;
    while (firstReturned < missed.size() && !missed.get(firstReturned).returned()) {
      firstReturned++;
    }
    assertThat(missed.subList(firstReturned, missed.size())).allMatch(MissedCall::returned);
    assertThat(missed).filteredOn(MissedCall::returned).allSatisfy(call -> {
      assertThat(call.returnedAt()).isAfter(call.call().startedAt());
      assertThat(call.returnedAt()).isBeforeOrEqualTo(call.callbackDeadline());
    });
  }

  /** Returns the maximum of calls in progress at once in the range, sweeping starts and ends. */
  private static int peak(List<TruthCall> calls, TimeRange range) {
    record Event(Instant at, int delta) {}
    List<Event> events = new ArrayList<>();
    for (TruthCall call : calls) {
      events.add(new Event(call.startedAt(), 1));
      events.add(new Event(end(call), -1));
    }
    events.sort(Comparator.comparing(Event::at).thenComparingInt(Event::delta));
    int level = 0;
    int peak = 0;
    for (Event event : events) {
      level += event.delta();
      if (event.at().isBefore(range.to())) {
        peak = Math.max(peak, level);
      }
    }
    return peak;
  }

  private static Instant end(TruthCall call) {
    return call.legs().stream()
        .map(leg -> leg.startedAt().plusSeconds(leg.ringSeconds() + leg.talkSeconds()))
        .max(Comparator.naturalOrder()).orElseThrow();
  }

  private static TimeRange days(Arguments range) {
    Object[] values = range.get();
    return TimeRange.ofDays((LocalDate) values[1], (LocalDate) values[2], PARIS);
  }
}
