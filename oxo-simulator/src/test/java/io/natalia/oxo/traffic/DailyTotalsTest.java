package io.natalia.oxo.traffic;

import static io.natalia.oxo.traffic.TrafficFixtures.PARIS;
import static io.natalia.oxo.traffic.TrafficFixtures.parisMidnight;
import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;

class DailyTotalsTest {

  private static final LocalDate MONDAY = LocalDate.of(2026, 10, 19);

  private final TrafficGenerator generator = TrafficFixtures.generator(77);

  @Test
  void weekTotalsCoverEveryCallOnce() {
    Instant from = parisMidnight(MONDAY);
    Instant to = parisMidnight(MONDAY.plusWeeks(1));
    List<TruthCall> calls = generator.callsStarted(from, to);

    List<DailyTotals> days = DailyTotals.perDay(generator, from, to, PARIS);

    assertThat(days).extracting(DailyTotals::date)
        .containsExactlyElementsOf(MONDAY.datesUntil(MONDAY.plusWeeks(1)).toList());
    assertThat(days.stream().mapToInt(DailyTotals::calls).sum()).isEqualTo(calls.size());
    assertThat(days.stream().mapToLong(DailyTotals::talkSeconds).sum())
        .isEqualTo(calls.stream().mapToLong(TruthCall::talkSeconds).sum());
    assertThat(days.stream().map(DailyTotals::cost).reduce(BigDecimal.ZERO, BigDecimal::add))
        .isEqualByComparingTo(
            calls.stream().map(TruthCall::cost).reduce(BigDecimal.ZERO, BigDecimal::add));
  }

  @Test
  void eachDayAddsUpByDirection() {
    List<DailyTotals> days = DailyTotals.perDay(generator, parisMidnight(MONDAY),
        parisMidnight(MONDAY.plusWeeks(1)), PARIS);

    for (DailyTotals day : days) {
      assertThat(day.incomingAnswered() + day.missed() + day.outgoing() + day.internal())
          .as(day.date().toString()).isEqualTo(day.calls());
      assertThat(day.unreturnedMissed()).as(day.date().toString())
          .isBetween(0, day.missed());
    }
    DailyTotals tuesday = days.get(1);
    assertThat(tuesday.missed()).isPositive();
    assertThat(tuesday.unreturnedMissed()).isPositive().isLessThan(tuesday.missed());
    assertThat(tuesday.cost()).isPositive();
  }

  @Test
  void dayOf25HoursCountsRepeatedHour() {
    LocalDate fallBack = LocalDate.of(2026, 10, 25);
    TrafficGenerator busy = new TrafficGenerator(
        21, TrafficSettings.builder().extensions(300).callsPerDayScale(30).build());
    Instant from = parisMidnight(fallBack);
    Instant to = parisMidnight(fallBack.plusDays(1));

    List<DailyTotals> paris = DailyTotals.perDay(busy, from, to, PARIS);

    assertThat(paris).singleElement().extracting(DailyTotals::calls)
        .isEqualTo(busy.callsStarted(from, to).size());
    assertThat(Duration.between(from, to)).isEqualTo(Duration.ofHours(25));
  }

  @Test
  void otherZoneMovesCallsBetweenDays() {
    Instant from = parisMidnight(MONDAY);
    Instant to = parisMidnight(MONDAY.plusWeeks(1));
    ZoneId tokyo = ZoneId.of("Asia/Tokyo");

    List<DailyTotals> paris = DailyTotals.perDay(generator, from, to, PARIS);
    List<DailyTotals> inTokyo = DailyTotals.perDay(generator, from, to, tokyo);

    // Paris midnight is 07:00 or 08:00 in Tokyo, so the range touches eight Tokyo days.
    assertThat(inTokyo).hasSize(8);
    assertThat(inTokyo.stream().mapToInt(DailyTotals::calls).sum())
        .isEqualTo(paris.stream().mapToInt(DailyTotals::calls).sum());
    assertThat(inTokyo.get(1).calls()).isNotEqualTo(paris.get(1).calls());
  }

  @Test
  void rangeCutInsideDayCountsOnlyItsPart() {
    Instant from = MONDAY.atTime(12, 0).atZone(PARIS).toInstant();
    Instant to = MONDAY.atTime(14, 0).atZone(PARIS).toInstant();

    List<DailyTotals> days = DailyTotals.perDay(generator, from, to, PARIS);

    assertThat(days).singleElement().extracting(DailyTotals::calls)
        .isEqualTo(generator.callsStarted(from, to).size());
  }

  @Test
  void daysWithoutCallsAreListedWithZeros() {
    Instant from = Instant.parse("2026-01-01T00:00:00Z");
    Instant to = Instant.parse("2026-01-03T00:00:00Z");

    List<DailyTotals> days = DailyTotals.perDay(List.of(), from, to, ZoneOffset.UTC);

    assertThat(days).hasSize(2).allMatch(day -> day.calls() == 0
        && day.cost().compareTo(BigDecimal.ZERO) == 0 && day.talkSeconds() == 0);
  }
}
