package io.natalia.cloud.service;

import io.natalia.cloud.ingest.IngestSettings;
import io.natalia.cloud.stitch.Stitcher;
import io.natalia.cloud.store.DatabaseSettings;
import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;

/**
 * Settings of {@code natalia cloud}, read from a properties file. Relative paths are relative
 * to the file's folder. Every key is optional:
 *
 * <pre>
 * listen.host=0.0.0.0            # address of the HTTPS server
 * listen.port=8444               # 0: any free port
 * data.dir=data                  # embedded PostgreSQL, master key, self-signed certificate
 * database.url=                  # jdbc:postgresql://...; empty: embedded PostgreSQL
 * database.user=
 * database.password-file=        # file holding the database password
 * database.pool-size=10
 * master-key.file=               # default: data.dir/master.key, created on first start
 * tls.certificate=               # PEM chain; empty: self-signed, kept in data.dir
 * tls.private-key=               # PEM key of tls.certificate
 * ingest.max-body-bytes=16777216
 * ingest.max-decoded-bytes=67108864
 * ingest.max-records=50000
 * ingest.requests-per-second=20
 * ingest.burst=40
 * stitch.tolerance-seconds=5
 * stitch.interval-seconds=0      # 0: stitch right after each batch; else only this often
 * smtp.host=                     # SMTP server of alert and reveal mails; empty: no mail
 * smtp.port=                     # default: 587 for starttls, 465 for tls, 25 for none
 * smtp.security=starttls         # none, starttls or tls
 * smtp.user=                     # login; empty: no authentication
 * smtp.password-file=            # file holding the password of smtp.user
 * smtp.from=                     # sender address, required with smtp.host
 * </pre>
 *
 * <p>Passwords are read from files named in the configuration, never written in it, and
 * {@link #toString} of the settings leaves them out.
 */
public record CloudConfig(
    String host,
    int port,
    Path dataDirectory,
    DatabaseSettings database,
    Path masterKeyFile,
    Path tlsCertificate,
    Path tlsPrivateKey,
    IngestSettings ingest,
    Duration stitchTolerance,
    Duration stitchInterval,
    SmtpSettings smtp) {

  /** Port of the cloud unless configured: next to the agent's 8443 on one machine. */
  public static final int DEFAULT_PORT = 8444;

  private static final Set<String> KEYS = Set.of("listen.host", "listen.port", "data.dir",
      "database.url", "database.user", "database.password-file", "database.pool-size",
      "master-key.file", "tls.certificate", "tls.private-key", "ingest.max-body-bytes",
      "ingest.max-decoded-bytes", "ingest.max-records", "ingest.requests-per-second",
      "ingest.burst", "stitch.tolerance-seconds", "stitch.interval-seconds", "smtp.host",
      "smtp.port", "smtp.security", "smtp.user", "smtp.password-file", "smtp.from");

  /**
   * Reads a configuration file.
   *
   * @throws IllegalArgumentException naming the key and the value that is wrong
   */
  public static CloudConfig load(Path file) {
    Properties properties = new Properties();
    try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      properties.load(reader);
    } catch (IOException e) {
      throw new UncheckedIOException("could not read the configuration " + file, e);
    }
    Path base = file.toAbsolutePath().getParent();
    return from(properties, base, file.toString());
  }

  /** Reads settings from properties; {@code source} names them in messages. */
  public static CloudConfig from(Properties properties, Path base, String source) {
    Set<String> unknown = new TreeSet<>(properties.stringPropertyNames());
    unknown.removeAll(KEYS);
    if (!unknown.isEmpty()) {
      throw new IllegalArgumentException(source + ": unknown settings " + unknown
          + "; known settings are " + new TreeSet<>(KEYS));
    }
    Values values = new Values(properties, source);
    Path data = base.resolve(values.text("data.dir", "data"));
    String url = values.text("database.url", "");
    int pool = (int) values.integer("database.pool-size", DatabaseSettings.DEFAULT_POOL_SIZE);
    DatabaseSettings database = url.isEmpty()
        ? DatabaseSettings.embedded(data.resolve("postgres")).withMaxPoolSize(pool)
        : new DatabaseSettings(url, emptyToNull(values.text("database.user", "")),
            password(base, "database.password-file", values, source), null, pool);
    IngestSettings defaults = IngestSettings.defaults();
    IngestSettings ingest = new IngestSettings(
        values.integer("ingest.max-body-bytes", defaults.maxBodyBytes()),
        values.integer("ingest.max-decoded-bytes", defaults.maxDecodedBytes()),
        (int) values.integer("ingest.max-records", defaults.maxRecords()),
        values.integer("ingest.requests-per-second", (long) defaults.requestsPerSecond()),
        (int) values.integer("ingest.burst", defaults.burst()));
    String certificate = values.text("tls.certificate", "");
    String key = values.text("tls.private-key", "");
    if (certificate.isEmpty() != key.isEmpty()) {
      throw new IllegalArgumentException(
          source + ": tls.certificate and tls.private-key go together; set both or neither");
    }
    return new CloudConfig(
        values.text("listen.host", "0.0.0.0"),
        (int) values.integer("listen.port", DEFAULT_PORT),
        data,
        database,
        base.resolve(values.text("master-key.file", data.resolve("master.key").toString())),
        certificate.isEmpty() ? null : base.resolve(certificate),
        key.isEmpty() ? null : base.resolve(key),
        ingest,
        Duration.ofSeconds(values.integer("stitch.tolerance-seconds",
            Stitcher.DEFAULT_TOLERANCE.toSeconds())),
        Duration.ofSeconds(values.integer("stitch.interval-seconds", 0)),
        smtp(values, base, source));
  }

  /** Returns the SMTP settings, or null when no smtp.* key is set. */
  private static SmtpSettings smtp(Values values, Path base, String source) {
    boolean anySet = values.properties().stringPropertyNames().stream()
        .anyMatch(key -> key.startsWith("smtp.") && !values.text(key, "").isEmpty());
    if (!anySet) {
      return null;
    }
    String security = values.text("smtp.security", "starttls");
    try {
      return new SmtpSettings(values.text("smtp.host", ""),
          (int) values.integer("smtp.port", SmtpSettings.defaultPort(security)),
          security,
          emptyToNull(values.text("smtp.user", "")),
          password(base, "smtp.password-file", values, source),
          emptyToNull(values.text("smtp.from", "")));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(source + ": " + e.getMessage(), e);
    }
  }

  /** Reads the password in the file the key names, or returns null when the key is empty. */
  private static String password(Path base, String key, Values values, String source) {
    String file = values.text(key, "");
    if (file.isEmpty()) {
      return null;
    }
    Path path = base.resolve(file);
    try {
      return Files.readString(path, StandardCharsets.UTF_8).strip();
    } catch (IOException e) {
      throw new UncheckedIOException(source + ": could not read " + key + " " + path, e);
    }
  }

  /** Returns the settings with the passwords left out. */
  @Override
  public String toString() {
    return "CloudConfig[listen " + host + ":" + port + ", data " + dataDirectory + ", "
        + database + ", master key " + masterKeyFile + ", tls " + (tlsCertificate == null
            ? "self-signed" : tlsCertificate.toString()) + ", " + ingest + ", stitch tolerance "
        + stitchTolerance + " interval " + stitchInterval + ", mail "
        + (smtp == null ? "off" : smtp.toString()) + "]";
  }

  private static String emptyToNull(String text) {
    return text.isEmpty() ? null : text;
  }

  /** Typed access to the properties with messages naming key and value. */
  private record Values(Properties properties, String source) {
    String text(String key, String fallback) {
      return properties.getProperty(key, fallback).strip();
    }

    long integer(String key, long fallback) {
      String text = text(key, "");
      if (text.isEmpty()) {
        return fallback;
      }
      try {
        long value = Long.parseLong(text);
        if (value < 0) {
          throw new NumberFormatException("negative");
        }
        return value;
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException(
            source + ": " + key + " must be a whole number >= 0: '" + text + "'", e);
      }
    }
  }
}
