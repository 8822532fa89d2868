package io.natalia.oxo.buffer;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.natalia.oxo.traffic.GeneratedTicket;
import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.BitSet;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;

/**
 * The PBX's bounded ticket buffer, holding millions of tickets in little heap.
 *
 * <p>Design. A ticket enters when the PBX writes it (at the end of its call leg), gets the
 * next ticket id and is serialized once to JSON. The bytes go to an append-only file, read
 * back through the page cache. The heap keeps only a compact index entry per ticket: its file
 * offset and its start and write times in seconds (16 bytes), plus two bits (acknowledged,
 * served). Tickets are indexed in ticket id order, which is write order, so write times never
 * decrease along the index; start times lag write times by at most {@code maxLegSeconds}.
 *
 * <p>Semantics. When full ({@code capacity} unacknowledged tickets), the buffer drops NEW
 * tickets and records them. A request with {@code since} acknowledges every ticket whose start
 * time lies before {@code since}: those leave the buffer. The response then holds, of the
 * remaining tickets (exactly those whose start time is at or after {@code since}), the
 * {@code pageCap} that started first, ordered by start time and then ticket id. So a client
 * that asks again with {@code since} = the last record's start time reads every ticket the
 * buffer holds. A ticket the buffer already delivered in a complete response ({@link
 * #delivered}) whose start time is at or before {@code since} is acknowledged too: the client
 * only moves {@code since} to a time whose tickets it stored, so many tickets sharing one start
 * second page through however small the page cap. Start times are the PBX's local times
 * resolved in its zone (in the repeated hour of a DST change, the occurrence not after the
 * write time).
 *
 * <p>Thread-safe: every method locks the buffer, except that {@link #take} reads the file
 * outside the lock (written bytes never change).
 */
public final class TicketBuffer implements Closeable {
  /** Index times count seconds from 2000-01-01T00:00:00Z, so they fit an int until 2068. */
  private static final long EPOCH_BASE_SECOND = 946_684_800L;
  private static final DateTimeFormatter LOCAL_TIME =
      DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss");
  private static final int PENDING_BYTES = 1 << 18;
  private static final int COMPACT_AT_LEAST = 4096;
  private static final int MAX_EVICTED_IDS_KEPT = 10_000;

  private final int capacity;
  private final ZoneId zone;
  private final FileChannel file;
  private final ObjectMapper mapper = new ObjectMapper();
  private final ByteBuffer pending = ByteBuffer.allocate(PENDING_BYTES);
  private final RecordBytes recordBytes = new RecordBytes();

  private long[] offsets = new long[1024];
  private int[] startSeconds = new int[1024];
  private int[] writtenSeconds = new int[1024];
  private BitSet acknowledged = new BitSet();
  private BitSet served = new BitSet();
  /** Tickets a complete response carried: acknowledged by a {@code since} at their start. */
  private BitSet delivered = new BitSet();
  private int size;
  private int head;
  private int live;
  private long firstIndexedTicketId = 1;
  private long nextTicketId = 1;
  private long fileEnd;
  private long flushedEnd;
  private int maxLegSeconds;
  private long droppedCount;
  private final List<DroppedTicket> dropped = new ArrayList<>();
  private long evictedUnservedCount;
  private final List<Long> evictedUnservedIds = new ArrayList<>();

  /**
   * Creates an empty buffer whose records live in a new file in {@code directory}; the file is
   * deleted on {@link #close()}.
   *
   * @param capacity the maximum number of unacknowledged tickets before new ones are dropped
   * @param zone the PBX's time zone, in which ticket start times are local
   */
  public TicketBuffer(Path directory, int capacity, ZoneId zone) throws IOException {
    if (capacity < 1) {
      throw new IllegalArgumentException("bufferCapacity must be at least 1: " + capacity);
    }
    this.capacity = capacity;
    this.zone = zone;
    Files.createDirectories(directory);
    Path path = Files.createTempFile(directory, "tickets-", ".buffer");
    this.file = FileChannel.open(path, StandardOpenOption.READ, StandardOpenOption.WRITE,
        StandardOpenOption.DELETE_ON_CLOSE);
  }

  /**
   * Writes one ticket into the buffer, or drops it when the buffer is full.
   *
   * @param clockOffset how far the PBX clock is off: shifts the ticket's printed start time
   * @return the ticket id given to the ticket, or -1 when it was dropped
   */
  public synchronized long add(GeneratedTicket ticket, Duration clockOffset) {
    if (live >= capacity) {
      droppedCount++;
      dropped.add(new DroppedTicket(ticket.callId(), ticket.legIndex(), ticket.writtenAt()));
      return -1;
    }
    long ticketId = nextTicketId++;
    Instant reference = ticket.writtenAt().plus(clockOffset);
    LocalDateTime printedStart = printedStart(ticket.fields(), clockOffset);
    Instant start = printedStart == null ? reference : resolve(printedStart, reference);
    serialize(ticketId, ticket.fields(), clockOffset.isZero() ? null : printedStart);
    append(seconds(start), seconds(ticket.writtenAt()));
    return ticketId;
  }

  /**
   * Acknowledges every ticket that started before {@code since}, and every delivered one that
   * started at or before it, then returns the {@code pageCap} remaining tickets that started
   * first, by start time then ticket id, and marks them served.
   */
  public Page take(Instant since, int pageCap) {
    int sinceSecond = secondsRoundedUp(since);
    int deliveredUpTo = clamp(since.getEpochSecond() - EPOCH_BASE_SECOND);
    long[] ids;
    long[] runStarts;
    int[] lengths;
    synchronized (this) {
      acknowledgeBefore(sinceSecond, deliveredUpTo);
      int[] picked = pick(pageCap);
      flushPending();
      ids = new long[picked.length];
      runStarts = new long[picked.length];
      lengths = new int[picked.length];
      for (int k = 0; k < picked.length; k++) {
        int i = picked[k];
        served.set(i);
        ids[k] = firstIndexedTicketId + i;
        runStarts[k] = offsets[i];
        lengths[k] = (int) (end(i) - offsets[i]);
      }
    }
    return read(ids, runStarts, lengths);
  }

  /**
   * Records that a response carrying these tickets reached the client whole; a later request
   * whose {@code since} is at or after their start time acknowledges them. A cut response
   * delivers nothing.
   */
  public synchronized void delivered(long[] ticketIds) {
    for (long id : ticketIds) {
      long index = id - firstIndexedTicketId;
      if (index >= head && index < size) {
        delivered.set((int) index);
      }
    }
  }

  public synchronized BufferStatus status() {
    return new BufferStatus(capacity, live, nextTicketId - 1, droppedCount, evictedUnservedCount);
  }

  /** Returns the tickets dropped so far, in the order they were written. */
  public synchronized List<DroppedTicket> dropped() {
    return List.copyOf(dropped);
  }

  /** Returns the ids of tickets acknowledged before any response carried them (the first 10k). */
  public synchronized List<Long> evictedUnservedTicketIds() {
    return List.copyOf(evictedUnservedIds);
  }

  @Override
  public synchronized void close() throws IOException {
    file.close();
  }

  /** Returns the start time the PBX prints, shifted by its clock offset; null if unreadable. */
  private static LocalDateTime printedStart(ObjectNode fields, Duration clockOffset) {
    JsonNode startTime = fields.get("startTime");
    if (startTime == null) {
      return null;
    }
    try {
      return LocalDateTime.parse(startTime.asText()).plus(clockOffset);
    } catch (DateTimeParseException e) {
      // A ticket without a readable start time is indexed by its write time.
      return null;
    }
  }

  /** Resolves a PBX local time, picking in a repeated hour the occurrence not after reference. */
  private Instant resolve(LocalDateTime local, Instant reference) {
    List<ZoneOffset> valid = zone.getRules().getValidOffsets(local);
    if (valid.size() != 2) {
      return ZonedDateTime.ofLocal(local, zone, null).toInstant();
    }
    Instant first = local.toInstant(valid.get(0));
    Instant second = local.toInstant(valid.get(1));
    Instant earlier = first.isBefore(second) ? first : second;
    Instant later = first.isBefore(second) ? second : first;
    return later.isAfter(reference) ? earlier : later;
  }

  /**
   * Serializes the record into {@link #recordBytes}: {@code ticketId} first, then the fields in
   * their order, {@code startTime} replaced by {@code shiftedStart} when not null, then a comma.
   */
  private void serialize(long ticketId, ObjectNode fields, LocalDateTime shiftedStart) {
    recordBytes.reset();
    try (JsonGenerator json = mapper.getFactory().createGenerator(recordBytes)) {
      json.writeStartObject();
      json.writeNumberField("ticketId", ticketId);
      for (Map.Entry<String, JsonNode> field : fields.properties()) {
        String name = field.getKey();
        JsonNode value = field.getValue();
        if ("ticketId".equals(name)) {
          continue;
        }
        json.writeFieldName(name);
        if (shiftedStart != null && "startTime".equals(name)) {
          json.writeString(LOCAL_TIME.format(shiftedStart));
        } else if (value.isTextual()) {
          json.writeString(value.textValue());
        } else {
          mapper.writeTree(json, value);
        }
      }
      json.writeEndObject();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot serialize ticket " + ticketId, e);
    }
    recordBytes.write(',');
  }

  private void append(int startSecond, int writtenSecond) {
    if (size == offsets.length) {
      grow();
    }
    int previousWritten = size == 0 ? Integer.MIN_VALUE : writtenSeconds[size - 1];
    writtenSecond = Math.max(writtenSecond, previousWritten);
    offsets[size] = fileEnd;
    startSeconds[size] = startSecond;
    writtenSeconds[size] = writtenSecond;
    maxLegSeconds = Math.max(maxLegSeconds, writtenSecond - startSecond);
    size++;
    live++;
    write(recordBytes.buffer(), recordBytes.size());
  }

  private void write(byte[] bytes, int length) {
    if (length > pending.remaining()) {
      flushPending();
    }
    if (length > pending.capacity()) {
      writeFully(ByteBuffer.wrap(bytes, 0, length), fileEnd);
      flushedEnd += length;
    } else {
      pending.put(bytes, 0, length);
    }
    fileEnd += length;
  }

  private void flushPending() {
    pending.flip();
    int length = pending.remaining();
    writeFully(pending, flushedEnd);
    flushedEnd += length;
    pending.clear();
  }

  private void writeFully(ByteBuffer bytes, long position) {
    try {
      while (bytes.hasRemaining()) {
        position += file.write(bytes, position);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the ticket buffer file", e);
    }
  }

  private void acknowledgeBefore(int sinceSecond, int deliveredUpTo) {
    long bound = (long) Math.max(sinceSecond, deliveredUpTo + 1) + maxLegSeconds;
    int limit = firstWrittenAtOrAfter(bound > Integer.MAX_VALUE ? Integer.MAX_VALUE : (int) bound);
    for (int i = acknowledged.nextClearBit(head); i < limit; i = acknowledged.nextClearBit(i + 1)) {
      if (startSeconds[i] < sinceSecond
          || delivered.get(i) && startSeconds[i] <= deliveredUpTo) {
        acknowledge(i);
      }
    }
    head = Math.min(acknowledged.nextClearBit(head), size);
    if (head >= COMPACT_AT_LEAST && head * 2 >= size) {
      compact();
    }
  }

  // Limitation: see docs/known-limitations.md#oxo-sim-buffer-file
  private void acknowledge(int i) {
    acknowledged.set(i);
    live--;
    if (!served.get(i)) {
      evictedUnservedCount++;
      if (evictedUnservedIds.size() < MAX_EVICTED_IDS_KEPT) {
        evictedUnservedIds.add(firstIndexedTicketId + i);
      }
    }
  }

  /**
   * Returns the indexes of the {@code pageCap} live tickets with the earliest start times
   * (ties in ticket id order), sorted that way. Scans in write order and stops once no later
   * ticket can start earlier than the page's latest start: a ticket starts at most {@code
   * maxLegSeconds} before it is written.
   */
  private int[] pick(int pageCap) {
    PriorityQueue<Long> latest = new PriorityQueue<>(Comparator.reverseOrder());
    for (int i = acknowledged.nextClearBit(head); i < size; i = acknowledged.nextClearBit(i + 1)) {
      if (latest.size() == pageCap) {
        int latestStart = (int) (latest.peek() >> 32);
        if ((long) writtenSeconds[i] - maxLegSeconds >= latestStart) {
          break;
        }
      }
      long key = ((long) startSeconds[i] << 32) | i;
      if (latest.size() < pageCap) {
        latest.add(key);
      } else if (key < latest.peek()) {
        latest.poll();
        latest.add(key);
      }
    }
    int[] picked = new int[latest.size()];
    for (int k = picked.length - 1; k >= 0; k--) {
      picked[k] = (int) (latest.poll() & 0xFFFF_FFFFL);
    }
    return picked;
  }

  private int firstWrittenAtOrAfter(int second) {
    int low = head;
    int high = size;
    while (low < high) {
      int middle = (low + high) >>> 1;
      if (writtenSeconds[middle] < second) {
        low = middle + 1;
      } else {
        high = middle;
      }
    }
    return low;
  }

  private long end(int i) {
    return i + 1 < size ? offsets[i + 1] : fileEnd;
  }

  private Page read(long[] ids, long[] starts, int[] lengths) {
    int total = 0;
    int[] ends = new int[ids.length];
    for (int k = 0; k < ids.length; k++) {
      total += lengths[k];
      ends[k] = total;
    }
    byte[] data = new byte[total];
    int k = 0;
    while (k < ids.length) {
      // Reads each run of records that sit next to each other in the file with one call.
      int last = k;
      while (last + 1 < ids.length && starts[last + 1] == starts[last] + lengths[last]) {
        last++;
      }
      int from = k == 0 ? 0 : ends[k - 1];
      readFully(ByteBuffer.wrap(data, from, ends[last] - from), starts[k]);
      k = last + 1;
    }
    return new Page(data, ends, ids);
  }

  private void readFully(ByteBuffer target, long position) {
    try {
      while (target.hasRemaining()) {
        int read = file.read(target, position);
        if (read < 0) {
          throw new IOException("ticket buffer file ends early at byte " + position);
        }
        position += read;
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the ticket buffer file", e);
    }
  }

  private void grow() {
    int length = offsets.length * 2;
    offsets = Arrays.copyOf(offsets, length);
    startSeconds = Arrays.copyOf(startSeconds, length);
    writtenSeconds = Arrays.copyOf(writtenSeconds, length);
  }

  /** Drops the index entries of acknowledged tickets below head, keeping memory bounded. */
  private void compact() {
    int remaining = size - head;
    System.arraycopy(offsets, head, offsets, 0, remaining);
    System.arraycopy(startSeconds, head, startSeconds, 0, remaining);
    System.arraycopy(writtenSeconds, head, writtenSeconds, 0, remaining);
    acknowledged = acknowledged.get(head, Math.max(head, size));
    served = served.get(head, Math.max(head, size));
    delivered = delivered.get(head, Math.max(head, size));
    firstIndexedTicketId += head;
    size = remaining;
    head = 0;
  }

  /** A reusable output buffer whose bytes can be read without copying. */
  private static final class RecordBytes extends ByteArrayOutputStream {
    RecordBytes() {
      super(1024);
    }

    byte[] buffer() {
      return buf;
    }
  }

  private static int seconds(Instant instant) {
    return Math.toIntExact(instant.getEpochSecond() - EPOCH_BASE_SECOND);
  }

  private static int secondsRoundedUp(Instant instant) {
    long second = instant.getEpochSecond() + (instant.getNano() > 0 ? 1 : 0);
    return clamp(second - EPOCH_BASE_SECOND);
  }

  private static int clamp(long relativeSecond) {
    return (int) Math.max(Integer.MIN_VALUE + 1,
        Math.min(Integer.MAX_VALUE - 1, relativeSecond));
  }
}
