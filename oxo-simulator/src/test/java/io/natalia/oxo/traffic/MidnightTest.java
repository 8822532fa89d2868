package io.natalia.oxo.traffic;

import static io.natalia.oxo.traffic.TrafficFixtures.PARIS;
import static io.natalia.oxo.traffic.TrafficFixtures.parisMidnight;
import static io.natalia.oxo.traffic.TrafficFixtures.tickets;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Calls that end, or follow-ups that start, on the local day after their origin day. */
class MidnightTest {

  private static final LocalDate TUESDAY = LocalDate.of(2026, 6, 9);
  private static final TrafficGenerator LARGE = new TrafficGenerator(
      8, TrafficSettings.builder().extensions(300).callsPerDayScale(5).build());

  /** Busy enough that a few calls start shortly before midnight and outlast it. */
  private static final TrafficGenerator BUSY = new TrafficGenerator(
      8, TrafficSettings.builder().extensions(300).callsPerDayScale(30).build());

  @Test
  void callEndingAfterMidnightWritesTicketNextDay() {
    Instant midnight = parisMidnight(TUESDAY.plusDays(1));
    List<TruthCall> crossing = BUSY.callsStarted(parisMidnight(TUESDAY), midnight).stream()
        .filter(call -> lastWrite(call).isAfter(midnight))
        .toList();
    List<GeneratedTicket> sameDay = tickets(BUSY, parisMidnight(TUESDAY), midnight);
    List<GeneratedTicket> nextDay = tickets(BUSY, midnight, parisMidnight(TUESDAY.plusDays(2)));

    assertThat(crossing).isNotEmpty();
    for (TruthCall call : crossing) {
      assertThat(nextDay).as(call.callId()).anyMatch(ticket -> ticket.callId()
          .equals(call.callId()) && ticket.legIndex() == call.legs().size() - 1);
      assertThat(sameDay).as(call.callId()).noneMatch(ticket -> ticket.callId()
          .equals(call.callId()) && ticket.legIndex() == call.legs().size() - 1);
    }
  }

  @Test
  void nextMorningCallbackKeepsOriginDayId() {
    String tuesdayId = TUESDAY.format(DateTimeFormatter.BASIC_ISO_DATE) + "-";
    List<TruthCall> wednesday = LARGE.callsStarted(
        parisMidnight(TUESDAY.plusDays(1)), parisMidnight(TUESDAY.plusDays(2)));
    List<TruthCall> tuesdayMissed = LARGE.callsStarted(
        parisMidnight(TUESDAY), parisMidnight(TUESDAY.plusDays(1))).stream()
        .filter(call -> Boolean.TRUE.equals(call.calledBack()))
        .toList();

    List<TruthCall> followUps = wednesday.stream()
        .filter(call -> call.callId().startsWith(tuesdayId))
        .toList();

    assertThat(followUps).isNotEmpty();
    for (TruthCall followUp : followUps) {
      assertThat(tuesdayMissed).as(followUp.callId())
          .anyMatch(missed -> missed.externalNumber().equals(followUp.externalNumber()));
      assertThat(followUp.startedAt().atZone(PARIS).getHour()).isBetween(8, 18);
    }
  }

  private static Instant lastWrite(TruthCall call) {
    TruthCall.Leg last = call.legs().getLast();
    return last.startedAt().plusSeconds(last.ringSeconds() + last.talkSeconds());
  }
}
