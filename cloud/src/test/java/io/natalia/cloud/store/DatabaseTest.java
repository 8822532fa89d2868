package io.natalia.cloud.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

class DatabaseTest {
  @RegisterExtension static final TestDatabase db = new TestDatabase();

  @Test
  void migrationCreatesTheSchema() throws SQLException {
    assertThat(db.scalar("SELECT count(*) FROM role_permission WHERE role = 'ADMIN'"))
        .isEqualTo(7);
    assertThat(db.scalar("SELECT count(*) FROM information_schema.tables"
        + " WHERE table_name IN ('tenant', 'app_user', 'api_key', 'agent', 'pbx',"
        + " 'call_record', 'call_record_key', 'call', 'quarantine', 'audit_log')"))
        .isEqualTo(10);
  }

  @Test
  void monthPartitionCreatedOnce() throws SQLException {
    db.execute("SELECT natalia_ensure_month_partition('call', DATE '2026-03-17')");
    db.execute("SELECT natalia_ensure_month_partition('call', DATE '2026-03-01')");

    assertThat(db.scalar("SELECT count(*) FROM pg_inherits"
        + " WHERE inhparent = 'call'::regclass")).isEqualTo(1);
    assertThat(db.scalar("SELECT count(*) FROM pg_class WHERE relname = 'call_p2026_03'"))
        .isEqualTo(1);
  }

  @Test
  void auditLogRefusesUpdatesAndDeletes() throws SQLException {
    db.execute("INSERT INTO audit_log (at, actor, action, prev_hash, hash)"
        + " VALUES (now(), 'test', 'probe', decode(repeat('00', 32), 'hex'),"
        + " decode(repeat('11', 32), 'hex'))");

    assertThatThrownBy(() -> db.execute("UPDATE audit_log SET actor = 'someone else'"))
        .hasMessageContaining("append-only");
    assertThatThrownBy(() -> db.execute("DELETE FROM audit_log"))
        .hasMessageContaining("append-only");
  }

  @Test
  void embeddedDatabaseKeepsItsDataAcrossRestarts(@TempDir Path folder) throws SQLException {
    try (Database first = Database.open(DatabaseSettings.embedded(folder))) {
      try (Connection c = first.dataSource().getConnection(); Statement s = c.createStatement()) {
        s.execute("INSERT INTO tenant (name, secret_cipher) VALUES ('Durable', '\\x00')");
      }
    }

    try (Database second = Database.open(DatabaseSettings.embedded(folder));
        Connection c = second.dataSource().getConnection();
        Statement s = c.createStatement();
        ResultSet rows = s.executeQuery("SELECT name FROM tenant")) {
      assertThat(rows.next()).isTrue();
      assertThat(rows.getString(1)).isEqualTo("Durable");
    }
  }

  @Test
  void embeddedDatabaseFoldersAreClosedToOtherUsers(@TempDir Path folder) throws Exception {
    try (Database database = Database.open(DatabaseSettings.embedded(folder))) {
      List<Path> opened;
      try (Stream<Path> paths = Files.walk(folder)) {
        opened = paths.filter(Files::isDirectory).filter(path -> !path.equals(folder))
            .filter(path -> {
              try {
                Set<PosixFilePermission> rights = Files.getPosixFilePermissions(path);
                return rights.contains(PosixFilePermission.OTHERS_WRITE)
                    || rights.contains(PosixFilePermission.GROUP_WRITE);
              } catch (IOException e) {
                throw new UncheckedIOException(e);
              }
            }).toList();
      }

      assertThat(opened).isEmpty();
    }
  }
}
