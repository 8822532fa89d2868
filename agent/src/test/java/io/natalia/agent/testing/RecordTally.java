package io.natalia.agent.testing;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.io.InputStream;
import java.util.BitSet;

/**
 * Counts the records of ingest bodies without keeping them, for benchmarks of millions of
 * records in a small heap.
 *
 * <p>A body is read as a stream: only the {@code id} and {@code ticketId} of each record are
 * taken, everything else is skipped. Ids are 32 hex characters (128 bits), and the tally keeps
 * their first 64 bits in an open-addressing set, 8 bytes a record. Two distinct ids count as
 * one only if their first 16 hex characters collide: about one chance in a million for 5
 * million records, and a collision fails a benchmark rather than passing it. Ticket numbers
 * go into a bit set. Thread-safe: every method holds the tally's monitor.
 */
public final class RecordTally {
  private static final JsonFactory JSON = new JsonFactory();
  private static final long EMPTY = 0;

  private long[] slots;
  private boolean holdsZero;
  private long distinct;
  private long duplicates;
  private final BitSet ticketIds = new BitSet();
  private long ticketIdRepeats;

  /** Creates a tally sized for about {@code expectedRecords} without growing. */
  public RecordTally(long expectedRecords) {
    // At most three quarters full: the smallest power of two above 4/3 of the records.
    long wanted = Math.max(16, expectedRecords * 4 / 3 + 1);
    slots = new long[(int) Math.min(1L << 29, Long.highestOneBit(wanted - 1) << 1)];
  }

  /** Counts of one ingest body: the ingest response's {@code ingested} and {@code duplicates}. */
  public record Counts(int ingested, int duplicates) {}

  /**
   * Reads one ingest body (JSON, already decompressed) and counts its records.
   *
   * @throws IOException when the body is not JSON or a record has no valid id
   */
  public Counts count(InputStream body) throws IOException {
    int ingested = 0;
    int repeated = 0;
    try (JsonParser parser = JSON.createParser(body)) {
      skipToRecords(parser);
      while (parser.nextToken() == JsonToken.START_OBJECT) {
        if (add(readRecord(parser))) {
          ingested++;
        } else {
          repeated++;
        }
      }
    }
    return new Counts(ingested, repeated);
  }

  /** Returns the number of distinct ids counted. */
  public synchronized long distinct() {
    return distinct;
  }

  /** Returns how many records arrived with an id counted before. */
  public synchronized long duplicates() {
    return duplicates;
  }

  /** Returns how many distinct PBX ticket numbers arrived. */
  public synchronized long distinctTicketIds() {
    return ticketIds.cardinality();
  }

  /** Returns how many records arrived with a ticket number counted before. */
  public synchronized long ticketIdRepeats() {
    return ticketIdRepeats;
  }

  /** Returns the lowest ticket number from 1 on that never arrived. */
  public synchronized long firstMissingTicketId() {
    return ticketIds.nextClearBit(1);
  }

  private record IdAndTicket(long idPrefix, long ticketId) {}

  private static void skipToRecords(JsonParser parser) throws IOException {
    if (parser.nextToken() != JsonToken.START_OBJECT) {
      throw new IOException("ingest body is not a JSON object");
    }
    while (parser.nextToken() == JsonToken.FIELD_NAME) {
      String name = parser.currentName();
      JsonToken value = parser.nextToken();
      if ("records".equals(name) && value == JsonToken.START_ARRAY) {
        return;
      }
      parser.skipChildren();
    }
    throw new IOException("ingest body has no records array");
  }

  private static IdAndTicket readRecord(JsonParser parser) throws IOException {
    String id = null;
    long ticketId = -1;
    while (parser.nextToken() == JsonToken.FIELD_NAME) {
      String name = parser.currentName();
      JsonToken value = parser.nextToken();
      if ("id".equals(name) && value == JsonToken.VALUE_STRING) {
        id = parser.getText();
      } else if ("ticketId".equals(name) && value == JsonToken.VALUE_NUMBER_INT) {
        ticketId = parser.getLongValue();
      } else {
        parser.skipChildren();
      }
    }
    if (id == null || id.length() != 32) {
      throw new IOException("record without a 32-character id: " + id);
    }
    return new IdAndTicket(Long.parseUnsignedLong(id.substring(0, 16), 16), ticketId);
  }

  private synchronized boolean add(IdAndTicket record) {
    if (record.ticketId() >= 0 && record.ticketId() <= Integer.MAX_VALUE) {
      if (ticketIds.get((int) record.ticketId())) {
        ticketIdRepeats++;
      }
      ticketIds.set((int) record.ticketId());
    }
    if (!insert(record.idPrefix())) {
      duplicates++;
      return false;
    }
    distinct++;
    if (distinct * 4 > slots.length * 3L) {
      grow();
    }
    return true;
  }

  /** Inserts a key; returns false when it was present. */
  private boolean insert(long key) {
    if (key == EMPTY) {
      boolean fresh = !holdsZero;
      holdsZero = true;
      return fresh;
    }
    int mask = slots.length - 1;
    for (int i = mix(key) & mask; ; i = (i + 1) & mask) {
      if (slots[i] == EMPTY) {
        slots[i] = key;
        return true;
      }
      if (slots[i] == key) {
        return false;
      }
    }
  }

  private void grow() {
    long[] old = slots;
    slots = new long[old.length * 2];
    boolean zero = holdsZero;
    for (long key : old) {
      if (key != EMPTY) {
        insert(key);
      }
    }
    holdsZero = zero;
  }

  private static int mix(long key) {
    long h = key * 0x9E3779B97F4A7C15L;
    return (int) (h ^ (h >>> 32));
  }

  @Override
  public String toString() {
    return "RecordTally[distinct=" + distinct() + ", duplicates=" + duplicates()
        + ", ticketIds=" + distinctTicketIds() + "]";
  }
}
