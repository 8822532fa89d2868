package io.natalia.oxo.truth;

import io.natalia.oxo.buffer.BufferStatus;
import io.natalia.oxo.buffer.DroppedTicket;
import io.natalia.oxo.traffic.TrafficSource;
import io.natalia.oxo.traffic.TruthCall;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/** Builds {@link TruthReport}s from the traffic source's calls and the buffer's drops. */
public final class GroundTruth {
  private GroundTruth() {}

  /**
   * Builds the report for calls that started in {@code [from, to)}.
   *
   * @param dropped every ticket dropped so far; only those of calls in the range are reported
   * @throws IllegalArgumentException when {@code to} is not after {@code from}
   */
  public static TruthReport report(TrafficSource traffic, Instant from, Instant to, ZoneId zone,
      List<DroppedTicket> dropped, BufferStatus status) {
    if (!to.isAfter(from)) {
      throw new IllegalArgumentException("to must be after from: from=" + from + ", to=" + to);
    }
    List<TruthCall> calls = traffic.callsStarted(from, to);
    Set<String> callIds = calls.stream().map(TruthCall::callId).collect(Collectors.toSet());
    List<DroppedTicket> droppedInRange = dropped.stream()
        .filter(ticket -> callIds.contains(ticket.callId()))
        .toList();
    Map<String, Integer> droppedPerCall = new HashMap<>();
    droppedInRange.forEach(ticket -> droppedPerCall.merge(ticket.callId(), 1, Integer::sum));
    List<DayTotals> days = days(calls, from, to, zone, droppedPerCall);
    return new TruthReport(from, to, zone, calls, days, droppedInRange, status.ticketsDropped(),
        status.ticketsEvictedUnserved());
  }

  private static List<DayTotals> days(List<TruthCall> calls, Instant from, Instant to,
      ZoneId zone, Map<String, Integer> droppedPerCall) {
    Map<LocalDate, List<TruthCall>> byDay = new LinkedHashMap<>();
    LocalDate last = to.minusNanos(1).atZone(zone).toLocalDate();
    for (LocalDate day = from.atZone(zone).toLocalDate(); !day.isAfter(last);
        day = day.plusDays(1)) {
      byDay.put(day, new ArrayList<>());
    }
    for (TruthCall call : calls) {
      byDay.get(call.startedAt().atZone(zone).toLocalDate()).add(call);
    }
    List<DayTotals> days = new ArrayList<>(byDay.size());
    byDay.forEach((day, dayCalls) -> days.add(totals(day, dayCalls, droppedPerCall)));
    return days;
  }

  private static DayTotals totals(LocalDate day, List<TruthCall> calls,
      Map<String, Integer> droppedPerCall) {
    int incoming = 0;
    int answered = 0;
    int missedCalledBack = 0;
    int outgoing = 0;
    int legs = 0;
    long ringSeconds = 0;
    long talkSeconds = 0;
    int dropped = 0;
    BigDecimal cost = BigDecimal.ZERO;
    for (TruthCall call : calls) {
      boolean isIncoming = "incoming".equals(call.direction());
      incoming += isIncoming ? 1 : 0;
      answered += isIncoming && call.answered() ? 1 : 0;
      missedCalledBack += isIncoming && !call.answered() && Boolean.TRUE.equals(call.calledBack())
          ? 1 : 0;
      outgoing += "outgoing".equals(call.direction()) ? 1 : 0;
      legs += call.legs().size();
      ringSeconds += call.ringSeconds();
      talkSeconds += call.talkSeconds();
      cost = cost.add(call.cost() == null ? BigDecimal.ZERO : call.cost());
      dropped += droppedPerCall.getOrDefault(call.callId(), 0);
    }
    int missed = incoming - answered;
    int internal = calls.size() - incoming - outgoing;
    return new DayTotals(day, calls.size(), incoming, answered, missed, missedCalledBack,
        missed - missedCalledBack, outgoing, internal, legs, ringSeconds, talkSeconds, cost,
        dropped);
  }
}
