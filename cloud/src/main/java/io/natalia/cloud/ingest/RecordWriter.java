package io.natalia.cloud.ingest;

import io.natalia.cloud.store.Partitions;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import javax.sql.DataSource;
import org.postgresql.PGConnection;
import org.postgresql.copy.PGCopyOutputStream;

/**
 * Stores a batch of records, each id of a tenant once, in one transaction.
 *
 * <p>The rows are {@code COPY}ed into a temporary staging table, then one statement inserts the
 * ids into {@code call_record_key} ({@code ON CONFLICT DO NOTHING}, in id order so that
 * concurrent batches lock keys in the same order and cannot deadlock), records the batch for
 * the stitcher, and copies the rows whose id was new into {@code call_record}. A duplicate,
 * whether already stored, sent twice in the batch, or sent at the same moment by another agent,
 * is therefore stored once. Thread-safe.
 */
final class RecordWriter {
  private static final String STAGING = """
      CREATE TEMPORARY TABLE IF NOT EXISTS ingest_staging (
        ordinal integer, id text, pbx_id text, ticket_id bigint, direction text,
        started_at timestamptz, ended_at timestamptz, ring_seconds integer,
        talk_seconds integer, answered boolean, extension text, extension_name text,
        initial_target text, trunk text, number_pseudonym text, number_last4 text,
        number_cipher bytea, units integer, cost numeric(14, 4), business_code text, raw jsonb
      ) ON COMMIT DELETE ROWS
      """;
  private static final String COLUMNS = "id, pbx_id, ticket_id, direction, started_at,"
      + " ended_at, ring_seconds, talk_seconds, answered, extension, extension_name,"
      + " initial_target, trunk, number_pseudonym, number_last4, number_cipher, units, cost,"
      + " business_code, raw";
  private static final String STORE = """
      WITH uniq AS (
        SELECT DISTINCT ON (id) * FROM ingest_staging ORDER BY id, ordinal
      ), fresh AS (
        INSERT INTO call_record_key (tenant_id, id, started_at)
        SELECT ?, id, started_at FROM uniq ORDER BY id
        ON CONFLICT DO NOTHING
        RETURNING id
      ), batch AS (
        INSERT INTO ingest_batch (tenant_id, agent_id, record_count, min_started, max_started)
        SELECT ?, ?, count(*), min(u.started_at), max(u.started_at)
        FROM uniq u JOIN fresh f USING (id)
        HAVING count(*) > 0
        RETURNING id
      ), stored AS (
        INSERT INTO call_record (tenant_id, batch_id, %1$s)
        SELECT ?, b.id, %2$s FROM uniq u JOIN fresh f USING (id) CROSS JOIN batch b
        RETURNING 1
      )
      SELECT count(*) FROM stored
      """.formatted(COLUMNS, "u." + COLUMNS.replace(", ", ", u."));

  private final DataSource dataSource;
  private final Partitions partitions;

  RecordWriter(DataSource dataSource, Partitions partitions) {
    this.dataSource = dataSource;
    this.partitions = partitions;
  }

  /** Stores the records that are new for the tenant and returns how many were. */
  int write(long tenantId, long agentId, List<StoredRecord> records)
      throws SQLException, IOException {
    if (records.isEmpty()) {
      return 0;
    }
    partitions.ensure(months(records));
    try (Connection connection = dataSource.getConnection()) {
      connection.setAutoCommit(false);
      try {
        int stored = write(connection, tenantId, agentId, records);
        connection.commit();
        return stored;
      } catch (SQLException | IOException | RuntimeException e) {
        connection.rollback();
        throw e;
      }
    }
  }

  private static int write(Connection connection, long tenantId, long agentId,
      List<StoredRecord> records) throws SQLException, IOException {
    try (Statement create = connection.createStatement()) {
      create.execute(STAGING);
    }
    copy(connection, records);
    try (PreparedStatement store = connection.prepareStatement(STORE)) {
      store.setLong(1, tenantId);
      store.setLong(2, tenantId);
      store.setLong(3, agentId);
      store.setLong(4, tenantId);
      try (ResultSet rows = store.executeQuery()) {
        rows.next();
        return rows.getInt(1);
      }
    }
  }

  private static void copy(Connection connection, List<StoredRecord> records)
      throws SQLException, IOException {
    PGConnection pg = connection.unwrap(PGConnection.class);
    String sql = "COPY ingest_staging (ordinal, " + COLUMNS + ") FROM STDIN";
    try (Writer out = new BufferedWriter(new OutputStreamWriter(
        new PGCopyOutputStream(pg, sql, 1 << 16), StandardCharsets.UTF_8), 1 << 16)) {
      CopyText row = new CopyText(out);
      for (StoredRecord r : records) {
        row.value(r.index()).value(r.id()).value(r.pbxId()).value(r.ticketId())
            .value(r.direction()).value(r.startedAt()).value(r.endedAt())
            .value(r.ringSeconds()).value(r.talkSeconds()).value(r.answered())
            .value(r.extension()).value(r.extensionName()).value(r.initialTarget())
            .value(r.trunk()).value(r.numberPseudonym()).value(r.numberLast4())
            .value(r.numberCipher()).value(r.units()).value(r.cost())
            .value(r.businessCode()).value(r.rawJson()).end();
      }
    }
  }

  private static Set<YearMonth> months(List<StoredRecord> records) {
    Set<YearMonth> months = new TreeSet<>();
    for (StoredRecord record : records) {
      months.add(YearMonth.from(record.startedAt().atOffset(ZoneOffset.UTC)));
    }
    return months;
  }

  /** Writes rows in the text format of PostgreSQL's COPY. */
  static final class CopyText {
    private final Writer out;
    private boolean first = true;

    CopyText(Writer out) {
      this.out = out;
    }

    CopyText value(Object value) throws IOException {
      if (!first) {
        out.write('\t');
      }
      first = false;
      if (value == null) {
        out.write("\\N");
      } else if (value instanceof byte[] bytes) {
        // bytea in hex form; the backslash itself is escaped for COPY.
        out.write("\\\\x");
        out.write(HexFormat.of().formatHex(bytes));
      } else if (value instanceof String text) {
        escape(text);
      } else if (value instanceof BigDecimal decimal) {
        out.write(decimal.toPlainString());
      } else {
        out.write(value.toString());
      }
      return this;
    }

    void end() throws IOException {
      out.write('\n');
      first = true;
    }

    private void escape(String text) throws IOException {
      for (int i = 0; i < text.length(); i++) {
        char c = text.charAt(i);
        switch (c) {
          case '\\' -> out.write("\\\\");
          case '\t' -> out.write("\\t");
          case '\n' -> out.write("\\n");
          case '\r' -> out.write("\\r");
          default -> out.write(c);
        }
      }
    }
  }
}
