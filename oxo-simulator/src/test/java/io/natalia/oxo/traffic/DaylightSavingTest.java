package io.natalia.oxo.traffic;

import static io.natalia.oxo.traffic.TrafficFixtures.PARIS;
import static io.natalia.oxo.traffic.TrafficFixtures.byId;
import static io.natalia.oxo.traffic.TrafficFixtures.localStart;
import static io.natalia.oxo.traffic.TrafficFixtures.parisMidnight;
import static io.natalia.oxo.traffic.TrafficFixtures.tickets;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.offset;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Europe/Paris skips 02:00 to 03:00 on 29 March 2026 (a 23-hour day) and repeats 02:00 to
 * 03:00 on 25 October 2026 (a 25-hour day).
 */
class DaylightSavingTest {

  private static final LocalDate SPRING_FORWARD = LocalDate.of(2026, 3, 29);
  private static final LocalDate FALL_BACK = LocalDate.of(2026, 10, 25);

  /** A busy company, so that the small night share still yields calls around 02:00. */
  private static final TrafficGenerator BUSY = new TrafficGenerator(
      21, TrafficSettings.builder().extensions(300).callsPerDayScale(30).build());

  @ParameterizedTest
  @CsvSource({"2026-03-29, 23", "2026-10-25, 25", "2026-10-26, 24"})
  void dayShapeFollowsLocalClock(LocalDate date, int hours) {
    DayShape shape = new DayShape(date, PARIS);

    assertThat(shape.endEpochSecond() - shape.startEpochSecond()).isEqualTo(hours * 3600L);
  }

  @Test
  void changedNightHourMovesVolumeSlightly() {
    double sunday = 0.04;

    assertThat(new DayShape(SPRING_FORWARD, PARIS).volumeFactor() / sunday)
        .isBetween(0.998, 0.9999);
    assertThat(new DayShape(FALL_BACK, PARIS).volumeFactor() / sunday)
        .isBetween(1.0001, 1.002);
    assertThat(new DayShape(FALL_BACK.plusDays(7), PARIS).volumeFactor() / sunday)
        .isCloseTo(1.0, offset(1e-9));
  }

  @ParameterizedTest
  @CsvSource({"2026-03-29", "2026-10-25"})
  void ticketStartTimeIsLocalClockOfCallStart(LocalDate date) {
    Instant from = parisMidnight(date);
    Instant to = parisMidnight(date.plusDays(1));
    Map<String, TruthCall> truth = byId(BUSY.callsStarted(from.minus(Duration.ofDays(1)), to));

    List<GeneratedTicket> tickets = tickets(BUSY, from, to);

    assertThat(tickets).hasSizeGreaterThan(1_000);
    for (GeneratedTicket ticket : tickets) {
      TruthCall.Leg leg = truth.get(ticket.callId()).legs().get(ticket.legIndex());
      assertThat(localStart(ticket))
          .as("startTime of %s", ticket.callId())
          .isEqualTo(LocalDateTime.ofInstant(leg.startedAt(), PARIS));
    }
  }

  @Test
  void skippedHourHasNoCallsOn23HourDay() {
    List<TruthCall> calls =
        BUSY.callsStarted(parisMidnight(SPRING_FORWARD), parisMidnight(SPRING_FORWARD.plusDays(1)));

    assertThat(calls).extracting(call -> LocalDateTime.ofInstant(call.startedAt(), PARIS))
        .noneMatch(local -> local.toLocalDate().equals(SPRING_FORWARD) && local.getHour() == 2);
    assertThat(calls).extracting(call -> LocalDateTime.ofInstant(call.startedAt(), PARIS))
        .anyMatch(local -> local.getHour() == 3);
  }

  @Test
  void repeatedHourHasCallsTwiceOn25HourDay() {
    List<TruthCall> calls =
        BUSY.callsStarted(parisMidnight(FALL_BACK), parisMidnight(FALL_BACK.plusDays(1)));

    List<Integer> offsetsAtTwo = new ArrayList<>();
    for (TruthCall call : calls) {
      if (LocalDateTime.ofInstant(call.startedAt(), PARIS).getHour() == 2) {
        offsetsAtTwo.add(PARIS.getRules().getOffset(call.startedAt()).getTotalSeconds());
      }
    }

    assertThat(offsetsAtTwo).contains(ZoneOffset.ofHours(2).getTotalSeconds());
    assertThat(offsetsAtTwo).contains(ZoneOffset.ofHours(1).getTotalSeconds());
  }

  @ParameterizedTest
  @CsvSource({"2026-03-29", "2026-10-25"})
  void hourlyRangesAcrossChangeLoseAndDoubleNothing(LocalDate date) {
    Instant from = parisMidnight(date);
    Instant to = date.atTime(6, 0).atZone(PARIS).toInstant();
    List<TruthCall> whole = BUSY.callsStarted(from, to);
    List<GeneratedTicket> wholeTickets = tickets(BUSY, from, to);

    List<TruthCall> hourly = new ArrayList<>();
    List<GeneratedTicket> hourlyTickets = new ArrayList<>();
    for (Instant hour = from; hour.isBefore(to); hour = hour.plus(Duration.ofHours(1))) {
      hourly.addAll(BUSY.callsStarted(hour, hour.plus(Duration.ofHours(1))));
      hourlyTickets.addAll(tickets(BUSY, hour, hour.plus(Duration.ofHours(1))));
    }

    assertThat(whole).hasSizeGreaterThan(10);
    assertThat(hourly).isEqualTo(whole);
    assertThat(hourlyTickets).isEqualTo(wholeTickets);
  }

  @ParameterizedTest
  @CsvSource({"2026-03-29", "2026-10-25"})
  void localDaysPartitionCalls(LocalDate date) {
    List<TruthCall> threeDays =
        BUSY.callsStarted(parisMidnight(date.minusDays(1)), parisMidnight(date.plusDays(2)));

    int sum = 0;
    for (int day = -1; day <= 1; day++) {
      LocalDate local = date.plusDays(day);
      sum += BUSY.callsStarted(parisMidnight(local), parisMidnight(local.plusDays(1))).size();
    }

    assertThat(sum).isEqualTo(threeDays.size());
  }
}
