package io.natalia.oxo.traffic;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What the ground truth adds up to on one local day: the figures the cloud's daily analytics
 * are compared against. Computed here from {@link TruthCall}s alone and independently of any
 * cloud code, so that the comparison means something.
 *
 * @param date the local day in the zone asked for
 * @param calls every call that started on the day, whatever its direction
 * @param incomingAnswered incoming calls a person answered (at least one leg)
 * @param missed incoming calls nobody answered
 * @param unreturnedMissed missed calls not returned within 24 hours (an outgoing call to the
 *     number, or the number calling again and being answered)
 * @param outgoing outgoing calls, answered or not
 * @param internal internal calls, answered or not
 * @param talkSeconds conversation time of all the day's calls
 * @param cost cost of all the day's calls
 */
public record DailyTotals(
    LocalDate date,
    int calls,
    int incomingAnswered,
    int missed,
    int unreturnedMissed,
    int outgoing,
    int internal,
    long talkSeconds,
    BigDecimal cost) {

  /**
   * Returns the totals per local day in {@code zone} of the calls {@code source} started in
   * {@code [from, to)}; every local day the range touches is listed, in order, even when it has
   * no calls. A day cut by {@code from} or {@code to} counts only its calls inside the range.
   */
  public static List<DailyTotals> perDay(
      TrafficSource source, Instant from, Instant to, ZoneId zone) {
    return perDay(source.callsStarted(from, to), from, to, zone);
  }

  /**
   * Returns the totals per local day in {@code zone} of the {@code calls} that started in
   * {@code [from, to)}, listing every local day the range touches.
   */
  public static List<DailyTotals> perDay(
      List<TruthCall> calls, Instant from, Instant to, ZoneId zone) {
    Map<LocalDate, Accumulator> days = new TreeMap<>();
    if (from.isBefore(to)) {
      LocalDate last = LocalDate.ofInstant(to.minusNanos(1), zone);
      for (LocalDate day = LocalDate.ofInstant(from, zone);
          !day.isAfter(last);
          day = day.plusDays(1)) {
        days.put(day, new Accumulator());
      }
    }
    for (TruthCall call : calls) {
      if (!call.startedAt().isBefore(from) && call.startedAt().isBefore(to)) {
        days.get(LocalDate.ofInstant(call.startedAt(), zone)).add(call);
      }
    }
    List<DailyTotals> result = new ArrayList<>(days.size());
    days.forEach((date, totals) -> result.add(totals.toTotals(date)));
    return result;
  }

  private static final class Accumulator {
    private int calls;
    private int incomingAnswered;
    private int missed;
    private int unreturnedMissed;
    private int outgoing;
    private int internal;
    private long talkSeconds;
    private BigDecimal cost = BigDecimal.ZERO.setScale(2);

    void add(TruthCall call) {
      calls++;
      switch (call.direction()) {
        case "incoming" -> {
          if (call.answered()) {
            incomingAnswered++;
          } else {
            missed++;
            unreturnedMissed += Boolean.TRUE.equals(call.calledBack()) ? 0 : 1;
          }
        }
        case "outgoing" -> outgoing++;
        case "internal" -> internal++;
        default -> throw new IllegalArgumentException(
            "direction must be incoming, outgoing or internal: " + call.direction());
      }
      talkSeconds += call.talkSeconds();
      cost = cost.add(call.cost());
    }

    DailyTotals toTotals(LocalDate date) {
      return new DailyTotals(date, calls, incomingAnswered, missed, unreturnedMissed, outgoing,
          internal, talkSeconds, cost);
    }
  }
}
