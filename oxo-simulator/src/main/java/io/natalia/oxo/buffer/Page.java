package io.natalia.oxo.buffer;

import java.util.Arrays;

/**
 * Records the buffer hands out for one response, as serialized JSON objects.
 *
 * <p>Record {@code i} occupies {@code data[ends[i-1] .. ends[i])} (from 0 for the first) and
 * ends with one comma, so that the page's JSON array is {@code [} + the data without its last
 * byte + {@code ]} without copying record by record.
 *
 * @param data the records one after the other, each followed by a comma
 * @param ends the end offset in {@code data} of each record, comma included
 * @param ticketIds the ticket id of each record, in the same order
 */
public record Page(byte[] data, int[] ends, long[] ticketIds) {

  /** A page without records. */
  public static final Page EMPTY = new Page(new byte[0], new int[0], new long[0]);

  public int size() {
    return ends.length;
  }

  /** Returns record {@code i} as a JSON object, without the trailing comma. */
  public byte[] record(int i) {
    int start = i == 0 ? 0 : ends[i - 1];
    return Arrays.copyOfRange(data, start, ends[i] - 1);
  }
}
