package io.natalia.cloud.auth;

import io.natalia.cloud.audit.AuditLog;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import javax.sql.DataSource;

/** The people of each tenant, with their role and Argon2id password hash. Thread-safe. */
public final class Users {
  private final DataSource dataSource;
  private final PasswordHasher hasher;
  private final AuditLog auditLog;

  public Users(DataSource dataSource, PasswordHasher hasher, AuditLog auditLog) {
    this.dataSource = dataSource;
    this.hasher = hasher;
    this.auditLog = auditLog;
  }

  /**
   * A user as stored, without the hash.
   *
   * @param email login name, lower case
   */
  public record User(long id, long tenantId, String email, Role role, boolean disabled) {}

  /**
   * Adds a user to a tenant.
   *
   * @throws IllegalArgumentException when the e-mail is malformed or taken, or the password is
   *     too short
   */
  public User add(long tenantId, String email, Role role, char[] password, String actor) {
    String login = email == null ? "" : email.strip().toLowerCase(Locale.ROOT);
    if (!login.matches("[^@\\s]+@[^@\\s]+")) {
      throw new IllegalArgumentException("e-mail address is not valid: '" + email + "'");
    }
    if (find(login).isPresent()) {
      // Limitation: see docs/known-limitations.md#email-unique-across-tenants
      throw new IllegalArgumentException("a user with e-mail " + login + " already exists");
    }
    String hash = hasher.hash(password);
    try (Connection connection = dataSource.getConnection()) {
      connection.setAutoCommit(false);
      long id;
      try (PreparedStatement insert = connection.prepareStatement(
          "INSERT INTO app_user (tenant_id, email, role, password_hash) VALUES (?, ?, ?, ?)"
              + " RETURNING id")) {
        insert.setLong(1, tenantId);
        insert.setString(2, login);
        insert.setString(3, role.name());
        insert.setString(4, hash);
        try (ResultSet rows = insert.executeQuery()) {
          rows.next();
          id = rows.getLong(1);
        }
      }
      auditLog.append(connection, tenantId, actor, "user.add", login,
          Map.of("role", role.name()));
      connection.commit();
      return new User(id, tenantId, login, role, false);
    } catch (SQLException e) {
      throw new IllegalStateException("could not add user " + login, e);
    }
  }

  /** Returns the user with this e-mail (any case). */
  public Optional<User> find(String email) {
    try (Connection connection = dataSource.getConnection();
        PreparedStatement select = connection.prepareStatement(
            "SELECT id, tenant_id, email, role, disabled FROM app_user WHERE email = ?")) {
      select.setString(1, email.strip().toLowerCase(Locale.ROOT));
      try (ResultSet rows = select.executeQuery()) {
        if (!rows.next()) {
          return Optional.empty();
        }
        return Optional.of(new User(rows.getLong(1), rows.getLong(2), rows.getString(3),
            Role.valueOf(rows.getString(4)), rows.getBoolean(5)));
      }
    } catch (SQLException e) {
      throw new IllegalStateException("could not read user " + email, e);
    }
  }

  /**
   * Returns the user when the e-mail and password match an enabled account. Lock-out and
   * auditing of failed logins belong to the login page, which sees the client's address.
   */
  public Optional<User> checkPassword(String email, char[] password) {
    try (Connection connection = dataSource.getConnection();
        PreparedStatement select = connection.prepareStatement(
            "SELECT password_hash FROM app_user WHERE email = ? AND NOT disabled")) {
      select.setString(1, email.strip().toLowerCase(Locale.ROOT));
      try (ResultSet rows = select.executeQuery()) {
        if (!rows.next() || !hasher.verify(password, rows.getString(1))) {
          return Optional.empty();
        }
      }
    } catch (SQLException e) {
      throw new IllegalStateException("could not check the password of " + email, e);
    }
    return find(email);
  }
}
