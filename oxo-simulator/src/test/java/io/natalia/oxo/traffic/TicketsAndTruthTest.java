package io.natalia.oxo.traffic;

import static io.natalia.oxo.traffic.TrafficFixtures.PARIS;
import static io.natalia.oxo.traffic.TrafficFixtures.byId;
import static io.natalia.oxo.traffic.TrafficFixtures.localStart;
import static io.natalia.oxo.traffic.TrafficFixtures.seconds;
import static io.natalia.oxo.traffic.TrafficFixtures.text;
import static io.natalia.oxo.traffic.TrafficFixtures.tickets;
import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Checks the tickets of two weeks against the ground truth, call by call and leg by leg. */
class TicketsAndTruthTest {

  private static final Instant FROM = Instant.parse("2026-06-08T00:00:00Z");
  private static final Instant TO = Instant.parse("2026-06-22T00:00:00Z");

  private static TrafficGenerator generator;
  private static List<GeneratedTicket> tickets;
  private static Map<String, TruthCall> truth;
  private static Map<String, List<GeneratedTicket>> ticketsByCall;

  @BeforeAll
  static void generateTwoWeeks() {
    generator = TrafficFixtures.generator(2026);
    tickets = tickets(generator, FROM, TO);
    // Calls that started up to three days before the range may still write tickets in it.
    truth = byId(generator.callsStarted(FROM.minus(Duration.ofDays(3)), TO));
    ticketsByCall = new HashMap<>();
    for (GeneratedTicket ticket : tickets) {
      ticketsByCall.computeIfAbsent(ticket.callId(), id -> new ArrayList<>()).add(ticket);
    }
  }

  @Test
  void ticketsAreOrderedByWriteTime() {
    Comparator<GeneratedTicket> writeOrder = Comparator.comparing(GeneratedTicket::writtenAt)
        .thenComparing(GeneratedTicket::callId)
        .thenComparingInt(GeneratedTicket::legIndex);

    assertThat(tickets).isSortedAccordingTo(writeOrder);
    assertThat(tickets).allMatch(t -> !t.writtenAt().isBefore(FROM) && t.writtenAt().isBefore(TO));
  }

  @Test
  void everyTicketMatchesItsTruthLeg() {
    for (GeneratedTicket ticket : tickets) {
      TruthCall call = truth.get(ticket.callId());
      TruthCall.Leg leg = call.legs().get(ticket.legIndex());
      String id = ticket.callId() + "/" + ticket.legIndex();

      assertThat(text(ticket, "type")).as(id).isEqualTo(call.direction());
      assertThat(text(ticket, "chargedUser")).as(id).isEqualTo(leg.extension());
      assertThat(localStart(ticket)).as(id)
          .isEqualTo(LocalDateTime.ofInstant(leg.startedAt(), PARIS));
      assertThat(seconds(ticket, "ringDuration")).as(id).isEqualTo(leg.ringSeconds());
      assertThat(seconds(ticket, "duration")).as(id).isEqualTo(leg.talkSeconds());
      assertThat(ticket.fields().get("answered").asBoolean()).as(id).isEqualTo(leg.answered());
      assertThat(ticket.writtenAt()).as(id).isEqualTo(
          leg.startedAt().plusSeconds(leg.ringSeconds() + leg.talkSeconds()));
      assertThat(text(ticket, "line")).as(id).isEqualTo(call.trunk());
      assertThat(ticket.fields().has("ticketId")).as(id).isFalse();
    }
  }

  @Test
  void callsWhollyInsideRangeHaveOneTicketPerLeg() {
    for (TruthCall call : truth.values()) {
      Instant lastWrite = call.legs().get(call.legs().size() - 1).startedAt().plusSeconds(
          call.legs().getLast().ringSeconds() + call.legs().getLast().talkSeconds());
      if (call.startedAt().isBefore(FROM) || !lastWrite.isBefore(TO)) {
        continue;
      }
      List<GeneratedTicket> callTickets = ticketsByCall.get(call.callId());

      assertThat(callTickets).as(call.callId()).hasSameSizeAs(call.legs());
      assertThat(callTickets).extracting(GeneratedTicket::legIndex)
          .as(call.callId()).isSorted();
    }
  }

  @Test
  void truthTotalsAddUpItsLegs() {
    for (TruthCall call : truth.values()) {
      int talk = call.legs().stream().mapToInt(TruthCall.Leg::talkSeconds).sum();
      boolean anyAnswered = call.legs().stream().anyMatch(TruthCall.Leg::answered);

      assertThat(call.talkSeconds()).as(call.callId()).isEqualTo(talk);
      assertThat(call.answered()).as(call.callId()).isEqualTo(anyAnswered);
      assertThat(call.startedAt()).as(call.callId()).isEqualTo(call.legs().get(0).startedAt());
    }
  }

  @Test
  void transferLegsFollowEachOther() {
    int transferred = 0;
    int threeLegs = 0;
    for (TruthCall call : truth.values()) {
      for (int i = 1; i < call.legs().size(); i++) {
        TruthCall.Leg previous = call.legs().get(i - 1);
        TruthCall.Leg next = call.legs().get(i);

        assertThat(next.startedAt()).as(call.callId()).isEqualTo(
            previous.startedAt().plusSeconds(previous.ringSeconds() + previous.talkSeconds()));
        assertThat(next.extension()).as(call.callId()).isNotEqualTo(previous.extension());
        assertThat(next.answered()).as(call.callId()).isTrue();
      }
      transferred += call.legs().size() > 1 ? 1 : 0;
      threeLegs += call.legs().size() == 3 ? 1 : 0;
    }

    assertThat(transferred).isGreaterThan(50);
    assertThat(threeLegs).isPositive();
  }

  @Test
  void transferTicketsShareTrunkAndNumber() {
    for (List<GeneratedTicket> callTickets : ticketsByCall.values()) {
      for (int i = 1; i < callTickets.size(); i++) {
        GeneratedTicket previous = callTickets.get(i - 1);
        GeneratedTicket next = callTickets.get(i);

        assertThat(text(next, "line")).isEqualTo(text(previous, "line"));
        assertThat(text(next, "callingNumber")).isEqualTo(text(previous, "callingNumber"));
        assertThat(localStart(next)).isEqualTo(
            LocalDateTime.ofInstant(previous.writtenAt(), PARIS));
      }
    }
  }

  @Test
  void huntGroupCallsAreAnsweredByMembers() {
    int answered = 0;
    int missed = 0;
    for (GeneratedTicket ticket : tickets) {
      String initialUser = text(ticket, "initialUser");
      if (!initialUser.startsWith("G") || ticket.legIndex() > 0) {
        continue;
      }
      Company.HuntGroup group = generator.company().huntGroups()
          .get(Integer.parseInt(initialUser.substring(1)) - 1);
      if (ticket.fields().get("answered").asBoolean()) {
        answered++;
        assertThat(group.members()).extracting(Company.Extension::number)
            .contains(text(ticket, "chargedUser"));
      } else {
        missed++;
        assertThat(text(ticket, "chargedUser")).isEqualTo(group.id());
        assertThat(text(ticket, "subscriberName")).isEqualTo(group.name());
      }
    }

    assertThat(answered).isGreaterThan(100);
    assertThat(missed).isGreaterThan(10);
  }

  @Test
  void overflowedDirectCallsAreChargedToOperator() {
    String operator = generator.company().operator().number();
    long overflowed = tickets.stream()
        .filter(t -> t.legIndex() == 0 && "incoming".equals(text(t, "type")))
        .filter(t -> !text(t, "initialUser").startsWith("G"))
        .filter(t -> !text(t, "initialUser").equals(text(t, "chargedUser")))
        .peek(t -> assertThat(text(t, "chargedUser")).isEqualTo(operator))
        .count();

    assertThat(overflowed).isPositive();
  }

  @Test
  void outgoingUnitsAndCostFollowTariff() {
    Map<String, Integer> kinds = new HashMap<>();
    for (GeneratedTicket ticket : tickets) {
      int units = ticket.fields().get("units").asInt();
      BigDecimal cost = ticket.fields().get("cost").decimalValue();
      if (!"outgoing".equals(text(ticket, "type"))) {
        assertThat(units).isZero();
        assertThat(cost).isEqualByComparingTo("0");
        continue;
      }
      String number = text(ticket, "dialledNumber");
      String kind = number.startsWith("0899") ? "premium"
          : number.startsWith("00") ? "international"
          : number.charAt(1) == '6' || number.charAt(1) == '7' ? "mobile" : "local";
      int talk = seconds(ticket, "duration");
      int expected = talk == 0 ? 0 : switch (kind) {
        case "premium" -> 5 + (talk + 19) / 20;
        case "international" -> 2 + (talk + 29) / 30;
        case "mobile" -> 1 + (talk + 59) / 60;
        default -> 1 + (talk + 179) / 180;
      };
      kinds.merge(kind, 1, Integer::sum);

      assertThat(units).as(number).isEqualTo(expected);
      assertThat(cost).as(number).isEqualTo(BigDecimal.valueOf(units * 10L, 2));
    }

    assertThat(kinds).containsOnlyKeys("premium", "international", "mobile", "local");
  }

  @Test
  void truthCostIsSumOfTicketCosts() {
    for (Map.Entry<String, List<GeneratedTicket>> entry : ticketsByCall.entrySet()) {
      TruthCall call = truth.get(entry.getKey());
      if (call.legs().size() != entry.getValue().size()) {
        continue;
      }
      BigDecimal sum = entry.getValue().stream()
          .map(t -> t.fields().get("cost").decimalValue())
          .reduce(BigDecimal.ZERO, BigDecimal::add);

      assertThat(call.cost()).as(call.callId()).isEqualByComparingTo(sum);
    }
  }

  @Test
  void someOutgoingCallsCarryBusinessCodes() {
    long coded = tickets.stream().filter(t -> t.fields().has("businessCode")).count();

    assertThat(coded).isGreaterThan(20);
    assertThat(tickets).filteredOn(t -> t.fields().has("businessCode"))
        .allMatch(t -> "outgoing".equals(text(t, "type")));
  }

  @Test
  void internalCallsHaveNoTrunkNumberOrCost() {
    List<GeneratedTicket> internal =
        tickets.stream().filter(t -> "internal".equals(text(t, "type"))).toList();

    assertThat(internal).hasSizeGreaterThan(100);
    assertThat(internal).allMatch(t -> !t.fields().has("line"))
        .allMatch(t -> !t.fields().has("callingNumber") && !t.fields().has("dialledNumber"))
        .noneMatch(t -> text(t, "initialUser").equals(text(t, "chargedUser")));
  }
}
