package io.natalia.cloud.audit;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.sql.Types;
import java.time.Clock;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.Map;
import javax.sql.DataSource;

/**
 * The append-only, hash-chained audit log: logins, user and key changes, exports, reveals.
 *
 * <p>Each tenant has its own chain (the service's own entries form the chain of tenant
 * {@code null}). An entry's hash is SHA-256 over the previous entry's hash and the entry's
 * canonical text ({@code audit_entry_text} in SQL), so altering, removing or reordering an
 * entry breaks every later link; {@link #verify} finds the first break. Appends to one chain
 * are serialised by a transaction-scoped advisory lock. Thread-safe.
 */
public final class AuditLog {
  /** prev_hash of the first entry of a chain. */
  static final byte[] GENESIS = new byte[32];
  /** Advisory-lock key base of the chains; other lock users pick other bases. */
  private static final long LOCK_BASE = 0x4e41_5441_0000_0000L;
  private static final ObjectMapper JSON = new ObjectMapper();

  private static final String APPEND = """
      INSERT INTO audit_log (tenant_id, at, actor, action, target, details, prev_hash, hash)
      SELECT ?, ?, ?, ?, ?, ?::jsonb, p.prev, sha256(p.prev || convert_to(
          audit_entry_text(?, ?, ?, ?, ?, ?::jsonb), 'UTF8'))
      FROM (SELECT coalesce(
          (SELECT hash FROM audit_log WHERE tenant_id IS NOT DISTINCT FROM ?
           ORDER BY id DESC LIMIT 1), ?) AS prev) p
      """;

  private final DataSource dataSource;
  private final Clock clock;

  public AuditLog(DataSource dataSource, Clock clock) {
    this.dataSource = dataSource;
    this.clock = clock;
  }

  /** Appends an entry in a transaction of its own. */
  public void append(Long tenantId, String actor, String action, String target,
      Map<String, ?> details) {
    try (Connection connection = dataSource.getConnection()) {
      connection.setAutoCommit(false);
      try {
        append(connection, tenantId, actor, action, target, details);
        connection.commit();
      } catch (SQLException | RuntimeException e) {
        connection.rollback();
        throw e;
      }
    } catch (SQLException e) {
      throw new IllegalStateException("could not write the audit entry " + action, e);
    }
  }

  /**
   * Appends an entry inside the caller's transaction, so that the audited change and its entry
   * commit together.
   *
   * @param tenantId the tenant whose chain receives the entry, or null for the service's own
   * @param actor who acted: {@code user:<email>}, {@code admin-cli}, {@code api-key:<prefix>}
   * @param action what was done, dotted lower case: {@code user.add}, {@code key.revoke}
   * @param target what it was done to, or null
   * @param details facts worth keeping; never a secret
   */
  public void append(Connection connection, Long tenantId, String actor, String action,
      String target, Map<String, ?> details) throws SQLException {
    if (connection.getAutoCommit()) {
      throw new IllegalStateException("audit appends need a transaction (autocommit is on)");
    }
    Timestamp at = Timestamp.from(clock.instant().truncatedTo(ChronoUnit.MICROS));
    String detailsJson = json(details);
    try (PreparedStatement lock = connection.prepareStatement("SELECT pg_advisory_xact_lock(?)")) {
      lock.setLong(1, LOCK_BASE + (tenantId == null ? 0 : tenantId));
      lock.execute();
    }
    try (PreparedStatement insert = connection.prepareStatement(APPEND)) {
      for (int offset : new int[] {0, 6}) {
        setTenant(insert, offset + 1, tenantId);
        insert.setTimestamp(offset + 2, at);
        insert.setString(offset + 3, actor);
        insert.setString(offset + 4, action);
        insert.setString(offset + 5, target);
        insert.setString(offset + 6, detailsJson);
      }
      setTenant(insert, 13, tenantId);
      insert.setBytes(14, GENESIS);
      insert.executeUpdate();
    }
  }

  /** Checks every link of a tenant's chain (null: the service's own chain). */
  public Verification verify(Long tenantId) {
    String sql = """
        SELECT id, prev_hash, hash,
               audit_entry_text(tenant_id, at, actor, action, target, details)
        FROM audit_log WHERE tenant_id IS NOT DISTINCT FROM ? ORDER BY id
        """;
    try (Connection connection = dataSource.getConnection();
        PreparedStatement select = connection.prepareStatement(sql)) {
      setTenant(select, 1, tenantId);
      select.setFetchSize(1000);
      connection.setAutoCommit(false);
      try (ResultSet rows = select.executeQuery()) {
        return verify(rows);
      } finally {
        connection.rollback();
      }
    } catch (SQLException e) {
      throw new IllegalStateException("could not read the audit log", e);
    }
  }

  private static Verification verify(ResultSet rows) throws SQLException {
    byte[] expectedPrev = GENESIS;
    long count = 0;
    while (rows.next()) {
      long id = rows.getLong(1);
      byte[] prev = rows.getBytes(2);
      byte[] hash = rows.getBytes(3);
      if (!Arrays.equals(prev, expectedPrev)) {
        return Verification.broken(count, id, "does not follow the entry before it");
      }
      if (!Arrays.equals(hash, hash(prev, rows.getString(4)))) {
        return Verification.broken(count, id, "was altered after it was written");
      }
      expectedPrev = hash;
      count++;
    }
    return Verification.intact(count);
  }

  static byte[] hash(byte[] prev, String entryText) {
    try {
      MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
      sha256.update(prev);
      sha256.update(entryText.getBytes(StandardCharsets.UTF_8));
      return sha256.digest();
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK provides SHA-256", e);
    }
  }

  private static void setTenant(PreparedStatement statement, int index, Long tenantId)
      throws SQLException {
    if (tenantId == null) {
      statement.setNull(index, Types.BIGINT);
    } else {
      statement.setLong(index, tenantId);
    }
  }

  private static String json(Map<String, ?> details) {
    try {
      return JSON.writeValueAsString(details == null ? Map.of() : details);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("audit details are not serialisable: " + details, e);
    }
  }

  /**
   * Result of checking a chain.
   *
   * @param entries entries checked before the first break (all of them when intact)
   * @param firstBrokenId id of the first entry that breaks the chain, or null
   * @param problem what is wrong with that entry, or null
   */
  public record Verification(long entries, Long firstBrokenId, String problem) {
    static Verification intact(long entries) {
      return new Verification(entries, null, null);
    }

    static Verification broken(long entries, long id, String problem) {
      return new Verification(entries, id, "entry " + id + " " + problem);
    }

    /** Returns whether every link holds. */
    public boolean intact() {
      return firstBrokenId == null;
    }
  }
}
