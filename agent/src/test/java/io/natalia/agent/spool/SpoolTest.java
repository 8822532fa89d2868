package io.natalia.agent.spool;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.natalia.agent.crypto.EncryptionKey;
import io.natalia.cdr.CallRecord;
import io.natalia.cdr.Direction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SpoolTest {
  @TempDir Path dir;
  private EncryptionKey key;
  private final List<String> corruptMessages = new ArrayList<>();

  @BeforeEach
  void loadKey() throws Exception {
    key = EncryptionKey.loadOrCreate(dir.resolve("key"));
  }

  @Test
  void recordsAndCursorSurviveReopen() {
    try (Spool spool = open()) {
      spool.store(List.of(record("a", "2026-05-24T06:00:00Z"),
          record("b", "2026-05-24T07:00:00Z")), List.of(), Instant.parse("2026-05-24T07:00:00Z"),
          null);
    }

    try (Spool spool = open()) {
      assertThat(spool.pendingCount()).isEqualTo(2);
      assertThat(spool.cursor()).isEqualTo(Instant.parse("2026-05-24T07:00:00Z"));
    }
  }

  @Test
  void sameIdIsStoredOnce() {
    try (Spool spool = open()) {
      Spool.StoreResult first = spool.store(List.of(record("a", "2026-05-24T06:00:00Z")),
          List.of(), null, null);
      Spool.StoreResult second = spool.store(List.of(record("a", "2026-05-24T06:00:00Z"),
          record("b", "2026-05-24T06:00:01Z")), List.of(), null, null);

      assertThat(first.newRecords()).isEqualTo(1);
      assertThat(second.newRecords()).isEqualTo(1);
      assertThat(spool.pendingCount()).isEqualTo(2);
    }
  }

  @Test
  void cursorNeverMovesBackwards() {
    try (Spool spool = open()) {
      spool.store(List.of(record("a", "2026-05-24T07:00:00Z")), List.of(),
          Instant.parse("2026-05-24T07:00:00Z"), null);
      spool.store(List.of(record("b", "2026-05-24T06:00:00Z")), List.of(),
          Instant.parse("2026-05-24T06:00:00Z"), null);

      assertThat(spool.cursor()).isEqualTo(Instant.parse("2026-05-24T07:00:00Z"));
    }
  }

  @Test
  void payloadIsEncryptedOnDisk() throws Exception {
    try (Spool spool = open()) {
      spool.store(List.of(record("a", "2026-05-24T06:00:00Z")), List.of(), null, null);
      spool.store(List.of(), List.of(new QuarantineEntry("NAT-AGT-010", "bad",
          "{\"callingNumber\":\"0612345678\"}")), null, null);
    }

    for (Path file : filesOf("spool.db")) {
      String content = new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1);
      assertThat(content).doesNotContain("0612345678");
    }
  }

  @Test
  void acknowledgeDeletesDeliveredAndQuarantinesRejected() {
    try (Spool spool = open()) {
      spool.store(List.of(record("a", "2026-05-24T06:00:00Z"),
          record("b", "2026-05-24T06:00:01Z")), List.of(), null, null);
      List<PendingRecord> batch = spool.peek(10, 1 << 20);

      spool.acknowledge(List.of(batch.get(0)),
          List.of(new Spool.Rejected(batch.get(1), "NAT-API-010", "startedAt invalid")));

      assertThat(spool.pendingCount()).isZero();
      assertThat(spool.quarantine(10)).singleElement()
          .satisfies(q -> assertThat(q.reason()).isEqualTo("startedAt invalid"));
    }
  }

  @Test
  void peekRespectsByteLimitButReturnsOne() {
    try (Spool spool = open()) {
      spool.store(List.of(record("a", "2026-05-24T06:00:00Z"),
          record("b", "2026-05-24T06:00:01Z")), List.of(), null, null);

      assertThat(spool.peek(10, 1)).hasSize(1);
    }
  }

  @Test
  void corruptFileIsSetAsideAndReplaced() throws Exception {
    Files.writeString(dir.resolve("spool.db"), "this is not a database, just garbage ".repeat(200));

    try (Spool spool = open()) {
      assertThat(spool.pendingCount()).isZero();
      spool.store(List.of(record("a", "2026-05-24T06:00:00Z")), List.of(), null, null);
      assertThat(spool.pendingCount()).isEqualTo(1);
    }

    assertThat(corruptMessages).singleElement().asString().contains("set aside");
    try (Stream<Path> files = Files.list(dir)) {
      assertThat(files.map(p -> p.getFileName().toString()))
          .anyMatch(name -> name.startsWith("spool.db.corrupt-"));
    }
  }

  @Test
  void secondOpenOfSameFileIsRefused() {
    try (Spool spool = open()) {
      assertThatThrownBy(this::open).isInstanceOf(SpoolException.class)
          .hasMessageContaining("in use by another agent");
    }
  }

  @Test
  void seenIdsOlderThanWindowAreForgotten() {
    try (Spool spool = open()) {
      spool.store(List.of(record("a", "2026-05-24T06:00:00Z")), List.of(), null, null);
      spool.acknowledge(spool.peek(10, 1 << 20), List.of());
      spool.store(List.of(), List.of(), null, Instant.parse("2026-05-25T00:00:00Z"));

      Spool.StoreResult again = spool.store(List.of(record("a", "2026-05-24T06:00:00Z")),
          List.of(), null, null);

      assertThat(again.newRecords()).isEqualTo(1);
    }
  }

  @Test
  void largePageIsSealedInChunksAndDrainsInOrder() {
    List<WireRecord> records = new ArrayList<>();
    for (int i = 0; i < 2500; i++) {
      records.add(record("r" + i, "2026-05-24T06:00:00Z"));
    }
    try (Spool spool = open()) {
      spool.store(records, List.of(), null, null);
      List<PendingRecord> first = spool.peek(1200, 1 << 30);
      spool.acknowledge(first, List.of());

      assertThat(first).extracting(PendingRecord::id).containsExactlyElementsOf(
          records.subList(0, 1200).stream().map(WireRecord::id).toList());
      assertThat(spool.pendingCount()).isEqualTo(1300);
    }

    try (Spool spool = open()) {
      List<PendingRecord> rest = spool.peek(5000, 1 << 30);

      assertThat(rest).extracting(PendingRecord::id).containsExactlyElementsOf(
          records.subList(1200, 2500).stream().map(WireRecord::id).toList());
      assertThat(rest.get(0).json()).isEqualTo(records.get(1200).json());
    }
  }

  @Test
  void recordAcknowledgedBeforeAnOlderOneIsRejected() {
    try (Spool spool = open()) {
      spool.store(List.of(record("a", "2026-05-24T06:00:00Z"),
          record("b", "2026-05-24T06:00:01Z")), List.of(), null, null);
      List<PendingRecord> batch = spool.peek(10, 1 << 20);

      assertThatThrownBy(() -> spool.acknowledge(List.of(batch.get(1)), List.of()))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("oldest first");
      assertThat(spool.pendingCount()).isEqualTo(2);
    }
  }

  @Test
  void chunkMovedToAnotherRowIsQuarantined() throws Exception {
    try (Spool spool = open()) {
      spool.store(List.of(record("a", "2026-05-24T06:00:00Z")), List.of(), null, null);
      spool.store(List.of(record("b", "2026-05-24T06:00:01Z")), List.of(), null, null);
    }
    try (Connection db = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("spool.db"));
        Statement statement = db.createStatement()) {
      // The second chunk's seal copied over the first: it is bound to its own number.
      statement.executeUpdate("UPDATE chunk SET payload = (SELECT payload FROM chunk "
          + "WHERE seq = 2) WHERE seq = 1");
    }

    try (Spool spool = open()) {
      assertThat(spool.peek(10, 1 << 20)).extracting(PendingRecord::id).containsExactly("b");
      assertThat(spool.quarantine(10)).singleElement()
          .satisfies(q -> assertThat(q.code()).isEqualTo("NAT-AGT-015"));
    }
  }

  @Test
  void bufferOfPreviousFormatIsMovedIntoChunks() throws Exception {
    EncryptionKey otherKey = EncryptionKey.loadOrCreate(dir.resolve("other-key"));
    List<WireRecord> records = new ArrayList<>();
    for (int i = 0; i < 2100; i++) {
      records.add(record("old-" + i, "2026-05-24T06:00:00Z"));
    }
    try (Connection db = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("spool.db"));
        Statement statement = db.createStatement()) {
      createPreviousFormat(statement);
      try (PreparedStatement insert = db.prepareStatement(
          "INSERT INTO record (id, spooled_at, payload) VALUES (?, ?, ?)")) {
        for (WireRecord record : records) {
          insertOldRow(insert, record.id(), key.seal(record.json(), idBytes(record.id())));
        }
        insertOldRow(insert, "foreign", otherKey.seal("{}".getBytes(StandardCharsets.UTF_8),
            idBytes("foreign")));
      }
      statement.executeUpdate("INSERT INTO seen (id, started_at) SELECT id, 1779602400000 "
          + "FROM record");
      statement.executeUpdate("INSERT INTO state (key, value) VALUES "
          + "('cursor', '2026-05-24T05:00:00Z')");
    }

    try (Spool spool = open()) {
      assertThat(spool.pendingCount()).isEqualTo(2100);
      assertThat(spool.cursor()).isEqualTo(Instant.parse("2026-05-24T05:00:00Z"));
      assertThat(spool.quarantine(10)).singleElement()
          .satisfies(q -> assertThat(q.code()).isEqualTo("NAT-AGT-015"));
      List<PendingRecord> all = spool.peek(5000, 1L << 30);
      assertThat(all).extracting(PendingRecord::id).containsExactlyElementsOf(
          records.stream().map(WireRecord::id).toList());
      assertThat(all.get(2099).json()).isEqualTo(records.get(2099).json());
      assertThat(spool.store(List.of(records.get(0)), List.of(), null, null).newRecords())
          .isZero();
    }
    try (Connection db = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("spool.db"));
        Statement statement = db.createStatement();
        ResultSet tables = statement.executeQuery(
            "SELECT count(*) FROM sqlite_master WHERE name = 'record'")) {
      tables.next();
      assertThat(tables.getInt(1)).isZero();
    }
  }

  @Test
  void pageOverlappingStoredRecordsKeepsOrderWithoutRepeats() {
    List<WireRecord> page = new ArrayList<>();
    for (int i = 0; i < 2500; i++) {
      page.add(record(String.format("r%04d", i), "2026-05-24T06:00:00Z"));
    }
    try (Spool spool = open()) {
      spool.store(page.subList(0, 1500), List.of(), null, null);

      // Its first chunk contains only stored records, its second both stored and new ones.
      Spool.StoreResult again = spool.store(page, List.of(), null, null);

      assertThat(again.newRecords()).isEqualTo(1000);
      List<PendingRecord> all = spool.peek(5000, 1L << 30);
      assertThat(all).extracting(PendingRecord::id).containsExactlyElementsOf(
          page.stream().map(WireRecord::id).toList());
      assertThat(all.get(1700).json()).isEqualTo(page.get(1700).json());
      spool.acknowledge(all, List.of());
      assertThat(spool.pendingCount()).isZero();
    }
  }

  @Test
  void recordIdsOfPreviousSeenTableStillDeduplicate() throws Exception {
    try (Connection db = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("spool.db"));
        Statement statement = db.createStatement()) {
      statement.execute("CREATE TABLE seen (id TEXT PRIMARY KEY, started_at INTEGER NOT NULL) "
          + "WITHOUT ROWID");
      statement.executeUpdate("INSERT INTO seen (id, started_at) VALUES "
          + "('a', 1779602400000), ('q:0123', 1779602400000)");
    }

    try (Spool spool = open()) {
      Spool.StoreResult again = spool.store(List.of(record("a", "2026-05-24T06:00:00Z"),
          record("b", "2026-05-24T06:00:00Z")), List.of(), null, null);

      assertThat(again.newRecords()).isEqualTo(1);
    }
    try (Connection db = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("spool.db"));
        Statement statement = db.createStatement();
        ResultSet rows = statement.executeQuery("SELECT id FROM seen")) {
      assertThat(rows.next()).isTrue();
      assertThat(rows.getString(1)).isEqualTo("q:0123");
      assertThat(rows.next()).isFalse();
    }
  }

  @Test
  void checkpointCopiesCommittedPagesIntoDatabaseFile() throws Exception {
    Path copy = dir.resolve("copy");
    Files.createDirectories(copy);
    try (Spool spool = open()) {
      long before = spool.checkpointer().completedCount();
      spool.store(List.of(record("a", "2026-05-24T06:00:00Z"),
          record("b", "2026-05-24T07:00:00Z")), List.of(), Instant.parse("2026-05-24T07:00:00Z"),
          null);

      assertThat(spool.checkpointer().awaitCompleted(before + 1, Duration.ofSeconds(10)))
          .isTrue();
      // The database file alone, without its log, already contains the commit.
      Files.copy(dir.resolve("spool.db"), copy.resolve("spool.db"));
    }

    try (Connection db = DriverManager.getConnection("jdbc:sqlite:" + copy.resolve("spool.db"));
        Statement statement = db.createStatement();
        ResultSet rows = statement.executeQuery(
            "SELECT sum(records), (SELECT value FROM state WHERE key = 'cursor') FROM chunk")) {
      assertThat(rows.next()).isTrue();
      assertThat(rows.getInt(1)).isEqualTo(2);
      assertThat(rows.getString(2)).isEqualTo("2026-05-24T07:00:00Z");
    }
  }

  /** Creates the tables of the previous format: one sealed row per record. */
  private static void createPreviousFormat(Statement statement) throws SQLException {
    statement.execute("PRAGMA journal_mode=WAL");
    statement.execute("CREATE TABLE record (seq INTEGER PRIMARY KEY AUTOINCREMENT, "
        + "id TEXT NOT NULL, spooled_at INTEGER NOT NULL, payload BLOB NOT NULL)");
    statement.execute("CREATE TABLE seen (id TEXT PRIMARY KEY, started_at INTEGER NOT NULL) "
        + "WITHOUT ROWID");
    statement.execute("CREATE TABLE quarantine (seq INTEGER PRIMARY KEY AUTOINCREMENT, "
        + "at INTEGER NOT NULL, code TEXT NOT NULL, reason TEXT NOT NULL, content BLOB NOT NULL)");
    statement.execute("CREATE TABLE state (key TEXT PRIMARY KEY, value TEXT NOT NULL)");
  }

  private static void insertOldRow(PreparedStatement insert, String id, byte[] payload)
      throws SQLException {
    insert.setString(1, id);
    insert.setLong(2, 1_779_602_400_000L);
    insert.setBytes(3, payload);
    insert.executeUpdate();
  }

  private static byte[] idBytes(String id) {
    return id.getBytes(StandardCharsets.UTF_8);
  }

  private Spool open() {
    return Spool.open(dir.resolve("spool.db"), key, Clock.systemUTC(), corruptMessages::add);
  }

  private List<Path> filesOf(String name) throws Exception {
    try (Stream<Path> files = Files.list(dir)) {
      return files.filter(p -> p.getFileName().toString().startsWith(name)).toList();
    }
  }

  private static WireRecord record(String id, String startedAt) {
    return WireRecord.of(new CallRecord(id, "oxo-test", null, Direction.INCOMING,
        Instant.parse(startedAt), 3, 30, true, "110", "Accueil", "G1", "V05", "0612345678", null,
        null, null, new ObjectMapper().createObjectNode().put("callingNumber", "0612345678")));
  }
}
