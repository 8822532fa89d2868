package io.natalia.cloud.web;

import io.natalia.cloud.auth.Role;
import io.natalia.cloud.tenant.Tenants;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Base64;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * Dashboard sessions, kept in table {@code web_session} so that every cloud node knows them.
 *
 * <p>The cookie holds 256 random bits; the table holds their SHA-256. A session ends on logout,
 * after {@link #IDLE_TIMEOUT} without a request, after {@link #ABSOLUTE_TIMEOUT} in any case,
 * or when its user is disabled. The role is read with the session on every request, so a role
 * change applies at once. Thread-safe.
 */
final class WebSessions {
  /** A session unused this long ends: a laptop left open does not stay signed in. */
  static final Duration IDLE_TIMEOUT = Duration.ofMinutes(30);
  /** A session ends this long after sign-in whatever its use: one working day. */
  static final Duration ABSOLUTE_TIMEOUT = Duration.ofHours(12);
  /** {@code last_seen_at} is written at most this often, to spare a write per request. */
  private static final Duration LAST_SEEN_PRECISION = Duration.ofMinutes(1);
  private static final SecureRandom RANDOM = new SecureRandom();

  private final DataSource dataSource;
  private final Tenants tenants;
  private final InstantSource clock;

  WebSessions(DataSource dataSource, Tenants tenants, InstantSource clock) {
    this.dataSource = dataSource;
    this.tenants = tenants;
    this.clock = clock;
  }

  /** Starts a session for a user and returns the cookie value, which exists only now. */
  String start(long tenantId, long userId, String client) {
    String token = randomToken();
    Instant now = clock.instant();
    try (Connection connection = dataSource.getConnection();
        PreparedStatement insert = connection.prepareStatement(
            "INSERT INTO web_session (token_sha256, tenant_id, user_id, csrf_token, created_at,"
                + " last_seen_at, client) VALUES (?, ?, ?, ?, ?, ?, ?)")) {
      insert.setBytes(1, sha256(token));
      insert.setLong(2, tenantId);
      insert.setLong(3, userId);
      insert.setString(4, randomToken());
      insert.setTimestamp(5, Timestamp.from(now));
      insert.setTimestamp(6, Timestamp.from(now));
      insert.setString(7, client);
      insert.executeUpdate();
      return token;
    } catch (SQLException e) {
      throw new IllegalStateException("could not start a session for user " + userId, e);
    }
  }

  /** Returns who the cookie value signs in, or empty when it is unknown, expired or revoked. */
  Optional<SignedIn> find(String token) {
    if (token == null || token.length() != 43) {
      return Optional.empty();
    }
    Instant now = clock.instant();
    try (Connection connection = dataSource.getConnection();
        PreparedStatement select = connection.prepareStatement(
            "SELECT s.user_id, s.tenant_id, u.email, u.role, s.csrf_token, s.created_at,"
                + " s.last_seen_at FROM web_session s JOIN app_user u ON u.id = s.user_id"
                + " WHERE s.token_sha256 = ? AND NOT u.disabled")) {
      select.setBytes(1, sha256(token));
      try (ResultSet rows = select.executeQuery()) {
        if (!rows.next()) {
          return Optional.empty();
        }
        Instant created = rows.getTimestamp(6).toInstant();
        Instant lastSeen = rows.getTimestamp(7).toInstant();
        if (!now.isBefore(created.plus(ABSOLUTE_TIMEOUT))
            || !now.isBefore(lastSeen.plus(IDLE_TIMEOUT))) {
          end(token);
          return Optional.empty();
        }
        if (!now.isBefore(lastSeen.plus(LAST_SEEN_PRECISION))) {
          touch(connection, token, now);
        }
        long tenantId = rows.getLong(2);
        return tenants.find(tenantId).map(tenant -> signedIn(rows, tenant));
      }
    } catch (SQLException e) {
      throw new IllegalStateException("could not read a session", e);
    }
  }

  /** Ends the session of this cookie value; nothing happens when there is none. */
  void end(String token) {
    if (token == null) {
      return;
    }
    try (Connection connection = dataSource.getConnection();
        PreparedStatement delete =
            connection.prepareStatement("DELETE FROM web_session WHERE token_sha256 = ?")) {
      delete.setBytes(1, sha256(token));
      delete.executeUpdate();
    } catch (SQLException e) {
      throw new IllegalStateException("could not end a session", e);
    }
  }

  private static SignedIn signedIn(ResultSet rows, io.natalia.cloud.tenant.Tenant tenant) {
    try {
      return new SignedIn(rows.getLong(1), rows.getString(3), Role.valueOf(rows.getString(4)),
          tenant, rows.getString(5));
    } catch (SQLException e) {
      throw new IllegalStateException("could not read a session", e);
    }
  }

  private static void touch(Connection connection, String token, Instant now)
      throws SQLException {
    try (PreparedStatement update = connection.prepareStatement(
        "UPDATE web_session SET last_seen_at = ? WHERE token_sha256 = ?")) {
      update.setTimestamp(1, Timestamp.from(now));
      update.setBytes(2, sha256(token));
      update.executeUpdate();
    }
  }

  /** Returns 256 random bits, URL-safe Base64 without padding (43 characters). */
  static String randomToken() {
    byte[] bytes = new byte[32];
    RANDOM.nextBytes(bytes);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }

  private static byte[] sha256(String token) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK provides SHA-256", e);
    }
  }
}
