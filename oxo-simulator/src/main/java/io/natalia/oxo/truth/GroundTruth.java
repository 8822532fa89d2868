package io.natalia.oxo.truth;

import io.natalia.oxo.buffer.BufferStatus;
import io.natalia.oxo.buffer.DroppedTicket;
import io.natalia.oxo.traffic.DailyTotals;
import io.natalia.oxo.traffic.TrafficSource;
import io.natalia.oxo.traffic.TruthCall;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.HashMap;
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
    List<TruthDay> days = days(calls, from, to, zone, droppedPerCall);
    return new TruthReport(from, to, zone, calls, days, droppedInRange, status.ticketsDropped(),
        status.ticketsEvictedUnserved());
  }

  private static List<TruthDay> days(List<TruthCall> calls, Instant from, Instant to,
      ZoneId zone, Map<String, Integer> droppedPerCall) {
    Map<LocalDate, Integer> droppedPerDay = new HashMap<>();
    for (TruthCall call : calls) {
      int dropped = droppedPerCall.getOrDefault(call.callId(), 0);
      if (dropped > 0) {
        droppedPerDay.merge(call.startedAt().atZone(zone).toLocalDate(), dropped, Integer::sum);
      }
    }
    return DailyTotals.perDay(calls, from, to, zone).stream()
        .map(day -> new TruthDay(day, droppedPerDay.getOrDefault(day.date(), 0)))
        .toList();
  }
}
