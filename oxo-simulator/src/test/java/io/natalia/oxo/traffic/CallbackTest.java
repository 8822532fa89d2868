package io.natalia.oxo.traffic;

import static io.natalia.oxo.traffic.TrafficFixtures.byId;
import static io.natalia.oxo.traffic.TrafficFixtures.text;
import static io.natalia.oxo.traffic.TrafficFixtures.tickets;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Checks the ground truth's {@code calledBack} against a plain scan of every call by number:
 * a missed call is returned when, within 24 hours after it started, the number is dialled or
 * calls again and is answered.
 */
class CallbackTest {

  private static final Instant FROM = Instant.parse("2026-09-07T00:00:00Z");
  private static final Instant TO = Instant.parse("2026-09-21T00:00:00Z");

  private static List<TruthCall> calls;
  private static Map<String, List<TruthCall>> callsByNumber;

  @BeforeAll
  static void generateTwoWeeks() {
    // Follow-ups of the range's missed calls start up to a day after it.
    calls = TrafficFixtures.generator(404).callsStarted(FROM, TO.plus(Duration.ofDays(2)));
    callsByNumber = new HashMap<>();
    for (TruthCall call : calls) {
      if (call.externalNumber() != null) {
        callsByNumber.computeIfAbsent(call.externalNumber(), n -> new ArrayList<>()).add(call);
      }
    }
  }

  @Test
  void calledBackMatchesScanByNumber() {
    int returned = 0;
    int unreturned = 0;
    for (TruthCall call : missedInRange()) {
      boolean scanned = callsByNumber.get(call.externalNumber()).stream()
          .filter(other -> other.startedAt().isAfter(call.startedAt()))
          .filter(other -> !other.startedAt().isAfter(call.startedAt().plus(Duration.ofDays(1))))
          .anyMatch(other -> other.direction().equals("outgoing") || other.answered());

      assertThat(call.calledBack()).as(call.callId()).isEqualTo(scanned);
      returned += scanned ? 1 : 0;
      unreturned += scanned ? 0 : 1;
    }

    assertThat(returned).isGreaterThan(30);
    assertThat(unreturned).isGreaterThan(30);
  }

  @Test
  void onlyMissedCallsHaveCalledBack() {
    assertThat(calls).filteredOn(call -> call.answered() || !call.direction().equals("incoming"))
        .allMatch(call -> call.calledBack() == null);
  }

  @Test
  void returnsComeByCallbackAndByCallingAgain() {
    int byCallback = 0;
    int byCallingAgain = 0;
    int missedTwice = 0;
    for (TruthCall call : missedInRange()) {
      List<TruthCall> later = callsByNumber.get(call.externalNumber()).stream()
          .filter(other -> other.startedAt().isAfter(call.startedAt())).toList();
      byCallback += later.stream().anyMatch(c -> c.direction().equals("outgoing")) ? 1 : 0;
      byCallingAgain += later.stream().anyMatch(c -> c.answered()
          && c.direction().equals("incoming")) ? 1 : 0;
      missedTwice += later.stream().anyMatch(c -> !c.answered()
          && c.direction().equals("incoming")) ? 1 : 0;
    }

    assertThat(byCallback).isGreaterThan(20);
    assertThat(byCallingAgain).isGreaterThan(10);
    assertThat(missedTwice).isPositive();
  }

  @Test
  void unrelatedCallsNeverShareNumber() {
    for (List<TruthCall> sameNumber : callsByNumber.values()) {
      for (List<TruthCall> episode : episodes(sameNumber)) {
        TruthCall first = episode.get(0);
        if (first.direction().equals("outgoing")) {
          // A number first seen dialled is a destination or a premium service, never a caller.
          assertThat(episode).allMatch(call -> call.direction().equals("outgoing"));
        } else if (episode.size() > 1) {
          // Only a missed call makes a caller's number come back, within 22 hours.
          assertThat(first.answered()).as(first.callId()).isFalse();
          assertThat(episode.getLast().startedAt())
              .isBefore(first.startedAt().plus(Duration.ofHours(22)));
        }
      }
    }
  }

  /** Splits a number's calls, in start order, where three days pass without a call. */
  private static List<List<TruthCall>> episodes(List<TruthCall> sameNumber) {
    List<List<TruthCall>> episodes = new ArrayList<>();
    for (TruthCall call : sameNumber) {
      if (episodes.isEmpty() || call.startedAt().isAfter(
          episodes.getLast().getLast().startedAt().plus(Duration.ofDays(3)))) {
        episodes.add(new ArrayList<>());
      }
      episodes.getLast().add(call);
    }
    return episodes;
  }

  @Test
  void callbackTicketDialsNumberThatCalled() {
    TrafficGenerator generator = TrafficFixtures.generator(404);
    Instant day = Instant.parse("2026-09-08T00:00:00Z");
    Map<String, TruthCall> truth = byId(generator.callsStarted(day, day.plus(Duration.ofDays(3))));
    Map<String, String> ticketNumbers = new HashMap<>();
    for (GeneratedTicket ticket : tickets(generator, day, day.plus(Duration.ofDays(3)))) {
      String number = ticket.fields().has("callingNumber")
          ? text(ticket, "callingNumber") : text(ticket, "dialledNumber");
      ticketNumbers.put(ticket.callId(), number);
    }

    int checked = 0;
    for (TruthCall call : truth.values()) {
      if (ticketNumbers.containsKey(call.callId()) && call.externalNumber() != null) {
        assertThat(ticketNumbers.get(call.callId())).isEqualTo(call.externalNumber());
        checked++;
      }
    }
    assertThat(checked).isGreaterThan(500);
  }

  private static List<TruthCall> missedInRange() {
    return calls.stream()
        .filter(call -> call.startedAt().isBefore(TO))
        .filter(call -> call.direction().equals("incoming") && !call.answered())
        .toList();
  }
}
