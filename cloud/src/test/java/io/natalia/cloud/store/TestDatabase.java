package io.natalia.cloud.store;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;
import java.util.UUID;
import javax.sql.DataSource;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A fresh, migrated PostgreSQL database for one test class.
 *
 * <pre>{@code
 * @RegisterExtension static final TestDatabase db = new TestDatabase();
 * ... db.dataSource() ...
 * }</pre>
 *
 * <p>By default the databases live in one embedded PostgreSQL per test JVM. With the
 * environment variable {@code NATALIA_TEST_PG_URL} set (a JDBC URL with user and password, for
 * a role allowed to create databases, e.g.
 * {@code jdbc:postgresql://127.0.0.1:5432/postgres?user=natalia&password=...}) they are created
 * on that server instead. Each test class gets its own database, dropped after the class.
 */
public final class TestDatabase implements BeforeAllCallback, AfterAllCallback {
  /** Environment variable naming an external PostgreSQL for the tests. */
  public static final String EXTERNAL_URL_VARIABLE = "NATALIA_TEST_PG_URL";

  private final int maxPoolSize;
  private String name;
  private String jdbcUrl;
  private HikariDataSource pool;

  public TestDatabase() {
    this(8);
  }

  public TestDatabase(int maxPoolSize) {
    this.maxPoolSize = maxPoolSize;
  }

  @Override
  public void beforeAll(ExtensionContext context) throws SQLException {
    name = "natalia_test_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
    Server.INSTANCE.execute("CREATE DATABASE " + name);
    jdbcUrl = Server.INSTANCE.urlOf(name);
    HikariConfig config = new HikariConfig();
    config.setJdbcUrl(jdbcUrl);
    config.setMaximumPoolSize(maxPoolSize);
    config.setPoolName("test-" + name);
    config.addDataSourceProperty("reWriteBatchedInserts", "true");
    pool = new HikariDataSource(config);
    Database.migrate(pool);
  }

  @Override
  public void afterAll(ExtensionContext context) throws SQLException {
    if (pool != null) {
      pool.close();
    }
    Server.INSTANCE.execute("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
  }

  /** Returns a pool on this class's database. */
  public DataSource dataSource() {
    return pool;
  }

  /** Runs one SQL statement on this class's database. */
  public void execute(String sql) throws SQLException {
    try (Connection connection = pool.getConnection();
        Statement statement = connection.createStatement()) {
      statement.execute(sql);
    }
  }

  /** Returns the first column of the first row of a query on this class's database. */
  public long scalar(String sql) throws SQLException {
    try (Connection connection = pool.getConnection();
        Statement statement = connection.createStatement();
        ResultSet rows = statement.executeQuery(sql)) {
      rows.next();
      return rows.getLong(1);
    }
  }

  /** Returns the JDBC URL of this class's database, credentials included. */
  public String jdbcUrl() {
    return jdbcUrl;
  }

  /** The PostgreSQL server shared by every test class of the JVM. */
  private static final class Server {
    static final Server INSTANCE = new Server();

    private final String adminUrl;

    private Server() {
      String external = System.getenv(EXTERNAL_URL_VARIABLE);
      if (external != null && !external.isBlank()) {
        adminUrl = external;
      } else {
        adminUrl = startEmbedded();
      }
    }

    private static String startEmbedded() {
      try {
        Path tmp = Path.of(System.getProperty("java.io.tmpdir"));
        Files.createDirectories(tmp);
        Path data = Files.createTempDirectory(tmp, "pg-").resolve("data");
        EmbeddedPostgresServer server =
            EmbeddedPostgresServer.start(tmp.resolve("pg-binaries"), data, true);
        Runtime.getRuntime().addShutdownHook(new Thread(server::close, "test-postgres-stop"));
        return server.jdbcUrl("postgres");
      } catch (java.io.IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
    }

    void execute(String sql) throws SQLException {
      try (Connection connection = DriverManager.getConnection(adminUrl);
          Statement statement = connection.createStatement()) {
        statement.execute(sql);
      }
    }

    /** Returns the admin URL with its database replaced by {@code database}. */
    String urlOf(String database) {
      int query = adminUrl.indexOf('?');
      String base = query < 0 ? adminUrl : adminUrl.substring(0, query);
      String params = query < 0 ? "" : adminUrl.substring(query);
      int slash = base.lastIndexOf('/');
      if (slash < "jdbc:postgresql://".length()) {
        throw new IllegalArgumentException(
            EXTERNAL_URL_VARIABLE + " must name a database, e.g. .../postgres: " + redact(base));
      }
      return base.substring(0, slash + 1) + database.toLowerCase(Locale.ROOT) + params;
    }

    private static String redact(String url) {
      return url.replaceAll("password=[^&]*", "password=***");
    }
  }
}
