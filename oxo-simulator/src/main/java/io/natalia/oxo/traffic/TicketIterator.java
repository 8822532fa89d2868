package io.natalia.oxo.traffic;

import java.time.Instant;
import java.time.LocalDate;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.PriorityQueue;

/**
 * Tickets written in {@code [from, to)}, in write order, generated one origin day at a time.
 *
 * <p>A day's tickets are all written at or after the day's start, so once days up to {@code
 * D} are generated, every pending ticket written before the start of {@code D + 1} is final
 * and can be returned. The queue contains about {@link TrafficGenerator#LOOKBACK_DAYS} + 1 days of
 * tickets. Not thread-safe.
 */
final class TicketIterator implements Iterator<GeneratedTicket> {

  private final TrafficGenerator generator;
  private final TicketFields ticketFields;
  private final boolean printUnansweredIncoming;
  private final long fromSecond;
  private final long toSecond;
  private final LocalDate lastDay;
  private final PriorityQueue<SimulatedLeg> pending =
      new PriorityQueue<>(SimulatedLeg.WRITE_ORDER);
  private LocalDate nextDay;
  private long finalBefore;

  TicketIterator(TrafficGenerator generator, Instant from, Instant to) {
    this.generator = generator;
    this.ticketFields = new TicketFields(generator.settings());
    this.printUnansweredIncoming = generator.settings().printUnansweredIncoming();
    this.fromSecond = TrafficGenerator.ceilSeconds(from);
    this.toSecond = TrafficGenerator.ceilSeconds(to);
    this.nextDay = generator.localDate(fromSecond).minusDays(TrafficGenerator.LOOKBACK_DAYS);
    this.lastDay = generator.localDate(toSecond - 1);
    this.finalBefore = Long.MIN_VALUE;
  }

  @Override
  public boolean hasNext() {
    while (true) {
      SimulatedLeg head = pending.peek();
      if (head != null && head.writtenEpochSecond() < finalBefore) {
        return true;
      }
      if (nextDay.isAfter(lastDay)) {
        finalBefore = Long.MAX_VALUE;
        return head != null;
      }
      generateNextDay();
    }
  }

  @Override
  public GeneratedTicket next() {
    if (!hasNext()) {
      throw new NoSuchElementException("no ticket left before " + Instant.ofEpochSecond(toSecond));
    }
    SimulatedLeg leg = pending.poll();
    return new GeneratedTicket(
        leg.call.id,
        leg.index,
        Instant.ofEpochSecond(leg.writtenEpochSecond()),
        ticketFields.of(leg));
  }

  /** Returns how many tickets wait in the queue, for tests of the memory bound. */
  int pendingTickets() {
    return pending.size();
  }

  private void generateNextDay() {
    for (SimulatedCall call : generator.callsOfDay(nextDay)) {
      for (SimulatedLeg leg : call.legs) {
        long written = leg.writtenEpochSecond();
        if (written >= fromSecond && written < toSecond
            && leg.isPrinted(printUnansweredIncoming)) {
          pending.add(leg);
        }
      }
    }
    nextDay = nextDay.plusDays(1);
    finalBefore = nextDay.atStartOfDay(generator.settings().zone()).toEpochSecond();
  }
}
