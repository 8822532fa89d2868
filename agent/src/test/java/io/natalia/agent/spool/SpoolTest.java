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
import java.time.Clock;
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

  private Spool open() {
    return Spool.open(dir.resolve("spool.db"), key, Clock.systemUTC(), corruptMessages::add);
  }

  private List<Path> filesOf(String name) throws Exception {
    try (Stream<Path> files = Files.list(dir)) {
      return files.filter(p -> p.getFileName().toString().startsWith(name)).toList();
    }
  }

  private static WireRecord record(String id, String startedAt) {
    return WireRecord.of(new CallRecord(id, "oxo-test", null, Direction.INCOMING, Instant.parse(startedAt), 3,
        30, true, "110", "Accueil", "G1", "V05", "0612345678", null, null, null,
        new ObjectMapper().createObjectNode().put("callingNumber", "0612345678")));
  }
}
