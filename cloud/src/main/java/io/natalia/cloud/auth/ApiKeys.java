package io.natalia.cloud.auth;

import io.natalia.cloud.audit.AuditLog;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.regex.Pattern;
import javax.sql.DataSource;

/**
 * Agent keys and API tokens: issued once, stored as a SHA-256 of their secret, revocable.
 *
 * <p>A key reads {@code nat_ak_<12 characters>.<43 characters>} (agent key) or
 * {@code nat_at_...} (API token). The part before the dot is the public prefix that finds the
 * row and may be shown and logged. The part after it is the secret, shown once at creation and
 * never stored. The secret carries 256 random bits, so a fast hash is enough: nobody can
 * guess their way back from it. Thread-safe.
 */
public final class ApiKeys {
  /** {@code last_used_at} is written at most this often per key, to spare a write per request. */
  static final Duration LAST_USE_PRECISION = Duration.ofMinutes(1);

  private static final Pattern FORMAT =
      Pattern.compile("nat_(ak|at)_[a-z2-7]{12}\\.[A-Za-z0-9_-]{43}");
  private static final char[] BASE32 = "abcdefghijklmnopqrstuvwxyz234567".toCharArray();
  private static final SecureRandom RANDOM = new SecureRandom();

  private final DataSource dataSource;
  private final AuditLog auditLog;
  private final Clock clock;
  private final ConcurrentMap<Long, Instant> lastUseWritten = new ConcurrentHashMap<>();

  public ApiKeys(DataSource dataSource, AuditLog auditLog, Clock clock) {
    this.dataSource = dataSource;
    this.auditLog = auditLog;
    this.clock = clock;
  }

  /** Purpose of a key. */
  public enum Kind {
    /** Posts call records to {@code /ingest/cdr}. */
    AGENT("ak"),
    /** Reads the JSON API with the permissions of a role. */
    API_TOKEN("at");

    private final String tag;

    Kind(String tag) {
      this.tag = tag;
    }
  }

  /**
   * A key just created: the only moment its full text exists.
   *
   * @param id database id
   * @param prefix public part, shown in lists and logs
   * @param key the full key to hand to the agent or the API client
   */
  public record IssuedKey(long id, String prefix, String key) {
    @Override
    public String toString() {
      return "IssuedKey[id=" + id + ", prefix=" + prefix + ", key=redacted]";
    }
  }

  /**
   * Identity a valid key acts as.
   *
   * @param keyId database id of the key
   * @param tenantId the tenant it belongs to; decides every row the request may touch
   * @param kind agent key or API token
   * @param prefix public part of the key
   * @param role the token's role; null for agent keys
   */
  public record Principal(long keyId, long tenantId, Kind kind, String prefix, Role role) {}

  /**
   * A key as listed to an admin; never the secret.
   *
   * @param revokedAt null while valid
   * @param lastUsedAt null when never used
   */
  public record KeyInfo(long id, String prefix, Kind kind, String name, Role role,
      Instant createdAt, Instant revokedAt, Instant lastUsedAt) {}

  /** Creates a key and returns its full text, which is never available again. */
  public IssuedKey create(long tenantId, Kind kind, String name, Role role, String actor) {
    if (name == null || name.isBlank()) {
      throw new IllegalArgumentException("a key needs a name saying what uses it");
    }
    if ((kind == Kind.API_TOKEN) != (role != null)) {
      throw new IllegalArgumentException("API tokens need a role, agent keys take none");
    }
    String prefix = "nat_" + kind.tag + "_" + randomBase32(12);
    byte[] secretBytes = new byte[32];
    RANDOM.nextBytes(secretBytes);
    String secret = Base64.getUrlEncoder().withoutPadding().encodeToString(secretBytes);
    try (Connection connection = dataSource.getConnection()) {
      connection.setAutoCommit(false);
      long id;
      try (PreparedStatement insert = connection.prepareStatement(
          "INSERT INTO api_key (tenant_id, kind, prefix, secret_sha256, name, role)"
              + " VALUES (?, ?, ?, ?, ?, ?) RETURNING id")) {
        insert.setLong(1, tenantId);
        insert.setString(2, kind.name());
        insert.setString(3, prefix);
        insert.setBytes(4, sha256(secret));
        insert.setString(5, name);
        insert.setString(6, role == null ? null : role.name());
        try (ResultSet rows = insert.executeQuery()) {
          rows.next();
          id = rows.getLong(1);
        }
      }
      auditLog.append(connection, tenantId, actor, "api_key.create", prefix, Map.of(
          "kind", kind.name(), "name", name, "role", role == null ? "" : role.name()));
      connection.commit();
      return new IssuedKey(id, prefix, prefix + "." + secret);
    } catch (SQLException e) {
      throw new IllegalStateException("could not create the key '" + name + "'", e);
    }
  }

  /**
   * Returns who a presented key acts for, or empty when it is malformed, unknown, revoked,
   * expired or of another kind. Records the key's last use.
   */
  public Optional<Principal> authenticate(String presented, Kind expected) {
    if (presented == null || !FORMAT.matcher(presented).matches()
        || !presented.startsWith("nat_" + expected.tag + "_")) {
      return Optional.empty();
    }
    int dot = presented.indexOf('.');
    String prefix = presented.substring(0, dot);
    byte[] hash = sha256(presented.substring(dot + 1));
    try (Connection connection = dataSource.getConnection();
        PreparedStatement select = connection.prepareStatement(
            "SELECT id, tenant_id, secret_sha256, role FROM api_key WHERE prefix = ?"
                + " AND kind = ? AND revoked_at IS NULL"
                + " AND (expires_at IS NULL OR expires_at > ?)")) {
      select.setString(1, prefix);
      select.setString(2, expected.name());
      select.setTimestamp(3, Timestamp.from(clock.instant()));
      try (ResultSet rows = select.executeQuery()) {
        if (!rows.next() || !MessageDigest.isEqual(hash, rows.getBytes(3))) {
          return Optional.empty();
        }
        String role = rows.getString(4);
        Principal principal = new Principal(rows.getLong(1), rows.getLong(2), expected, prefix,
            role == null ? null : Role.valueOf(role));
        recordUse(connection, principal.keyId());
        return Optional.of(principal);
      }
    } catch (SQLException e) {
      throw new IllegalStateException("could not check key " + prefix, e);
    }
  }

  /**
   * Revokes a key of a tenant by its prefix; returns false when the tenant has no such valid
   * key.
   */
  public boolean revoke(long tenantId, String prefix, String actor) {
    try (Connection connection = dataSource.getConnection()) {
      connection.setAutoCommit(false);
      int changed;
      try (PreparedStatement update = connection.prepareStatement(
          "UPDATE api_key SET revoked_at = ? WHERE tenant_id = ? AND prefix = ?"
              + " AND revoked_at IS NULL")) {
        update.setTimestamp(1, Timestamp.from(clock.instant()));
        update.setLong(2, tenantId);
        update.setString(3, prefix);
        changed = update.executeUpdate();
      }
      if (changed == 1) {
        auditLog.append(connection, tenantId, actor, "api_key.revoke", prefix, Map.of());
      }
      connection.commit();
      return changed == 1;
    } catch (SQLException e) {
      throw new IllegalStateException("could not revoke key " + prefix, e);
    }
  }

  /** Returns the keys of a tenant, newest first. */
  public List<KeyInfo> list(long tenantId) {
    try (Connection connection = dataSource.getConnection();
        PreparedStatement select = connection.prepareStatement(
            "SELECT id, prefix, kind, name, role, created_at, revoked_at, last_used_at"
                + " FROM api_key WHERE tenant_id = ? ORDER BY id DESC")) {
      select.setLong(1, tenantId);
      try (ResultSet rows = select.executeQuery()) {
        List<KeyInfo> keys = new ArrayList<>();
        while (rows.next()) {
          String role = rows.getString(5);
          keys.add(new KeyInfo(rows.getLong(1), rows.getString(2),
              Kind.valueOf(rows.getString(3)), rows.getString(4),
              role == null ? null : Role.valueOf(role), instant(rows, 6), instant(rows, 7),
              instant(rows, 8)));
        }
        return keys;
      }
    } catch (SQLException e) {
      throw new IllegalStateException("could not list the keys of tenant " + tenantId, e);
    }
  }

  private void recordUse(Connection connection, long keyId) throws SQLException {
    Instant now = clock.instant();
    Instant written = lastUseWritten.get(keyId);
    if (written != null && written.plus(LAST_USE_PRECISION).isAfter(now)) {
      return;
    }
    lastUseWritten.put(keyId, now);
    try (PreparedStatement update =
        connection.prepareStatement("UPDATE api_key SET last_used_at = ? WHERE id = ?")) {
      update.setTimestamp(1, Timestamp.from(now));
      update.setLong(2, keyId);
      update.executeUpdate();
    }
  }

  private static Instant instant(ResultSet rows, int column) throws SQLException {
    Timestamp value = rows.getTimestamp(column);
    return value == null ? null : value.toInstant();
  }

  static byte[] sha256(String secret) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(secret.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK provides SHA-256", e);
    }
  }

  private static String randomBase32(int length) {
    char[] chars = new char[length];
    for (int i = 0; i < length; i++) {
      chars[i] = BASE32[RANDOM.nextInt(BASE32.length)];
    }
    return new String(chars);
  }
}
