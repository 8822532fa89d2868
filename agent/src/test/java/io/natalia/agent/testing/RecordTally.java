package io.natalia.agent.testing;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.BitSet;

/**
 * Counts the records of ingest bodies without keeping them, for benchmarks of millions of
 * records in a small heap.
 *
 * <p>A body is scanned byte by byte rather than parsed: only the {@code id} and {@code
 * ticketId} of each record are taken, and every other value is skipped by counting brackets
 * outside strings. That keeps the CPU time of the benchmark's peers small, since they share
 * the machine's cores with the agent. Ids are 32 hex characters (128 bits), and the tally
 * keeps their first 64 bits in an open-addressing set, 8 bytes a record. Two distinct ids count as
 * one only if their first 16 hex characters collide: about one chance in a million for 5
 * million records, and a collision fails a benchmark rather than passing it. Ticket numbers
 * go into a bit set. Thread-safe: every method holds the tally's monitor.
 */
public final class RecordTally {
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
   * @throws IOException when the body is not JSON of the ingest shape or a record has no valid
   *     id
   */
  public Counts count(InputStream body) throws IOException {
    Scanner scanner = new Scanner(body.readAllBytes());
    int ingested = 0;
    int repeated = 0;
    scanner.skipToRecords();
    while (scanner.nextRecord()) {
      if (add(scanner.readRecord())) {
        ingested++;
      } else {
        repeated++;
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

  /** Scans an ingest body: {@code {..., "records": [{...}, ...], ...}}. */
  private static final class Scanner {
    private static final byte[] RECORDS = "records".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] ID = "id".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] TICKET_ID = "ticketId".getBytes(StandardCharsets.US_ASCII);

    private final byte[] body;
    private int at;
    private boolean firstRecord = true;

    Scanner(byte[] body) {
      this.body = body;
    }

    /** Moves past the {@code [} of the top-level {@code records} array. */
    void skipToRecords() throws IOException {
      expect('{');
      while (true) {
        int key = readKey();
        if (keyIs(key, RECORDS) && peek() == '[') {
          at++;
          return;
        }
        skipValue();
        if (peek() != ',') {
          throw invalid("ingest body has no records array");
        }
        at++;
      }
    }

    /** Moves to the {@code {} of the next record; returns false at the end of the array. */
    boolean nextRecord() throws IOException {
      int next = peek();
      if (next == ']') {
        return false;
      }
      if (!firstRecord) {
        expect(',');
      }
      firstRecord = false;
      if (peek() != '{') {
        throw invalid("record is not an object");
      }
      return true;
    }

    IdAndTicket readRecord() throws IOException {
      expect('{');
      long idPrefix = 0;
      boolean hasId = false;
      long ticketId = -1;
      boolean first = true;
      while (peek() != '}') {
        if (!first) {
          expect(',');
        }
        first = false;
        int key = readKey();
        if (keyIs(key, ID)) {
          idPrefix = readId();
          hasId = true;
        } else if (keyIs(key, TICKET_ID) && isDigit(peek())) {
          ticketId = readLong();
        } else {
          skipValue();
        }
      }
      at++;
      if (!hasId) {
        throw invalid("record without an id");
      }
      return new IdAndTicket(idPrefix, ticketId);
    }

    /** Reads a key and its colon; returns where the key's opening quote is. */
    private int readKey() throws IOException {
      peek();
      int start = at;
      skipString();
      expect(':');
      return start;
    }

    /** Returns whether the key whose opening quote is at {@code start} is {@code name}. */
    private boolean keyIs(int start, byte[] name) {
      int end = start + 1;
      while (body[end] != '"') {
        end++;
      }
      return Arrays.equals(body, start + 1, end, name, 0, name.length);
    }

    /** Reads a 32-character id and returns the value of its first 16 hex characters. */
    private long readId() throws IOException {
      if (peek() != '"' || at + 33 >= body.length || body[at + 33] != '"') {
        throw invalid("record without a 32-character id");
      }
      long prefix = 0;
      for (int i = at + 1; i < at + 17; i++) {
        int digit = Character.digit(body[i], 16);
        if (digit < 0) {
          throw invalid("record id is not hexadecimal");
        }
        prefix = prefix << 4 | digit;
      }
      at += 34;
      return prefix;
    }

    private long readLong() {
      long value = 0;
      while (isDigit(body[at])) {
        value = value * 10 + body[at++] - '0';
      }
      return value;
    }

    private void skipValue() throws IOException {
      int first = peek();
      if (first == '"') {
        skipString();
      } else if (first == '{' || first == '[') {
        int depth = 0;
        do {
          byte b = body[at];
          if (b == '"') {
            skipString();
            continue;
          }
          if (b == '{' || b == '[') {
            depth++;
          } else if (b == '}' || b == ']') {
            depth--;
          }
          at++;
        } while (depth > 0);
      } else {
        while (at < body.length && body[at] != ',' && body[at] != '}' && body[at] != ']') {
          at++;
        }
      }
    }

    private void skipString() throws IOException {
      if (body[at] != '"') {
        throw invalid("expected a string");
      }
      at++;
      while (body[at] != '"') {
        at += body[at] == '\\' ? 2 : 1;
      }
      at++;
    }

    /** Returns the next byte that is not whitespace, without consuming it. */
    private int peek() throws IOException {
      while (at < body.length && isWhitespace(body[at])) {
        at++;
      }
      if (at >= body.length) {
        throw invalid("ingest body ends early");
      }
      return body[at];
    }

    private void expect(char c) throws IOException {
      if (peek() != c) {
        throw invalid("expected '" + c + "'");
      }
      at++;
    }

    private IOException invalid(String reason) {
      return new IOException(reason + " at byte " + at + " of the ingest body");
    }

    private static boolean isDigit(int b) {
      return b >= '0' && b <= '9';
    }

    private static boolean isWhitespace(byte b) {
      return b == ' ' || b == '\n' || b == '\r' || b == '\t';
    }
  }
}
