package io.natalia.oxo.traffic;

import static io.natalia.oxo.traffic.TrafficFixtures.PARIS;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.LocalDate;
import org.junit.jupiter.api.Test;

/**
 * The bounds that let a range be generated from a few days: calls of an origin day start
 * before the end of the next day and write their tickets before the end of the day after.
 */
class LookbackTest {

  @Test
  void originDayCallsStayWithinLookback() {
    TrafficGenerator generator = new TrafficGenerator(
        17, TrafficSettings.builder().extensions(300).callsPerDayScale(5).build());
    long followUps = 0;

    for (LocalDate day = LocalDate.of(2026, 3, 23); day.isBefore(LocalDate.of(2026, 4, 6));
        day = day.plusDays(1)) {
      long dayStart = day.atStartOfDay(PARIS).toEpochSecond();
      long startLimit = day.plusDays(2).atStartOfDay(PARIS).toEpochSecond();
      long writeLimit = day.plusDays(TrafficGenerator.LOOKBACK_DAYS + 1)
          .atStartOfDay(PARIS).toEpochSecond();
      for (SimulatedCall call : generator.callsOfDay(day)) {
        assertThat(call.startEpochSecond).as(call.id).isBetween(dayStart, startLimit - 1);
        for (SimulatedLeg leg : call.legs) {
          assertThat(leg.writtenEpochSecond()).as(call.id).isLessThan(writeLimit);
        }
        followUps += call.startEpochSecond >= day.plusDays(1).atStartOfDay(PARIS)
            .toEpochSecond() ? 1 : 0;
      }
    }

    assertThat(followUps).isPositive();
  }

  @Test
  void longRangeKeepsFewDaysInMemory() {
    TicketIterator tickets = (TicketIterator) TrafficFixtures.generator(3).ticketsWritten(
        Instant.parse("2026-01-01T00:00:00Z"), Instant.parse("2027-01-01T00:00:00Z"));
    int count = 0;
    int maxPending = 0;

    while (tickets.hasNext()) {
      tickets.next();
      count++;
      maxPending = Math.max(maxPending, tickets.pendingTickets());
    }

    // About 330 tickets a weekday, so three busy days in the queue stay under 1 500.
    assertThat(count).isGreaterThan(70_000);
    assertThat(maxPending).isLessThan(1_500);
  }
}
