package io.natalia.oxo.traffic;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/** Shared helpers for the traffic tests: collecting tickets and reading their fields. */
final class TrafficFixtures {

  static final ZoneId PARIS = ZoneId.of("Europe/Paris");

  private TrafficFixtures() {}

  static TrafficGenerator generator(long seed) {
    return new TrafficGenerator(seed, TrafficSettings.builder().build());
  }

  static List<GeneratedTicket> tickets(TrafficSource source, Instant from, Instant to) {
    List<GeneratedTicket> result = new ArrayList<>();
    Iterator<GeneratedTicket> iterator = source.ticketsWritten(from, to);
    iterator.forEachRemaining(result::add);
    return result;
  }

  static Instant parisMidnight(LocalDate date) {
    return date.atStartOfDay(PARIS).toInstant();
  }

  static Map<String, TruthCall> byId(List<TruthCall> calls) {
    Map<String, TruthCall> result = new HashMap<>();
    for (TruthCall call : calls) {
      result.put(call.callId(), call);
    }
    return result;
  }

  /** Parses a ticket's {@code hh:mm:ss} duration to seconds. */
  static int seconds(GeneratedTicket ticket, String field) {
    String[] parts = ticket.fields().get(field).asText().split(":");
    return Integer.parseInt(parts[0]) * 3600 + Integer.parseInt(parts[1]) * 60
        + Integer.parseInt(parts[2]);
  }

  static String text(GeneratedTicket ticket, String field) {
    return ticket.fields().has(field) ? ticket.fields().get(field).asText() : null;
  }

  static LocalDateTime localStart(GeneratedTicket ticket) {
    return LocalDateTime.parse(text(ticket, "startTime"));
  }

  static Duration days(int count) {
    return Duration.ofDays(count);
  }
}
