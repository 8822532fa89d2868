package io.natalia.cloud.store;

import java.nio.file.Path;
import java.util.Objects;

/**
 * Where the cloud keeps its data.
 *
 * <p>With a {@code jdbcUrl} the cloud uses that PostgreSQL (production). Without one it starts
 * an embedded PostgreSQL whose data lives under {@code embeddedDataDirectory} and survives
 * restarts, so a fresh machine needs no install step.
 *
 * @param jdbcUrl an external PostgreSQL ({@code jdbc:postgresql://host:5432/natalia}), or null
 * @param user login for {@code jdbcUrl}, or null to take it from the URL
 * @param password password for {@code jdbcUrl}, or null
 * @param embeddedDataDirectory folder of the embedded PostgreSQL; used only without a URL
 * @param maxPoolSize most connections the pool opens
 */
public record DatabaseSettings(
    String jdbcUrl, String user, String password, Path embeddedDataDirectory, int maxPoolSize) {

  /** Enough for ingest, the stitcher and the dashboard on a small machine. */
  public static final int DEFAULT_POOL_SIZE = 10;

  public DatabaseSettings {
    if (jdbcUrl == null) {
      Objects.requireNonNull(embeddedDataDirectory, "embeddedDataDirectory (no jdbcUrl given)");
    } else if (!jdbcUrl.startsWith("jdbc:postgresql:")) {
      throw new IllegalArgumentException(
          "database url must start with jdbc:postgresql: : '" + jdbcUrl + "'");
    }
    if (maxPoolSize < 1) {
      throw new IllegalArgumentException("maxPoolSize must be at least 1: " + maxPoolSize);
    }
  }

  /** Returns settings for an embedded PostgreSQL keeping its data under {@code directory}. */
  public static DatabaseSettings embedded(Path directory) {
    return new DatabaseSettings(null, null, null, directory, DEFAULT_POOL_SIZE);
  }

  /** Returns settings for an external PostgreSQL. */
  public static DatabaseSettings external(String jdbcUrl, String user, String password) {
    return new DatabaseSettings(jdbcUrl, user, password, null, DEFAULT_POOL_SIZE);
  }

  /** Returns a copy with another pool size. */
  public DatabaseSettings withMaxPoolSize(int size) {
    return new DatabaseSettings(jdbcUrl, user, password, embeddedDataDirectory, size);
  }

  /** Hides the password, so that settings can be logged. */
  @Override
  public String toString() {
    return jdbcUrl == null
        ? "embedded PostgreSQL in " + embeddedDataDirectory
        : "PostgreSQL at " + jdbcUrl + (user == null ? "" : " as " + user);
  }
}
