package io.natalia.agent.pbx.oxo;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Counts PBX ticket numbers skipped during one poll.
 *
 * <p>The PBX numbers tickets in the order it writes them and drops new ones when its 1000-ticket
 * buffer is full, so a number never served means a lost ticket. Numbers at or below the
 * previous highest are late tickets (a long call read thanks to the overlap), unless all new
 * numbers are lower: then the PBX restarted and counts again from its lowest new number.
 *
 * <p>A poll of a long backlog reads millions of numbers, so they are kept as bits in blocks of
 * {@value #BLOCK_BITS}: about one bit a number for the usual consecutive numbers, where a set
 * of boxed numbers took about 60 bytes each.
 */
final class TicketGaps {
  private static final int BLOCK_BITS = 4096;
  private final Long previousHighest;
  /** The numbers read, as bits: block {@code n} holds the numbers from n * BLOCK_BITS on. */
  private final Map<Long, long[]> blocks = new HashMap<>();
  private long count;
  private long lowest = Long.MAX_VALUE;
  private long highestRead = Long.MIN_VALUE;

  TicketGaps(Long previousHighest) {
    this.previousHighest = previousHighest;
  }

  void add(List<Long> ticketIds) {
    for (long ticketId : ticketIds) {
      add(ticketId);
    }
  }

  private void add(long ticketId) {
    long[] words = blocks.computeIfAbsent(Math.floorDiv(ticketId, BLOCK_BITS),
        block -> new long[BLOCK_BITS / 64]);
    int bit = (int) Math.floorMod(ticketId, BLOCK_BITS);
    long mask = 1L << (bit & 63);
    if ((words[bit >>> 6] & mask) == 0) {
      words[bit >>> 6] |= mask;
      count++;
      lowest = Math.min(lowest, ticketId);
      highestRead = Math.max(highestRead, ticketId);
    }
  }

  /** Returns how many distinct numbers read are above {@code base}. */
  private long countAbove(long base) {
    long above = 0;
    for (Map.Entry<Long, long[]> block : blocks.entrySet()) {
      long first = block.getKey() * BLOCK_BITS;
      long[] words = block.getValue();
      for (int word = 0; word < words.length; word++) {
        long bits = words[word];
        long wordFirst = first + word * 64L;
        if (bits == 0 || wordFirst + 63 <= base) {
          continue;
        }
        if (wordFirst <= base) {
          // Keeps only the numbers above base: bit i stands for wordFirst + i.
          bits &= -1L << (base - wordFirst + 1);
        }
        above += Long.bitCount(bits);
      }
    }
    return above;
  }

  /** Returns the highest number known after this poll, or null when none is known. */
  Long highest() {
    if (count == 0) {
      return previousHighest;
    }
    if (restarted() || previousHighest == null) {
      return highestRead;
    }
    return Math.max(previousHighest, highestRead);
  }

  /** Returns whether the PBX numbers again from a lower value. */
  boolean restarted() {
    return previousHighest != null && count > 0 && highestRead < previousHighest;
  }

  Long lowestNew() {
    return count == 0 ? null : lowest;
  }

  /** Returns how many numbers in the range this poll covered were never served. */
  long lost() {
    if (count == 0) {
      return 0;
    }
    long base = restarted() || previousHighest == null ? lowest - 1 : previousHighest;
    return highestRead - base - countAbove(base);
  }
}
