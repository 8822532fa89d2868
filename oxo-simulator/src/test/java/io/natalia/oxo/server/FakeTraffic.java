package io.natalia.oxo.server;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.natalia.oxo.traffic.GeneratedTicket;
import io.natalia.oxo.traffic.TrafficSource;
import io.natalia.oxo.traffic.TruthCall;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;

/** A traffic source scripted call by call, whose tickets and truth agree by construction. */
final class FakeTraffic implements TrafficSource {
  private static final DateTimeFormatter LOCAL = DateTimeFormatter.ofPattern(
      "uuuu-MM-dd'T'HH:mm:ss");
  private static final ObjectMapper JSON = new ObjectMapper();

  private final ZoneId zone;
  private final List<TruthCall> calls = new ArrayList<>();
  private final List<GeneratedTicket> tickets = new ArrayList<>();

  FakeTraffic(ZoneId zone) {
    this.zone = zone;
  }

  /** One leg: the extension that rang, its ring and talk seconds (talk 0 = not answered). */
  record Leg(String extension, int ringSeconds, int talkSeconds) {}

  /** Adds an incoming call from {@code number} whose legs follow one another (transfers). */
  FakeTraffic incoming(String callId, Instant start, String number, Leg... legs) {
    return call(callId, "incoming", start, number, legs);
  }

  FakeTraffic outgoing(String callId, Instant start, String number, Leg leg) {
    return call(callId, "outgoing", start, number, leg);
  }

  /** Adds {@code count} one-leg answered incoming calls, one every {@code gap}. */
  FakeTraffic steady(String prefix, Instant first, Duration gap, int count) {
    for (int i = 0; i < count; i++) {
      incoming(prefix + i, first.plus(gap.multipliedBy(i)), "061234" + (1000 + i),
          new Leg("1" + (10 + i % 20), 5, 60 + i % 7));
    }
    return this;
  }

  List<TruthCall> calls() {
    return List.copyOf(calls);
  }

  @Override
  public Iterator<GeneratedTicket> ticketsWritten(Instant from, Instant to) {
    return tickets.stream()
        .filter(t -> !t.writtenAt().isBefore(from) && t.writtenAt().isBefore(to))
        .sorted(Comparator.comparing(GeneratedTicket::writtenAt))
        .iterator();
  }

  @Override
  public List<TruthCall> callsStarted(Instant from, Instant to) {
    return calls.stream()
        .filter(c -> !c.startedAt().isBefore(from) && c.startedAt().isBefore(to))
        .sorted(Comparator.comparing(TruthCall::startedAt))
        .toList();
  }

  private FakeTraffic call(String callId, String type, Instant start, String number,
      Leg... legs) {
    Instant legStart = start;
    List<TruthCall.Leg> truthLegs = new ArrayList<>();
    int ringBeforeAnswer = 0;
    boolean answered = false;
    int talk = 0;
    for (int i = 0; i < legs.length; i++) {
      Leg leg = legs[i];
      Instant end = legStart.plusSeconds(leg.ringSeconds() + leg.talkSeconds());
      tickets.add(new GeneratedTicket(callId, i, end, fields(type, legs[0], leg, legStart,
          number)));
      truthLegs.add(new TruthCall.Leg(leg.extension(), legStart, leg.ringSeconds(),
          leg.talkSeconds(), leg.talkSeconds() > 0));
      ringBeforeAnswer += answered ? 0 : leg.ringSeconds();
      answered |= leg.talkSeconds() > 0;
      talk += leg.talkSeconds();
      legStart = end;
    }
    BigDecimal cost = "outgoing".equals(type) ? new BigDecimal("0.12").multiply(
        BigDecimal.valueOf(legs.length)) : BigDecimal.ZERO;
    Boolean calledBack = "incoming".equals(type) && !answered ? Boolean.FALSE : null;
    calls.add(new TruthCall(callId, type, start, number, "V01", legs[0].extension(), answered,
        ringBeforeAnswer, talk, cost, calledBack, truthLegs));
    return this;
  }

  private ObjectNode fields(String type, Leg first, Leg leg, Instant legStart, String number) {
    ObjectNode fields = JSON.createObjectNode()
        .put("type", type)
        .put("initialUser", first.extension())
        .put("chargedUser", leg.extension())
        .put("subscriberName", "Zoë Łukasiewicz " + leg.extension())
        .put("line", "V01")
        .put("startTime", LOCAL.format(legStart.atZone(zone)))
        .put("ringDuration", hms(leg.ringSeconds()))
        .put("duration", hms(leg.talkSeconds()));
    fields.put("incoming".equals(type) ? "callingNumber" : "dialledNumber", number);
    fields.put("units", "outgoing".equals(type) ? 1 : 0)
        .put("cost", "outgoing".equals(type) ? "0.12" : "0.00")
        .put("businessCode", "")
        .put("answered", leg.talkSeconds() > 0);
    return fields;
  }

  private static String hms(int seconds) {
    return String.format("%02d:%02d:%02d", seconds / 3600, seconds / 60 % 60, seconds % 60);
  }
}
