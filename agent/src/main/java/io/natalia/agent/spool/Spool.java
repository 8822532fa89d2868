package io.natalia.agent.spool;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.natalia.agent.crypto.EncryptionKey;
import io.natalia.cdr.CallRecord;
import io.natalia.cdr.CallRecordCodec;
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
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
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
 * <p>Tables: {@code record} (the queue, ordered by {@code seq}, payload sealed with AES-GCM and
 * bound to the record id), {@code seen} (ids read within the overlap window, for de-duplication),
 * {@code quarantine} (sealed content with the reason) and {@code state} (the cursor).
 *
 * <p>A file that SQLite reports as corrupt, or that fails {@code PRAGMA quick_check} at open,
 * is renamed to {@code <name>.corrupt-<millis>} and replaced by an empty one, and
 * {@code onCorrupt} receives a message so that the caller can raise NAT-AGT-015. The agent then
 * reads the PBX from its oldest ticket again.
 *
 * <p>A lock file keeps a second agent off the same buffer. Thread-safe: every method holds the
 * spool's monitor.
 */
public final class Spool implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Spool.class);
  private static final String CURSOR = "cursor";
  private static final String LAST_TICKET_ID = "lastTicketId";
  private static final byte[] QUARANTINE_BINDING = "quarantine".getBytes(StandardCharsets.UTF_8);
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String SELECT_OLDEST =
      "SELECT seq, id, payload FROM record ORDER BY seq LIMIT ?";
  private static final String DELETE_RECORD = "DELETE FROM record WHERE seq = ?";
  private static final String INSERT_SEEN =
      "INSERT OR IGNORE INTO seen (id, started_at) VALUES (?, ?)";
  private static final String INSERT_RECORD =
      "INSERT INTO record (id, spooled_at, payload) VALUES (?, ?, ?)";

  private final Path file;
  private final EncryptionKey key;
  private final InstantSource clock;
  private final CallRecordCodec codec;
  private final FileChannel lockChannel;
  private final FileLock lock;
  private final Connection db;
  private final long pageSize;
  /** Statements of the hot paths, prepared once; used under the spool's monitor. */
  private final Map<String, PreparedStatement> statements = new HashMap<>();

  private Spool(Path file, EncryptionKey key, InstantSource clock, FileChannel lockChannel,
      FileLock lock, Connection db) throws SQLException {
    this.file = file;
    this.key = key;
    this.clock = clock;
    this.codec = new CallRecordCodec(Clock.systemUTC());
    this.lockChannel = lockChannel;
    this.lock = lock;
    this.db = db;
    this.pageSize = queryLong("PRAGMA page_size");
  }

  /**
   * Opens the buffer, creating it when missing; a corrupt file is set aside and replaced by an
   * empty one, and {@code onCorrupt} receives a message naming both files.
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
      return new Spool(file, key, clock, lockChannel, lock, db);
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
   * Stores one page in one durable transaction: the records not seen before, the quarantined
   * tickets not seen before, and the cursor moved to {@code cursor} (never backwards; {@code
   * null} leaves it). Ids seen before {@code forgetSeenBefore} are forgotten.
   */
  public StoreResult store(List<CallRecord> records,
      List<QuarantineEntry> quarantined, Instant cursor, Instant forgetSeenBefore) {
    // Records are encrypted before the lock is taken, so the forwarder can read and delete
    // meanwhile. Limitation: see docs/known-limitations.md#agent-throughput
    List<byte[]> payloads = new ArrayList<>(records.size());
    for (CallRecord record : records) {
      payloads.add(seal(record));
    }
    synchronized (this) {
      return storeSealed(records, payloads, quarantined, cursor, forgetSeenBefore);
    }
  }

  private StoreResult storeSealed(List<CallRecord> records, List<byte[]> payloads,
      List<QuarantineEntry> quarantined, Instant cursor, Instant forgetSeenBefore) {
    try {
      Instant current = cursor();
      List<CallRecord> fresh = new ArrayList<>();
      List<Long> freshTicketIds = new ArrayList<>();
      insertRecords(records, payloads, fresh, freshTicketIds);
      int freshQuarantined = insertQuarantined(quarantined, current);
      if (cursor != null && (current == null || cursor.isAfter(current))) {
        putState(CURSOR, cursor.toString());
      }
      forgetSeen(forgetSeenBefore);
      db.commit();
      return new StoreResult(fresh.size(), freshQuarantined, freshTicketIds);
    } catch (SQLException e) {
      rollbackQuietly();
      throw failure("store " + records.size() + " records", e);
    }
  }

  /**
   * Returns the oldest waiting records, at most {@code maxRecords} and {@code maxBytes} of JSON
   * (always at least one when any waits). A record that fails to decrypt goes to the
   * quarantine.
   */
  public List<PendingRecord> peek(int maxRecords, long maxBytes) {
    List<Sealed> rows = readOldest(maxRecords, maxBytes);
    // Records are decrypted after the lock is released, so the poller can store pages meanwhile.
    List<PendingRecord> batch = new ArrayList<>(rows.size());
    List<Long> undecryptable = new ArrayList<>();
    for (Sealed row : rows) {
      try {
        batch.add(new PendingRecord(row.seq(), row.id(),
            key.open(row.payload(), row.id().getBytes(StandardCharsets.UTF_8))));
      } catch (AEADBadTagException e) {
        undecryptable.add(row.seq());
      }
    }
    if (!undecryptable.isEmpty()) {
      synchronized (this) {
        try {
          quarantineUndecryptable(undecryptable);
        } catch (SQLException e) {
          rollbackQuietly();
          throw failure("quarantine undecryptable records", e);
        }
      }
    }
    return batch;
  }

  /** A row of the queue as stored. */
  private record Sealed(long seq, String id, byte[] payload) {}

  private synchronized List<Sealed> readOldest(int maxRecords, long maxBytes) {
    List<Sealed> rows = new ArrayList<>();
    long bytes = 0;
    try {
      PreparedStatement select = statement(SELECT_OLDEST);
      select.setInt(1, maxRecords);
      try (ResultSet result = select.executeQuery()) {
        while (result.next()) {
          byte[] payload = result.getBytes(3);
          // The JSON is as long as the sealed value less the nonce and the tag.
          long length = Math.max(0, payload.length - EncryptionKey.SEAL_OVERHEAD);
          if (!rows.isEmpty() && bytes + length > maxBytes) {
            break;
          }
          bytes += length;
          rows.add(new Sealed(result.getLong(1), result.getString(2), payload));
        }
      }
      return rows;
    } catch (SQLException e) {
      rollbackQuietly();
      throw failure("read waiting records", e);
    }
  }

  /**
   * Deletes delivered records and moves rejected ones to the quarantine, in one durable
   * transaction.
   */
  public synchronized void acknowledge(List<PendingRecord> delivered,
      List<Rejected> rejected) {
    try {
      PreparedStatement delete = statement(DELETE_RECORD);
      for (PendingRecord record : delivered) {
        delete.setLong(1, record.sequence());
        delete.addBatch();
      }
      for (Rejected reject : rejected) {
        delete.setLong(1, reject.record().sequence());
        delete.addBatch();
        insertQuarantine(reject.code(), reject.reason(),
            new String(reject.record().json(), StandardCharsets.UTF_8));
      }
      delete.executeBatch();
      db.commit();
    } catch (SQLException e) {
      rollbackQuietly();
      throw failure("acknowledge " + delivered.size() + " delivered records", e);
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
    return queryLongOrFail("SELECT count(*) FROM record");
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
    long oldest = queryLongOrFail("SELECT coalesce(min(spooled_at), -1) FROM record");
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

  private void insertRecords(List<CallRecord> records, List<byte[]> payloads,
      List<CallRecord> fresh, List<Long> freshTicketIds) throws SQLException {
    PreparedStatement insertSeen = statement(INSERT_SEEN);
    for (CallRecord record : records) {
      insertSeen.setString(1, record.id());
      insertSeen.setLong(2, record.startedAt().toEpochMilli());
      insertSeen.addBatch();
    }
    int[] seen = insertSeen.executeBatch();
    long now = clock.millis();
    PreparedStatement insert = statement(INSERT_RECORD);
    for (int i = 0; i < records.size(); i++) {
      if (seen[i] <= 0) {
        continue;
      }
      CallRecord record = records.get(i);
      insert.setString(1, record.id());
      insert.setLong(2, now);
      insert.setBytes(3, payloads.get(i));
      insert.addBatch();
      fresh.add(record);
      if (record.ticketId() != null) {
        freshTicketIds.add(record.ticketId());
      }
    }
    insert.executeBatch();
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

  private void quarantineUndecryptable(List<Long> sequences) throws SQLException {
    PreparedStatement delete = statement(DELETE_RECORD);
    for (long seq : sequences) {
      delete.setLong(1, seq);
      delete.executeUpdate();
      insertQuarantine("NAT-AGT-015", "record " + seq + " of the disk buffer cannot be "
          + "decrypted with the current key file", "");
    }
    db.commit();
    log.error("NAT-AGT-015 {} records of {} cannot be decrypted with the current key file "
        + "and were quarantined", sequences.size(), file);
  }

  private void forgetSeen(Instant before) throws SQLException {
    if (before == null) {
      return;
    }
    try (PreparedStatement delete = db.prepareStatement(
        "DELETE FROM seen WHERE started_at < ?")) {
      delete.setLong(1, before.toEpochMilli());
      delete.executeUpdate();
    }
  }

  private byte[] seal(CallRecord record) {
    byte[] json;
    try {
      json = JSON.writeValueAsBytes(codec.toJson(record));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write record " + record.id() + " as JSON", e);
    }
    return key.seal(json, record.id().getBytes(StandardCharsets.UTF_8));
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
      statement.execute("CREATE TABLE IF NOT EXISTS record (seq INTEGER PRIMARY KEY "
          + "AUTOINCREMENT, id TEXT NOT NULL, spooled_at INTEGER NOT NULL, payload BLOB NOT NULL)");
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
