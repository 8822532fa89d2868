package io.natalia.cloud.service;

import io.natalia.cloud.audit.AuditLog;
import io.natalia.cloud.auth.ApiKeys;
import io.natalia.cloud.auth.PasswordHasher;
import io.natalia.cloud.auth.Users;
import io.natalia.cloud.store.Database;
import io.natalia.cloud.store.Partitions;
import io.natalia.cloud.tenant.MasterKey;
import io.natalia.cloud.tenant.Tenants;
import java.time.Clock;
import javax.sql.DataSource;

/**
 * The cloud's stores over one database: what both the service and the admin commands need.
 *
 * @param dataSource the database's connection pool
 * @param owner what closing these parts closes (the database), or null
 */
public record CloudParts(
    DataSource dataSource,
    AutoCloseable owner,
    AuditLog auditLog,
    Tenants tenants,
    Users users,
    ApiKeys apiKeys,
    Partitions partitions,
    Clock clock) implements AutoCloseable {

  /** Opens the configured database (migrating it) and the master key. */
  public static CloudParts open(CloudConfig config, Clock clock) {
    MasterKey masterKey = MasterKey.fromFile(config.masterKeyFile());
    Database database = Database.open(config.database());
    return over(database.dataSource(), database, masterKey, new PasswordHasher(), clock);
  }

  /**
   * Builds the stores over a migrated database; tests pass a cheap password hasher.
   *
   * @param owner closed by {@link #close}, or null
   */
  public static CloudParts over(DataSource dataSource, AutoCloseable owner, MasterKey masterKey,
      PasswordHasher hasher, Clock clock) {
    AuditLog auditLog = new AuditLog(dataSource, clock);
    return new CloudParts(dataSource, owner, auditLog, new Tenants(dataSource, masterKey, auditLog),
        new Users(dataSource, hasher, auditLog), new ApiKeys(dataSource, auditLog, clock),
        new Partitions(dataSource), clock);
  }

  @Override
  public void close() {
    if (owner != null) {
      try {
        owner.close();
      } catch (Exception e) {
        throw new IllegalStateException("could not close " + owner, e);
      }
    }
  }
}
