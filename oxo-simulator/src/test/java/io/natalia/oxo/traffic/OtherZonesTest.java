package io.natalia.oxo.traffic;

import static io.natalia.oxo.traffic.TrafficFixtures.byId;
import static io.natalia.oxo.traffic.TrafficFixtures.localStart;
import static io.natalia.oxo.traffic.TrafficFixtures.tickets;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Zones with other clock changes: New York (DST on another date), Lord Howe Island (a 30-minute
 * change, so 23.5-hour and 24.5-hour days), Kolkata (a half-hour offset without DST) and
 * Santiago (its spring change skips midnight itself).
 */
class OtherZonesTest {

  @ParameterizedTest
  @CsvSource({
    "America/New_York, 2026-03-08, 23.0",
    "America/New_York, 2026-11-01, 25.0",
    "Australia/Lord_Howe, 2026-04-05, 24.5",
    "Australia/Lord_Howe, 2026-10-04, 23.5",
    "Asia/Kolkata, 2026-03-29, 24.0",
    "America/Santiago, 2026-09-06, 23.0",
  })
  void dayLengthFollowsZone(ZoneId zone, LocalDate date, double hours) {
    DayShape shape = new DayShape(date, zone);

    assertThat((shape.endEpochSecond() - shape.startEpochSecond()) / 3600.0).isEqualTo(hours);
  }

  @ParameterizedTest
  @CsvSource({
    "America/New_York, 2026-03-08",
    "America/New_York, 2026-11-01",
    "Australia/Lord_Howe, 2026-04-05",
    "Australia/Lord_Howe, 2026-10-04",
    "Asia/Kolkata, 2026-03-29",
    "America/Santiago, 2026-09-06",
  })
  void ticketsShowLocalTimeAndHoursPartition(ZoneId zone, LocalDate date) {
    TrafficGenerator generator = new TrafficGenerator(
        5, TrafficSettings.builder().zone(zone).callsPerDayScale(4).build());
    Instant from = date.atStartOfDay(zone).toInstant();
    Instant to = date.plusDays(1).atStartOfDay(zone).toInstant();
    List<GeneratedTicket> whole = tickets(generator, from, to);
    Map<String, TruthCall> truth = byId(generator.callsStarted(from.minus(Duration.ofDays(3)), to));

    List<GeneratedTicket> hourly = new ArrayList<>();
    for (Instant hour = from; hour.isBefore(to); hour = hour.plus(Duration.ofHours(1))) {
      Instant next = hour.plus(Duration.ofHours(1));
      hourly.addAll(tickets(generator, hour, next.isAfter(to) ? to : next));
    }

    assertThat(whole).isNotEmpty();
    assertThat(hourly).isEqualTo(whole);
    for (GeneratedTicket ticket : whole) {
      TruthCall.Leg leg = truth.get(ticket.callId()).legs().get(ticket.legIndex());
      assertThat(localStart(ticket)).as(ticket.callId())
          .isEqualTo(LocalDateTime.ofInstant(leg.startedAt(), zone));
    }
  }
}
