package io.natalia.oxo.traffic;

import static io.natalia.oxo.traffic.TrafficFixtures.byId;
import static io.natalia.oxo.traffic.TrafficFixtures.text;
import static io.natalia.oxo.traffic.TrafficFixtures.tickets;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The PBX's printing options: masked numbers and unanswered incoming calls. */
class TicketOptionsTest {

  private static final Instant FROM = Instant.parse("2026-02-02T00:00:00Z");
  private static final Instant TO = Instant.parse("2026-02-05T00:00:00Z");

  @Test
  void maskingHidesLastTwoDigitsOnly() {
    TrafficSettings masked = TrafficSettings.builder().maskLastDigits(true).build();
    TrafficGenerator generator = new TrafficGenerator(31, masked);
    Map<String, TruthCall> truth = byId(generator.callsStarted(FROM.minus(Duration.ofDays(3)), TO));

    int checked = 0;
    for (GeneratedTicket ticket : tickets(generator, FROM, TO)) {
      String shown = ticket.fields().has("callingNumber")
          ? text(ticket, "callingNumber") : text(ticket, "dialledNumber");
      if (shown == null) {
        continue;
      }
      String full = truth.get(ticket.callId()).externalNumber();

      assertThat(shown).endsWith("**").hasSameSizeAs(full);
      assertThat(shown.substring(0, shown.length() - 2))
          .isEqualTo(full.substring(0, full.length() - 2));
      checked++;
    }
    assertThat(checked).isGreaterThan(300);
  }

  @Test
  void maskedCallerNumbersStayDistinct() {
    TrafficGenerator generator =
        new TrafficGenerator(31, TrafficSettings.builder().maskLastDigits(true).build());
    Set<String> full = new HashSet<>();
    Set<String> masked = new HashSet<>();

    for (TruthCall call : generator.callsStarted(FROM, TO)) {
      if (call.direction().equals("incoming")) {
        full.add(call.externalNumber());
        masked.add(NumberPlan.mask(call.externalNumber()));
      }
    }

    assertThat(masked).hasSameSizeAs(full);
  }

  @Test
  void maskingChangesNothingElse() {
    TrafficSettings plain = TrafficSettings.builder().build();
    List<GeneratedTicket> clear = tickets(new TrafficGenerator(31, plain), FROM, TO);
    List<GeneratedTicket> masked = tickets(
        new TrafficGenerator(31, plain.toBuilder().maskLastDigits(true).build()), FROM, TO);

    assertThat(masked).hasSameSizeAs(clear);
    for (int i = 0; i < clear.size(); i++) {
      var expected = clear.get(i).fields().deepCopy();
      var actual = masked.get(i).fields().deepCopy();
      for (String field : List.of("callingNumber", "dialledNumber")) {
        expected.remove(field);
        actual.remove(field);
      }
      assertThat(actual).isEqualTo(expected);
    }
  }

  @Test
  void unansweredIncomingCallsVanishWhenNotPrinted() {
    TrafficSettings printing = TrafficSettings.builder().build();
    List<GeneratedTicket> all = tickets(new TrafficGenerator(31, printing), FROM, TO);
    TrafficGenerator quiet = new TrafficGenerator(
        31, printing.toBuilder().printUnansweredIncoming(false).build());

    List<GeneratedTicket> printed = tickets(quiet, FROM, TO);

    List<GeneratedTicket> expected = all.stream()
        .filter(t -> !("incoming".equals(text(t, "type"))
            && !t.fields().get("answered").asBoolean()))
        .map(t -> {
          var fields = t.fields().deepCopy();
          fields.remove("answered");
          return new GeneratedTicket(t.callId(), t.legIndex(), t.writtenAt(), fields);
        })
        .toList();
    assertThat(printed).isEqualTo(expected);
    assertThat(printed).hasSizeLessThan(all.size());
  }

  @Test
  void unprintedMissedCallsKeepTruthWithoutLegs() {
    TrafficGenerator quiet = new TrafficGenerator(
        31, TrafficSettings.builder().printUnansweredIncoming(false).build());

    List<TruthCall> missed = quiet.callsStarted(FROM, TO).stream()
        .filter(call -> call.direction().equals("incoming") && !call.answered())
        .toList();

    assertThat(missed).isNotEmpty();
    assertThat(missed).allMatch(call -> call.legs().isEmpty() && call.ringSeconds() > 0);
  }

  @Test
  void unansweredOutgoingCallsArePrintedWithZeroDuration() {
    List<GeneratedTicket> unanswered = tickets(TrafficFixtures.generator(31), FROM, TO).stream()
        .filter(t -> "outgoing".equals(text(t, "type")))
        .filter(t -> !t.fields().get("answered").asBoolean())
        .toList();

    assertThat(unanswered).isNotEmpty();
    assertThat(unanswered).allMatch(t -> text(t, "duration").equals("00:00:00"))
        .allMatch(t -> t.fields().get("units").asInt() == 0);
  }
}
