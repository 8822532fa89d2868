package io.natalia.cloud.tenant;

import io.natalia.cloud.audit.AuditLog;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import javax.sql.DataSource;

/**
 * Creates and reads tenants, and caches their keys.
 *
 * <p>Each tenant gets a random 32-byte secret at creation, stored sealed under the master key;
 * its keys are derived once and cached. Thread-safe.
 */
public final class Tenants {
  private static final String COLUMNS =
      "id, name, time_zone, currency, retention_days, callback_window_seconds";

  private final DataSource dataSource;
  private final MasterKey masterKey;
  private final AuditLog auditLog;
  private final ConcurrentMap<Long, TenantKeys> keys = new ConcurrentHashMap<>();

  public Tenants(DataSource dataSource, MasterKey masterKey, AuditLog auditLog) {
    this.dataSource = dataSource;
    this.masterKey = masterKey;
    this.auditLog = auditLog;
  }

  /**
   * Creates a tenant.
   *
   * @throws IllegalArgumentException when a setting is invalid or the name is taken
   */
  public Tenant create(String name, String timeZone, String currency, int retentionDays,
      String actor) {
    if (name == null || name.isBlank() || name.length() > 200) {
      throw new IllegalArgumentException("tenant name must be 1 to 200 characters: '" + name + "'");
    }
    ZoneId zone = zone(timeZone);
    if (currency == null || !currency.matches("[A-Z]{3}")) {
      throw new IllegalArgumentException(
          "currency must be an ISO 4217 code such as EUR: '" + currency + "'");
    }
    if (retentionDays < 1 || retentionDays > 36_500) {
      throw new IllegalArgumentException(
          "retention must be 1 to 36500 days: " + retentionDays);
    }
    if (findByName(name).isPresent()) {
      throw new IllegalArgumentException("a tenant named '" + name + "' already exists");
    }
    byte[] secret = TenantKeys.newSecret();
    try (Connection connection = dataSource.getConnection()) {
      connection.setAutoCommit(false);
      long id;
      try (PreparedStatement insert = connection.prepareStatement(
          "INSERT INTO tenant (name, time_zone, currency, retention_days, secret_cipher)"
              + " VALUES (?, ?, ?, ?, ?) RETURNING id")) {
        insert.setString(1, name);
        insert.setString(2, zone.getId());
        insert.setString(3, currency);
        insert.setInt(4, retentionDays);
        insert.setBytes(5, masterKey.seal(secret));
        try (ResultSet rows = insert.executeQuery()) {
          rows.next();
          id = rows.getLong(1);
        }
      }
      auditLog.append(connection, id, actor, "tenant.create", name, Map.of(
          "timeZone", zone.getId(), "currency", currency, "retentionDays", retentionDays));
      connection.commit();
      keys.put(id, new TenantKeys(secret));
      return new Tenant(id, name, zone, currency, retentionDays, Duration.ofHours(24));
    } catch (SQLException e) {
      throw new IllegalStateException("could not create tenant '" + name + "'", e);
    } finally {
      TenantKeys.wipe(secret);
    }
  }

  /** Returns the tenant with this id. */
  public Optional<Tenant> find(long id) {
    return one("SELECT " + COLUMNS + " FROM tenant WHERE id = ?", id);
  }

  /** Returns the tenant with this name. */
  public Optional<Tenant> findByName(String name) {
    return one("SELECT " + COLUMNS + " FROM tenant WHERE name = ?", name);
  }

  /** Returns every tenant, by id. */
  public List<Tenant> all() {
    try (Connection connection = dataSource.getConnection();
        PreparedStatement select =
            connection.prepareStatement("SELECT " + COLUMNS + " FROM tenant ORDER BY id");
        ResultSet rows = select.executeQuery()) {
      List<Tenant> tenants = new ArrayList<>();
      while (rows.next()) {
        tenants.add(tenant(rows));
      }
      return tenants;
    } catch (SQLException e) {
      throw new IllegalStateException("could not read the tenants", e);
    }
  }

  /**
   * Returns the keys of a tenant.
   *
   * @throws IllegalStateException when the tenant does not exist or its secret cannot be opened
   *     with this master key
   */
  public TenantKeys keys(long tenantId) {
    return keys.computeIfAbsent(tenantId, this::loadKeys);
  }

  private TenantKeys loadKeys(long tenantId) {
    try (Connection connection = dataSource.getConnection();
        PreparedStatement select =
            connection.prepareStatement("SELECT secret_cipher FROM tenant WHERE id = ?")) {
      select.setLong(1, tenantId);
      try (ResultSet rows = select.executeQuery()) {
        if (!rows.next()) {
          throw new IllegalStateException("no tenant with id " + tenantId);
        }
        byte[] secret = open(tenantId, rows.getBytes(1));
        try {
          return new TenantKeys(secret);
        } finally {
          TenantKeys.wipe(secret);
        }
      }
    } catch (SQLException e) {
      throw new IllegalStateException("could not read the secret of tenant " + tenantId, e);
    }
  }

  private byte[] open(long tenantId, byte[] sealed) {
    try {
      return masterKey.open(sealed);
    } catch (IllegalStateException e) {
      throw new IllegalStateException("cannot open the secret of tenant " + tenantId
          + ": is this the master key the tenant was created with?", e);
    }
  }

  private Optional<Tenant> one(String sql, Object key) {
    try (Connection connection = dataSource.getConnection();
        PreparedStatement select = connection.prepareStatement(sql)) {
      select.setObject(1, key);
      try (ResultSet rows = select.executeQuery()) {
        return rows.next() ? Optional.of(tenant(rows)) : Optional.empty();
      }
    } catch (SQLException e) {
      throw new IllegalStateException("could not read tenant " + key, e);
    }
  }

  private static Tenant tenant(ResultSet rows) throws SQLException {
    return new Tenant(
        rows.getLong(1),
        rows.getString(2),
        ZoneId.of(rows.getString(3)),
        rows.getString(4),
        rows.getInt(5),
        Duration.ofSeconds(rows.getInt(6)));
  }

  private static ZoneId zone(String timeZone) {
    try {
      return ZoneId.of(timeZone);
    } catch (DateTimeException | NullPointerException e) {
      throw new IllegalArgumentException(
          "time zone must be a region id such as Europe/Paris: '" + timeZone + "'", e);
    }
  }
}
