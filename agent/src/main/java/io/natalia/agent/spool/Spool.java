package io.natalia.agent.spool;

import io.natalia.agent.crypto.EncryptionKey;
import io.natalia.cdr.CallRecordId;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Consumer;
import javax.crypto.AEADBadTagException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.sqlite.SQLiteErrorCode;
import org.sqlite.SQLiteException;

/**
 * The disk buffer: records read from the PBX wait here until the cloud has them.
 *
 * <p>Design. One SQLite file in WAL mode with {@code synchronous=FULL}: a commit returns only
 * once the write-ahead log is on disk, so a {@code kill -9} or a power cut at any instant
 * leaves either the whole transaction or none of it. {@link #store} writes a page's new
 * records, its quarantined tickets and the moved cursor in one transaction, so the cursor never
 * runs ahead of durable records; {@link #acknowledge} deletes delivered records and quarantines
 * rejected ones in one transaction, so a crash between the cloud's 202 and the delete only
 * resends records the cloud then counts as duplicates.
 *
 * <p>Tables: {@code chunk} (the queue: the new records of a page, up to {@value
 * #MAX_CHUNK_RECORDS} records or {@value #MAX_CHUNK_BYTES} bytes of JSON a chunk, sealed with
 * AES-GCM in segments bound to the chunk's sequence number, see {@link Chunk}, with the count of
 * its leading records already acknowledged), {@code seen_record} (ids of the records read
 * within the overlap window, for de-duplication), {@code seen} (the same for quarantined
 * tickets), {@code quarantine} (sealed content with the reason) and {@code state} (the
 * cursor). Sealing a chunk instead of each record, and one row update per chunk when the
 * cloud acknowledges, keep the buffer's cost per record small.
 * The forwarder always takes the oldest records, so every chunk is acknowledged from its first
 * record on, and a chunk leaves the table when its last record is acknowledged.
 *
 * <p>A buffer written in the previous format, one sealed row per record in table {@code
 * record}, is moved into chunks when it is opened, a thousand records per transaction, so an
 * interrupted move resumes at the next open.
 *
 * <p>A file that SQLite reports as corrupt, or that fails {@code PRAGMA quick_check} at open,
 * is renamed to {@code <name>.corrupt-<millis>} and replaced by an empty one, and
 * {@code onCorrupt} receives a message so that the caller can raise NAT-AGT-015. The agent then
 * reads the PBX from its oldest ticket again.
 *
 * <p>{@link #store} seals a page's chunks on a thread of its own while it inserts their ids,
 * since both take about as long. Commits only append to the write-ahead log and sync it: a
 * {@link Checkpointer} copies the log into the database file on its own connection and thread.
 *
 * <p>A lock file keeps a second agent off the same buffer. Thread-safe: every method holds the
 * spool's monitor, except that {@link #peek} decrypts outside it.
 */
public final class Spool implements AutoCloseable {
  /** Most records sealed together. */
  static final int MAX_CHUNK_RECORDS = 1000;
  /**
   * Most bytes of JSON sealed together, so that a chunk's arrays stay below half a G1 heap
   * region (512 KiB in a 256 MiB heap). G1 allocates larger arrays in the old generation, and
   * with several per page they made garbage collection a third of the drain's CPU time.
   */
  static final int MAX_CHUNK_BYTES = 256 * 1024;
  private static final Logger log = LoggerFactory.getLogger(Spool.class);
  private static final String CURSOR = "cursor";
  private static final String LAST_TICKET_ID = "lastTicketId";
  private static final byte[] QUARANTINE_BINDING = "quarantine".getBytes(StandardCharsets.UTF_8);
  private static final String SELECT_HEAD = "SELECT seq, acknowledged, records, json_bytes, "
      + "payload FROM chunk ORDER BY seq LIMIT ?";
  private static final String INSERT_SEEN =
      "INSERT OR IGNORE INTO seen_record (started_at, id) VALUES (?, ?)";
  private static final String INSERT_CHUNK = "INSERT INTO chunk (seq, spooled_at, records, "
      + "acknowledged, json_bytes, payload) VALUES (?, ?, ?, 0, ?, ?)";
  private static final String SELECT_PROGRESS =
      "SELECT acknowledged, records FROM chunk WHERE seq = ?";
  private static final String UPDATE_PROGRESS = "UPDATE chunk SET acknowledged = ? WHERE seq = ?";
  private static final String DELETE_CHUNK = "DELETE FROM chunk WHERE seq = ?";
  private static final String FORGET_SEEN_RECORDS = "DELETE FROM seen_record WHERE started_at < ?";
  private static final String FORGET_SEEN_QUARANTINED = "DELETE FROM seen WHERE started_at < ?";
  /**
   * Page size of a new buffer file. A chunk of 256 KiB then spans 4 overflow pages instead of
   * 64, and the log gets fewer, larger frames. In the agent benchmark a commit of a page of
   * 5 000 records took less than half as long as with 4 KiB pages. A file keeps the page size it
   * was created with.
   */
  private static final int NEW_FILE_PAGE_BYTES = 64 * 1024;

  private final Path file;
  private final EncryptionKey key;
  private final InstantSource clock;
  private final FileChannel lockChannel;
  private final FileLock lock;
  private final Connection db;
  private final Checkpointer checkpointer;
  /** Seals the chunks of a page while {@link #store} inserts their ids. */
  private final ExecutorService sealer = Executors.newSingleThreadExecutor(
      task -> Thread.ofPlatform().daemon().name("natalia-seal").unstarted(task));
  private final long pageSize;
  /** Statements of the hot paths, prepared once; used under the spool's monitor. */
  private final Map<String, PreparedStatement> statements = new HashMap<>();
  /** The sequence number of the next chunk, which its seal is bound to. */
  private long nextChunk;

  private Spool(Path file, EncryptionKey key, InstantSource clock, FileChannel lockChannel,
      FileLock lock, Connection db, Checkpointer checkpointer) throws SQLException {
    this.file = file;
    this.key = key;
    this.clock = clock;
    this.lockChannel = lockChannel;
    this.lock = lock;
    this.db = db;
    this.checkpointer = checkpointer;
    this.pageSize = queryLong("PRAGMA page_size");
    this.nextChunk = queryLong("SELECT coalesce((SELECT seq FROM sqlite_sequence "
        + "WHERE name = 'chunk'), 0)") + 1;
  }

  /**
   * Opens the buffer, creating it when missing and moving records of the previous format into
   * chunks; a corrupt file is set aside and replaced by an empty one, and {@code onCorrupt}
   * receives a message naming both files.
   *
   * @throws SpoolException when the file cannot be opened for another reason (permissions, a
   *     full disk, another agent holding it)
   */
  public static Spool open(Path file, EncryptionKey key, InstantSource clock,
      Consumer<String> onCorrupt) {
    FileChannel lockChannel = null;
    try {
      Files.createDirectories(file.toAbsolutePath().getParent());
      lockChannel = FileChannel.open(file.resolveSibling(file.getFileName() + ".lock"),
          StandardOpenOption.CREATE, StandardOpenOption.WRITE);
      FileLock lock;
      try {
        lock = lockChannel.tryLock();
      } catch (OverlappingFileLockException e) {
        lock = null;
      }
      if (lock == null) {
        throw new SpoolException("disk buffer " + file + " is in use by another agent process; "
            + "stop it first", null);
      }
      Connection db = connectOrSetAside(file, onCorrupt);
      Checkpointer checkpointer;
      try {
        checkpointer = Checkpointer.start(file);
      } catch (SQLException e) {
        db.close();
        throw e;
      }
      Spool spool = new Spool(file, key, clock, lockChannel, lock, db, checkpointer);
      try {
        spool.moveRecordsOfPreviousFormat();
        spool.moveSeenRecordIds();
      } catch (SQLException | RuntimeException e) {
        spool.close();
        throw e;
      }
      return spool;
    } catch (IOException | SQLException e) {
      closeQuietly(lockChannel);
      throw new SpoolException("cannot open disk buffer " + file + ": " + e.getMessage(), e);
    } catch (SpoolException e) {
      closeQuietly(lockChannel);
      throw e;
    }
  }

  /** Returns the file of this buffer. */
  public Path file() {
    return file;
  }

  /**
   * Returns the {@code since} the next poll starts from (everything that started before it was
   * read), or {@code null} before the first poll.
   */
  public synchronized Instant cursor() {
    String value = stateValue(CURSOR);
    return value == null ? null : Instant.parse(value);
  }

  /** Returns the highest PBX ticket number read so far, or {@code null}. */
  public synchronized Long lastTicketId() {
    String value = stateValue(LAST_TICKET_ID);
    return value == null ? null : Long.valueOf(value);
  }

  /** Stores the highest PBX ticket number read so far. */
  public synchronized void lastTicketId(long ticketId) {
    try {
      putState(LAST_TICKET_ID, Long.toString(ticketId));
      db.commit();
    } catch (SQLException e) {
      throw failure("store the last ticket number", e);
    }
  }

  /**
   * Stores one page in one durable transaction: the records not seen before, sealed in chunks,
   * the quarantined tickets not seen before, and the cursor moved to {@code cursor} (never
   * backwards; {@code null} leaves it). Ids seen before {@code forgetSeenBefore} are forgotten.
   */
  public synchronized StoreResult store(List<WireRecord> records,
      List<QuarantineEntry> quarantined, Instant cursor, Instant forgetSeenBefore) {
    List<SealingChunk> chunks = sealAhead(records);
    try {
      Instant current = cursor();
      boolean[] isNew = insertSeen(records);
      insertSealed(chunks, records, isNew);
      int freshQuarantined = insertQuarantined(quarantined, current);
      if (cursor != null && (current == null || cursor.isAfter(current))) {
        putState(CURSOR, cursor.toString());
      }
      forgetSeen(forgetSeenBefore);
      commit();
      int newRecords = 0;
      List<Long> freshTicketIds = new ArrayList<>();
      for (int i = 0; i < records.size(); i++) {
        if (isNew[i]) {
          newRecords++;
          if (records.get(i).ticketId() != null) {
            freshTicketIds.add(records.get(i).ticketId());
          }
        }
      }
      return new StoreResult(newRecords, freshQuarantined, freshTicketIds);
    } catch (SQLException e) {
      cancel(chunks);
      rollbackQuietly();
      throw failure("store " + records.size() + " records", e);
    } catch (RuntimeException e) {
      cancel(chunks);
      rollbackQuietly();
      throw e;
    }
  }

  /**
   * Returns the oldest waiting records, at most {@code maxRecords} and {@code maxBytes} of JSON
   * (always at least one when any waits). A chunk that fails to decrypt goes to the quarantine.
   */
  public List<PendingRecord> peek(int maxRecords, long maxBytes) {
    List<SealedChunk> chunks = readHead(maxRecords, maxBytes);
    // Chunks are decrypted after the lock is released, so the poller can store pages meanwhile.
    List<PendingRecord> batch = new ArrayList<>();
    List<Long> undecryptable = new ArrayList<>();
    long bytes = 0;
    boolean full = false;
    for (SealedChunk chunk : chunks) {
      if (full) {
        break;
      }
      List<Chunk.Entry> entries;
      try {
        entries = Chunk.open(chunk.payload(), chunk.seq(), key);
      } catch (AEADBadTagException | IllegalArgumentException e) {
        undecryptable.add(chunk.seq());
        continue;
      }
      // A batch is the oldest records without a gap: the first that does not fit ends it.
      for (int i = chunk.acknowledged(); i < entries.size(); i++) {
        Chunk.Entry entry = entries.get(i);
        full = batch.size() == maxRecords
            || !batch.isEmpty() && bytes + entry.length() > maxBytes;
        if (full) {
          break;
        }
        bytes += entry.length();
        batch.add(new PendingRecord(chunk.seq(), i, entry.id(), entry.buffer(), entry.offset(),
            entry.length()));
      }
    }
    if (!undecryptable.isEmpty()) {
      quarantineUndecryptable(undecryptable);
    }
    return batch;
  }

  /** A chunk as stored. */
  private record SealedChunk(long seq, int acknowledged, byte[] payload) {}

  /** Reads the oldest chunks, enough for {@code maxRecords} or {@code maxBytes} of JSON. */
  private synchronized List<SealedChunk> readHead(int maxRecords, long maxBytes) {
    List<SealedChunk> chunks = new ArrayList<>();
    try {
      PreparedStatement select = statement(SELECT_HEAD);
      // A chunk holds at least one waiting record, so maxRecords chunks are always enough.
      select.setInt(1, maxRecords);
      long bytes = 0;
      int records = 0;
      try (ResultSet rows = select.executeQuery()) {
        while (records < maxRecords && bytes < maxBytes && rows.next()) {
          int acknowledged = rows.getInt(2);
          chunks.add(new SealedChunk(rows.getLong(1), acknowledged, rows.getBytes(5)));
          records += rows.getInt(3) - acknowledged;
          bytes += rows.getLong(4);
        }
      }
      return chunks;
    } catch (SQLException e) {
      rollbackQuietly();
      throw failure("read waiting records", e);
    }
  }

  /**
   * Deletes delivered records and moves rejected ones to the quarantine, in one durable
   * transaction. Records are acknowledged oldest first within each chunk, as {@link #peek}
   * returns them; records acknowledged before are skipped.
   *
   * @throws IllegalArgumentException when a record is acknowledged before an older one of its
   *     chunk; nothing is changed then
   */
  public synchronized void acknowledge(List<PendingRecord> delivered,
      List<Rejected> rejected) {
    TreeMap<Long, List<Integer>> byChunk = new TreeMap<>();
    for (PendingRecord record : delivered) {
      byChunk.computeIfAbsent(record.chunk(), c -> new ArrayList<>()).add(record.index());
    }
    for (Rejected reject : rejected) {
      byChunk.computeIfAbsent(reject.record().chunk(), c -> new ArrayList<>())
          .add(reject.record().index());
    }
    try {
      for (Map.Entry<Long, List<Integer>> chunk : byChunk.entrySet()) {
        advance(chunk.getKey(), chunk.getValue());
      }
      for (Rejected reject : rejected) {
        insertQuarantine(reject.code(), reject.reason(),
            new String(reject.record().json(), StandardCharsets.UTF_8));
      }
      commit();
    } catch (SQLException e) {
      rollbackQuietly();
      throw failure("acknowledge " + delivered.size() + " delivered records", e);
    } catch (IllegalArgumentException e) {
      rollbackQuietly();
      throw e;
    }
  }

  /** Moves a chunk's acknowledged count past {@code indexes}; deletes it when all are. */
  private void advance(long seq, List<Integer> indexes) throws SQLException {
    PreparedStatement select = statement(SELECT_PROGRESS);
    select.setLong(1, seq);
    int next;
    int records;
    try (ResultSet row = select.executeQuery()) {
      if (!row.next()) {
        return;
      }
      next = row.getInt(1);
      records = row.getInt(2);
    }
    indexes.sort(null);
    for (int index : indexes) {
      if (index < next) {
        continue;
      }
      if (index != next) {
        throw new IllegalArgumentException("records of chunk " + seq + " must be acknowledged "
            + "oldest first: record " + index + " comes before record " + next);
      }
      next++;
    }
    if (next >= records) {
      PreparedStatement delete = statement(DELETE_CHUNK);
      delete.setLong(1, seq);
      delete.executeUpdate();
    } else {
      PreparedStatement update = statement(UPDATE_PROGRESS);
      update.setInt(1, next);
      update.setLong(2, seq);
      update.executeUpdate();
    }
  }

  /**
   * A record the cloud rejected, with its code and reason.
   *
   * @param record the record as sent
   * @param code the cloud's error code
   * @param reason the cloud's reason
   */
  public record Rejected(PendingRecord record, String code, String reason) {}

  /**
   * Counts of what {@link #store} kept.
   *
   * @param newRecords records stored for the first time
   * @param newQuarantined tickets quarantined for the first time
   * @param newTicketIds the PBX ticket numbers of the new records that had one
   */
  public record StoreResult(int newRecords, int newQuarantined, List<Long> newTicketIds) {}

  /** Returns the number of records waiting. */
  public synchronized long pendingCount() {
    return queryLongOrFail("SELECT coalesce(sum(records - acknowledged), 0) FROM chunk");
  }

  /** Returns the background checkpointer, for tests that wait for it. */
  Checkpointer checkpointer() {
    return checkpointer;
  }

  /** Returns the number of quarantined records. */
  public synchronized long quarantineCount() {
    return queryLongOrFail("SELECT count(*) FROM quarantine");
  }

  /** Returns the bytes the buffer's database uses, free pages excluded. */
  public synchronized long usedBytes() {
    return pageSize * (queryLongOrFail("PRAGMA page_count")
        - queryLongOrFail("PRAGMA freelist_count"));
  }

  /** Returns the age of the oldest waiting record, zero when none waits. */
  public synchronized Duration lag() {
    long oldest = queryLongOrFail("SELECT coalesce(min(spooled_at), -1) FROM chunk");
    if (oldest < 0) {
      return Duration.ZERO;
    }
    Duration age = Duration.between(Instant.ofEpochMilli(oldest), clock.instant());
    return age.isNegative() ? Duration.ZERO : age;
  }

  /** Returns the newest quarantined entries, decrypted, at most {@code limit}. */
  public synchronized List<QuarantineEntry> quarantine(int limit) {
    List<QuarantineEntry> entries = new ArrayList<>();
    try (PreparedStatement select = db.prepareStatement(
        "SELECT code, reason, content FROM quarantine ORDER BY seq DESC LIMIT ?")) {
      select.setInt(1, limit);
      try (ResultSet rows = select.executeQuery()) {
        while (rows.next()) {
          String content;
          try {
            content = new String(key.open(rows.getBytes(3), QUARANTINE_BINDING),
                StandardCharsets.UTF_8);
          } catch (AEADBadTagException e) {
            content = "(cannot be decrypted with the current key)";
          }
          entries.add(new QuarantineEntry(rows.getString(1), rows.getString(2), content));
        }
      }
      return entries;
    } catch (SQLException e) {
      throw failure("read the quarantine", e);
    }
  }

  @Override
  public synchronized void close() {
    sealer.shutdownNow();
    checkpointer.close();
    try {
      db.close();
    } catch (SQLException e) {
      log.warn("Closing disk buffer {} failed: {}", file, e.getMessage());
    }
    try {
      lock.release();
    } catch (IOException e) {
      log.debug("Releasing the lock of {} failed", file, e);
    }
    closeQuietly(lockChannel);
  }

  /**
   * Inserts the ids into {@code seen_record} and returns, by record, whether its id was new.
   *
   * <p>The table is keyed by start time, then id, with no other index: a page's tickets come in
   * start order, so its rows append at the end of one B-tree, and forgetting the oldest deletes
   * its beginning. That costs about half of a table keyed by id with an index on the start. A
   * ticket served again has the same start, since its id hashes the start as printed. Only a
   * change of {@code pbx.timeZone} within the overlap window reads the same printed start as
   * another instant: such a ticket is buffered twice, and the cloud counts the second copy as
   * a duplicate of its id.
   */
  private boolean[] insertSeen(List<WireRecord> records) throws SQLException {
    PreparedStatement insertSeen = statement(INSERT_SEEN);
    for (WireRecord record : records) {
      insertSeen.setLong(1, record.startedAt().toEpochMilli());
      insertSeen.setString(2, record.id());
      insertSeen.addBatch();
    }
    int[] inserted = insertSeen.executeBatch();
    boolean[] isNew = new boolean[records.size()];
    for (int i = 0; i < records.size(); i++) {
      isNew[i] = inserted[i] > 0;
    }
    return isNew;
  }

  /**
   * A chunk of a page being sealed on {@link #sealer}.
   *
   * @param from the index of its first record in the page
   * @param to the index after its last record
   * @param seq its sequence number, which the seal is bound to
   * @param payload the sealed chunk, once sealed
   */
  private record SealingChunk(int from, int to, long seq, Future<byte[]> payload) {}

  /**
   * Splits the records in chunks of at most {@link #MAX_CHUNK_RECORDS} records and {@link
   * #MAX_CHUNK_BYTES} bytes and starts sealing them on {@link #sealer}, as if every record were
   * new, so that sealing runs while the ids go into {@code seen_record}. Each chunk reserves its
   * sequence number here, and a chunk whose records were all seen before leaves a gap.
   */
  private List<SealingChunk> sealAhead(List<WireRecord> records) {
    List<SealingChunk> chunks = new ArrayList<>();
    int from = 0;
    int bytes = 0;
    for (int i = 0; i < records.size(); i++) {
      int length = records.get(i).json().length;
      if (i - from == MAX_CHUNK_RECORDS || i > from && bytes + length > MAX_CHUNK_BYTES) {
        chunks.add(startSealing(records, from, i));
        from = i;
        bytes = 0;
      }
      bytes += length;
    }
    if (from < records.size()) {
      chunks.add(startSealing(records, from, records.size()));
    }
    return chunks;
  }

  private SealingChunk startSealing(List<WireRecord> records, int from, int to) {
    long seq = nextChunk++;
    List<Chunk.Entry> entries = entries(records.subList(from, to));
    return new SealingChunk(from, to, seq, sealer.submit(() -> Chunk.seal(entries, seq, key)));
  }

  /**
   * Inserts the chunks in page order, each with its new records only. A chunk with records seen
   * before is sealed again without them, under the same sequence number.
   */
  private void insertSealed(List<SealingChunk> chunks, List<WireRecord> records,
      boolean[] isNew) throws SQLException {
    for (SealingChunk chunk : chunks) {
      List<WireRecord> fresh = new ArrayList<>(chunk.to() - chunk.from());
      int bytes = 0;
      for (int i = chunk.from(); i < chunk.to(); i++) {
        if (isNew[i]) {
          fresh.add(records.get(i));
          bytes += records.get(i).json().length;
        }
      }
      byte[] payload;
      if (fresh.size() == chunk.to() - chunk.from()) {
        payload = sealed(chunk.payload());
      } else {
        chunk.payload().cancel(false);
        if (fresh.isEmpty()) {
          continue;
        }
        payload = Chunk.seal(entries(fresh), chunk.seq(), key);
      }
      insertChunk(chunk.seq(), fresh.size(), bytes, payload, clock.millis());
    }
  }

  private static List<Chunk.Entry> entries(List<WireRecord> records) {
    List<Chunk.Entry> entries = new ArrayList<>(records.size());
    for (WireRecord record : records) {
      entries.add(new Chunk.Entry(record.id(), record.json()));
    }
    return entries;
  }

  /** Waits for a chunk sealed on {@link #sealer}. */
  private static byte[] sealed(Future<byte[]> payload) {
    try {
      return payload.get();
    } catch (ExecutionException e) {
      if (e.getCause() instanceof RuntimeException failure) {
        throw failure;
      }
      throw new IllegalStateException("sealing a chunk failed", e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new SpoolException("interrupted while sealing records; nothing was stored", e);
    }
  }

  private static void cancel(List<SealingChunk> chunks) {
    for (SealingChunk chunk : chunks) {
      chunk.payload().cancel(false);
    }
  }

  /** Seals the records as the next chunk and inserts it. */
  private void insertChunk(List<Chunk.Entry> entries, int jsonBytes, long spooledAt)
      throws SQLException {
    long seq = nextChunk++;
    insertChunk(seq, entries.size(), jsonBytes, Chunk.seal(entries, seq, key), spooledAt);
  }

  private void insertChunk(long seq, int records, int jsonBytes, byte[] payload,
      long spooledAt) throws SQLException {
    PreparedStatement insert = statement(INSERT_CHUNK);
    insert.setLong(1, seq);
    insert.setLong(2, spooledAt);
    insert.setInt(3, records);
    insert.setInt(4, jsonBytes);
    insert.setBytes(5, payload);
    insert.executeUpdate();
  }

  private int insertQuarantined(List<QuarantineEntry> entries, Instant cursor)
      throws SQLException {
    int fresh = 0;
    long seenAt = cursor == null ? clock.millis() : cursor.toEpochMilli();
    try (PreparedStatement insertSeen = db.prepareStatement(
        "INSERT OR IGNORE INTO seen (id, started_at) VALUES (?, ?)")) {
      for (QuarantineEntry entry : entries) {
        insertSeen.setString(1, "q:" + CallRecordId.of("quarantine", entry.content()));
        insertSeen.setLong(2, seenAt);
        if (insertSeen.executeUpdate() > 0) {
          insertQuarantine(entry.code(), entry.reason(), entry.content());
          fresh++;
        }
      }
    }
    return fresh;
  }

  private void insertQuarantine(String code, String reason, String content)
      throws SQLException {
    try (PreparedStatement insert = db.prepareStatement(
        "INSERT INTO quarantine (at, code, reason, content) VALUES (?, ?, ?, ?)")) {
      insert.setLong(1, clock.millis());
      insert.setString(2, code);
      insert.setString(3, reason);
      insert.setBytes(4, key.seal(content.getBytes(StandardCharsets.UTF_8),
          QUARANTINE_BINDING));
      insert.executeUpdate();
    }
  }

  private synchronized void quarantineUndecryptable(List<Long> chunks) {
    try {
      PreparedStatement delete = statement(DELETE_CHUNK);
      for (long seq : chunks) {
        delete.setLong(1, seq);
        delete.executeUpdate();
        insertQuarantine("NAT-AGT-015", "chunk " + seq + " of the disk buffer cannot be "
            + "decrypted with the current key file", "");
      }
      db.commit();
    } catch (SQLException e) {
      rollbackQuietly();
      throw failure("quarantine undecryptable records", e);
    }
    log.error("NAT-AGT-015 {} chunks of records of {} cannot be decrypted with the current key "
        + "file and were quarantined", chunks.size(), file);
  }

  /**
   * Moves the records of a buffer written in the previous format (table {@code record}, one
   * row sealed per record and bound to its id) into chunks, a chunk per transaction, and drops
   * the table once empty. A record that fails to decrypt goes to the quarantine, as it would
   * have when forwarded.
   */
  private synchronized void moveRecordsOfPreviousFormat() throws SQLException {
    if (queryLong("SELECT count(*) FROM sqlite_master WHERE type = 'table' "
        + "AND name = 'record'") == 0) {
      return;
    }
    long moved = 0;
    long undecryptable = 0;
    try (PreparedStatement select = db.prepareStatement("SELECT seq, id, spooled_at, payload "
            + "FROM record ORDER BY seq LIMIT " + MAX_CHUNK_RECORDS);
        PreparedStatement delete = db.prepareStatement("DELETE FROM record WHERE seq <= ?")) {
      while (true) {
        List<Chunk.Entry> entries = new ArrayList<>();
        long lastSeq = -1;
        long oldest = Long.MAX_VALUE;
        int bytes = 0;
        try (ResultSet rows = select.executeQuery()) {
          while (rows.next()) {
            lastSeq = rows.getLong(1);
            String id = rows.getString(2);
            oldest = Math.min(oldest, rows.getLong(3));
            try {
              byte[] json = key.open(rows.getBytes(4), id.getBytes(StandardCharsets.UTF_8));
              entries.add(new Chunk.Entry(id, json));
              bytes += json.length;
            } catch (AEADBadTagException e) {
              undecryptable++;
              insertQuarantine("NAT-AGT-015", "record " + lastSeq + " of the disk buffer cannot "
                  + "be decrypted with the current key file", "");
            }
          }
        }
        if (lastSeq < 0) {
          break;
        }
        if (!entries.isEmpty()) {
          insertChunk(entries, bytes, oldest);
        }
        delete.setLong(1, lastSeq);
        delete.executeUpdate();
        db.commit();
        moved += entries.size();
      }
    } catch (SQLException | RuntimeException e) {
      rollbackQuietly();
      throw e;
    }
    try (Statement statement = db.createStatement()) {
      statement.execute("DROP TABLE record");
    }
    db.commit();
    log.info("Moved {} records of disk buffer {} from the previous format into chunks", moved,
        file);
    if (undecryptable > 0) {
      log.error("NAT-AGT-015 {} records of {} cannot be decrypted with the current key file "
          + "and were quarantined", undecryptable, file);
    }
  }

  private void forgetSeen(Instant before) throws SQLException {
    if (before == null) {
      return;
    }
    for (String sql : new String[] {FORGET_SEEN_RECORDS, FORGET_SEEN_QUARANTINED}) {
      PreparedStatement delete = statement(sql);
      delete.setLong(1, before.toEpochMilli());
      delete.executeUpdate();
    }
  }

  /**
   * Moves the record ids of a buffer written before {@code seen_record} existed out of
   * {@code seen}, which keeps only the ids of quarantined tickets ({@code q:...}).
   */
  private synchronized void moveSeenRecordIds() throws SQLException {
    try (Statement statement = db.createStatement()) {
      int moved = statement.executeUpdate("INSERT OR IGNORE INTO seen_record (started_at, id) "
          + "SELECT started_at, id FROM seen WHERE id NOT LIKE 'q:%'");
      if (moved > 0) {
        statement.executeUpdate("DELETE FROM seen WHERE id NOT LIKE 'q:%'");
        log.info("Moved {} record ids of disk buffer {} into table seen_record", moved, file);
      }
      db.commit();
    } catch (SQLException e) {
      rollbackQuietly();
      throw e;
    }
  }

  /** Commits the open transaction durably and requests a checkpoint of the log. */
  private void commit() throws SQLException {
    db.commit();
    checkpointer.request();
  }

  /** Returns the connection's statement for {@code sql}, prepared on first use. */
  private PreparedStatement statement(String sql) throws SQLException {
    PreparedStatement statement = statements.get(sql);
    if (statement == null) {
      statement = db.prepareStatement(sql);
      statements.put(sql, statement);
    }
    return statement;
  }

  private String stateValue(String name) {
    try (PreparedStatement select = db.prepareStatement(
        "SELECT value FROM state WHERE key = ?")) {
      select.setString(1, name);
      try (ResultSet rows = select.executeQuery()) {
        return rows.next() ? rows.getString(1) : null;
      }
    } catch (SQLException e) {
      throw failure("read " + name, e);
    }
  }

  private void putState(String name, String value) throws SQLException {
    try (PreparedStatement upsert = db.prepareStatement(
        "INSERT INTO state (key, value) VALUES (?, ?) "
            + "ON CONFLICT (key) DO UPDATE SET value = excluded.value")) {
      upsert.setString(1, name);
      upsert.setString(2, value);
      upsert.executeUpdate();
    }
  }

  private long queryLong(String sql) throws SQLException {
    try (Statement statement = db.createStatement();
        ResultSet rows = statement.executeQuery(sql)) {
      rows.next();
      return rows.getLong(1);
    }
  }

  private long queryLongOrFail(String sql) {
    try {
      return queryLong(sql);
    } catch (SQLException e) {
      throw failure("run " + sql, e);
    }
  }

  private SpoolException failure(String action, SQLException e) {
    return new SpoolException("cannot " + action + " in disk buffer " + file + ": "
        + e.getMessage(), e);
  }

  private void rollbackQuietly() {
    try {
      for (PreparedStatement statement : statements.values()) {
        statement.clearBatch();
      }
      db.rollback();
    } catch (SQLException e) {
      log.debug("Rollback of {} failed", file, e);
    }
  }

  /** Returns whether SQLite reported the file as damaged or not a database. */
  public static boolean isCorruption(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof SQLiteException sqlite) {
        SQLiteErrorCode code = sqlite.getResultCode();
        if (code == SQLiteErrorCode.SQLITE_CORRUPT || code == SQLiteErrorCode.SQLITE_NOTADB) {
          return true;
        }
      }
      if (t instanceof CorruptSpoolException) {
        return true;
      }
    }
    return false;
  }

  private static Connection connectOrSetAside(Path file, Consumer<String> onCorrupt)
      throws SQLException, IOException {
    try {
      return connect(file);
    } catch (SQLException | CorruptSpoolException e) {
      if (!isCorruption(e)) {
        throw e instanceof SQLException sql ? sql : new SQLException(e);
      }
      Path aside = setAside(file);
      onCorrupt.accept("disk buffer " + file + " is corrupt (" + e.getMessage()
          + "); set aside as " + aside + " and replaced by an empty one");
      return connect(file);
    }
  }

  private static Connection connect(Path file) throws SQLException {
    Connection db = DriverManager.getConnection("jdbc:sqlite:" + file);
    try (Statement statement = db.createStatement()) {
      // Ignored by SQLite once the file has tables.
      statement.execute("PRAGMA page_size=" + NEW_FILE_PAGE_BYTES);
      statement.execute("PRAGMA journal_mode=WAL");
      // FULL: a commit waits until the write-ahead log is on disk (WAL + NORMAL may lose the
      // last transactions on power loss, which would lose records the cursor already passed).
      statement.execute("PRAGMA synchronous=FULL");
      statement.execute("PRAGMA busy_timeout=5000");
      try (ResultSet check = statement.executeQuery("PRAGMA quick_check")) {
        String result = check.next() ? check.getString(1) : "no answer";
        if (!"ok".equals(result)) {
          db.close();
          throw new CorruptSpoolException("quick_check: " + result);
        }
      }
      statement.execute("CREATE TABLE IF NOT EXISTS chunk (seq INTEGER PRIMARY KEY "
          + "AUTOINCREMENT, spooled_at INTEGER NOT NULL, records INTEGER NOT NULL, "
          + "acknowledged INTEGER NOT NULL, json_bytes INTEGER NOT NULL, payload BLOB NOT NULL)");
      statement.execute("CREATE TABLE IF NOT EXISTS seen_record (started_at INTEGER NOT NULL, "
          + "id TEXT NOT NULL, PRIMARY KEY (started_at, id)) WITHOUT ROWID");
      statement.execute("CREATE TABLE IF NOT EXISTS seen (id TEXT PRIMARY KEY, "
          + "started_at INTEGER NOT NULL) WITHOUT ROWID");
      statement.execute("CREATE INDEX IF NOT EXISTS seen_started_at ON seen (started_at)");
      statement.execute("CREATE TABLE IF NOT EXISTS quarantine (seq INTEGER PRIMARY KEY "
          + "AUTOINCREMENT, at INTEGER NOT NULL, code TEXT NOT NULL, reason TEXT NOT NULL, "
          + "content BLOB NOT NULL)");
      statement.execute("CREATE TABLE IF NOT EXISTS state (key TEXT PRIMARY KEY, "
          + "value TEXT NOT NULL)");
    } catch (SQLException | RuntimeException e) {
      db.close();
      throw e;
    }
    db.setAutoCommit(false);
    return db;
  }

  private static Path setAside(Path file) throws IOException {
    Path aside = file.resolveSibling(file.getFileName() + ".corrupt-" + System.currentTimeMillis());
    Files.move(file, aside);
    for (String suffix : new String[] {"-wal", "-shm"}) {
      Path companion = file.resolveSibling(file.getFileName() + suffix);
      if (Files.exists(companion)) {
        Files.move(companion, aside.resolveSibling(aside.getFileName() + suffix));
      }
    }
    return aside;
  }

  private static void closeQuietly(FileChannel channel) {
    if (channel == null) {
      return;
    }
    try {
      channel.close();
    } catch (IOException e) {
      log.debug("Closing a lock file failed", e);
    }
  }

  /** {@code PRAGMA quick_check} found damage. */
  private static final class CorruptSpoolException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    CorruptSpoolException(String message) {
      super(message);
    }
  }
}
