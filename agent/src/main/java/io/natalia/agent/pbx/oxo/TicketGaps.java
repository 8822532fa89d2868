package io.natalia.agent.pbx.oxo;

import java.util.List;
import java.util.TreeSet;

/**
 * Counts PBX ticket numbers skipped during one poll.
 *
 * <p>The PBX numbers tickets in the order it writes them and drops new ones when its 1000-ticket
 * buffer is full, so a number never served means a lost ticket. Numbers at or below the
 * previous highest are late tickets (a long call read thanks to the overlap), unless all new
 * numbers are lower: then the PBX restarted and counts again from its lowest new number.
 */
final class TicketGaps {
  private final Long previousHighest;
  private final TreeSet<Long> fresh = new TreeSet<>();

  TicketGaps(Long previousHighest) {
    this.previousHighest = previousHighest;
  }

  void add(List<Long> ticketIds) {
    fresh.addAll(ticketIds);
  }

  /** Returns the highest number known after this poll, or null when none is known. */
  Long highest() {
    if (fresh.isEmpty()) {
      return previousHighest;
    }
    if (restarted() || previousHighest == null) {
      return fresh.last();
    }
    return Math.max(previousHighest, fresh.last());
  }

  /** Returns whether the PBX numbers again from a lower value. */
  boolean restarted() {
    return previousHighest != null && !fresh.isEmpty() && fresh.last() < previousHighest;
  }

  Long lowestNew() {
    return fresh.isEmpty() ? null : fresh.first();
  }

  /** Returns how many numbers in the range this poll covered were never served. */
  long lost() {
    if (fresh.isEmpty()) {
      return 0;
    }
    long base = restarted() || previousHighest == null ? fresh.first() - 1 : previousHighest;
    long above = fresh.tailSet(base, false).size();
    return fresh.last() - base - above;
  }
}
