package io.natalia.oxo.traffic;

import static io.natalia.oxo.traffic.TrafficFixtures.PARIS;
import static io.natalia.oxo.traffic.TrafficFixtures.generator;
import static io.natalia.oxo.traffic.TrafficFixtures.parisMidnight;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.DayOfWeek;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class TrafficShapeTest {

  /** Eight whole weeks, Monday 2026-06-01 to Sunday 2026-07-26. */
  private static final LocalDate FIRST_MONDAY = LocalDate.of(2026, 6, 1);
  private static final int WEEKS = 8;

  private static List<TruthCall> calls;

  @BeforeAll
  static void generateEightWeeks() {
    calls = generator(99).callsStarted(
        parisMidnight(FIRST_MONDAY), parisMidnight(FIRST_MONDAY.plusWeeks(WEEKS)));
  }

  @Test
  void weekendsAreQuiet() {
    Map<DayOfWeek, Integer> perDay = countPerWeekday();

    int weekdayMean = (perDay.get(DayOfWeek.MONDAY) + perDay.get(DayOfWeek.TUESDAY)
        + perDay.get(DayOfWeek.WEDNESDAY) + perDay.get(DayOfWeek.THURSDAY)) / 4;
    assertThat(perDay.get(DayOfWeek.SATURDAY)).isLessThan(weekdayMean / 5);
    assertThat(perDay.get(DayOfWeek.SUNDAY)).isLessThan(perDay.get(DayOfWeek.SATURDAY));
  }

  @Test
  void fridayIsLighterThanTuesday() {
    Map<DayOfWeek, Integer> perDay = countPerWeekday();

    assertThat(perDay.get(DayOfWeek.FRIDAY)).isLessThan(perDay.get(DayOfWeek.TUESDAY));
  }

  @Test
  void weekdayVolumeMatchesScale() {
    Map<DayOfWeek, Integer> perDay = countPerWeekday();

    // 40 extensions, 7 calls each, on a Wednesday; follow-ups of missed calls add some.
    assertThat(perDay.get(DayOfWeek.WEDNESDAY) / WEEKS).isBetween(250, 360);
  }

  @Test
  void lunchHoursDipBelowMorning() {
    int[] perHour = countPerLocalHour();

    int morning = perHour[10] + perHour[11];
    int lunch = perHour[12] + perHour[13];
    assertThat(lunch).isLessThan(morning * 6 / 10);
    assertThat(perHour[14] + perHour[15]).isGreaterThan(lunch * 3 / 2);
  }

  @Test
  void nightsAreNearlySilent() {
    int[] perHour = countPerLocalHour();

    int night = 0;
    for (int hour = 0; hour < 6; hour++) {
      night += perHour[hour];
    }
    assertThat(night).isPositive().isLessThan(calls.size() / 50);
  }

  private static Map<DayOfWeek, Integer> countPerWeekday() {
    Map<DayOfWeek, Integer> perDay = new EnumMap<>(DayOfWeek.class);
    for (DayOfWeek day : DayOfWeek.values()) {
      perDay.put(day, 0);
    }
    for (TruthCall call : calls) {
      perDay.merge(LocalDateTime.ofInstant(call.startedAt(), PARIS).getDayOfWeek(), 1,
          Integer::sum);
    }
    return perDay;
  }

  private static int[] countPerLocalHour() {
    int[] perHour = new int[24];
    for (TruthCall call : calls) {
      LocalDateTime local = LocalDateTime.ofInstant(call.startedAt(), PARIS);
      if (!DayShape.isWeekend(local.getDayOfWeek())) {
        perHour[local.getHour()]++;
      }
    }
    return perHour;
  }
}
