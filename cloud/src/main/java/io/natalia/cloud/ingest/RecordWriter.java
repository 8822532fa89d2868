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
import java.sql.Timestamp;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import javax.sql.DataSource;
import org.postgresql.PGConnection;
import org.postgresql.copy.PGCopyOutputStream;

/**
 * Stores a batch of records, each id of a tenant once, in one transaction.
 *
 * <p>The batch's ids go first into {@code call_record_key} in one statement ({@code ON CONFLICT
 * DO NOTHING RETURNING id}). The statement inserts them in id order, so concurrent batches lock
 * shared keys in the same order and do not deadlock each other. Only the records whose id came
 * back are then {@code COPY}ed into {@code call_record}. A duplicate is therefore stored once,
 * whether it was stored before, sent twice in the batch, or sent at the same moment by another
 * agent (whose transaction locks the key until it commits). Thread-safe.
 */
final class RecordWriter {
  private static final String COLUMNS = "id, pbx_id, ticket_id, direction, started_at,"
      + " ended_at, ring_seconds, talk_seconds, answered, extension, extension_name,"
      + " initial_target, trunk, number_pseudonym, number_last4, number_cipher, units, cost,"
      + " business_code, raw, destination_type";
  private static final String CLAIM_KEYS = """
      INSERT INTO call_record_key (tenant_id, id, started_at)
      SELECT ?, k.id, k.started_at::timestamptz
      FROM unnest(?::text[], ?::text[]) AS k(id, started_at)
      ORDER BY k.id
      ON CONFLICT DO NOTHING
      RETURNING id
      """;
  private static final String NEW_BATCH = """
      INSERT INTO ingest_batch (tenant_id, agent_id, record_count, min_started, max_started)
      VALUES (?, ?, ?, ?, ?) RETURNING id
      """;

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
    Map<String, StoredRecord> unique = new LinkedHashMap<>();
    for (StoredRecord record : records) {
      unique.putIfAbsent(record.id(), record);
    }
    try (Connection connection = dataSource.getConnection()) {
      connection.setAutoCommit(false);
      try {
        int stored = write(connection, tenantId, agentId, unique);
        connection.commit();
        return stored;
      } catch (SQLException | IOException | RuntimeException e) {
        connection.rollback();
        throw e;
      }
    }
  }

  private static int write(Connection connection, long tenantId, long agentId,
      Map<String, StoredRecord> unique) throws SQLException, IOException {
    Set<String> claimed = claimKeys(connection, tenantId, unique.values());
    if (claimed.isEmpty()) {
      return 0;
    }
    List<StoredRecord> fresh = new ArrayList<>(claimed.size());
    for (String id : claimed) {
      fresh.add(unique.get(id));
    }
    long batchId = newBatch(connection, tenantId, agentId, fresh);
    copy(connection, tenantId, batchId, fresh);
    return fresh.size();
  }

  /** Inserts the ids; returns those that were not there yet. */
  private static Set<String> claimKeys(Connection connection, long tenantId,
      Collection<StoredRecord> records) throws SQLException {
    String[] ids = new String[records.size()];
    String[] starts = new String[records.size()];
    int i = 0;
    for (StoredRecord record : records) {
      ids[i] = record.id();
      starts[i++] = record.startedAt().toString();
    }
    try (PreparedStatement claim = connection.prepareStatement(CLAIM_KEYS)) {
      claim.setLong(1, tenantId);
      claim.setArray(2, connection.createArrayOf("text", ids));
      claim.setArray(3, connection.createArrayOf("text", starts));
      Set<String> claimed = new HashSet<>();
      try (ResultSet rows = claim.executeQuery()) {
        while (rows.next()) {
          claimed.add(rows.getString(1));
        }
      }
      return claimed;
    }
  }

  private static long newBatch(Connection connection, long tenantId, long agentId,
      List<StoredRecord> fresh) throws SQLException {
    Instant min = fresh.get(0).startedAt();
    Instant max = min;
    for (StoredRecord record : fresh) {
      min = record.startedAt().isBefore(min) ? record.startedAt() : min;
      max = record.startedAt().isAfter(max) ? record.startedAt() : max;
    }
    try (PreparedStatement insert = connection.prepareStatement(NEW_BATCH)) {
      insert.setLong(1, tenantId);
      insert.setLong(2, agentId);
      insert.setInt(3, fresh.size());
      insert.setTimestamp(4, Timestamp.from(min));
      insert.setTimestamp(5, Timestamp.from(max));
      try (ResultSet rows = insert.executeQuery()) {
        rows.next();
        return rows.getLong(1);
      }
    }
  }

  private static void copy(Connection connection, long tenantId, long batchId,
      List<StoredRecord> records) throws SQLException, IOException {
    PGConnection pg = connection.unwrap(PGConnection.class);
    String sql = "COPY call_record (tenant_id, batch_id, " + COLUMNS + ") FROM STDIN";
    try (Writer out = new BufferedWriter(new OutputStreamWriter(
        new PGCopyOutputStream(pg, sql, 1 << 16), StandardCharsets.UTF_8), 1 << 16)) {
      CopyText row = new CopyText(out);
      for (StoredRecord r : records) {
        row.value(tenantId).value(batchId).value(r.id()).value(r.pbxId()).value(r.ticketId())
            .value(r.direction()).value(r.startedAt()).value(r.endedAt())
            .value(r.ringSeconds()).value(r.talkSeconds()).value(r.answered())
            .value(r.extension()).value(r.extensionName()).value(r.initialTarget())
            .value(r.trunk()).value(r.numberPseudonym()).value(r.numberLast4())
            .value(r.numberCipher()).value(r.units()).value(r.cost())
            .value(r.businessCode()).value(r.rawJson())
            .value(r.destinationType()).end();
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
      if (plain(text)) {
        out.write(text);
        return;
      }
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

    /** True when the text has no character that COPY needs escaped: the common case. */
    private static boolean plain(String text) {
      for (int i = 0; i < text.length(); i++) {
        char c = text.charAt(i);
        if (c == '\\' || c == '\t' || c == '\n' || c == '\r') {
          return false;
        }
      }
      return true;
    }
  }
}
