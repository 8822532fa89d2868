package io.natalia.agent.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Maps {@link AgentConfig} to and from the JSON configuration file. Secrets pass through a
 * {@link SecretCodec}, which stores them encrypted.
 */
final class ConfigJson {
  private static final Pattern SHORT_DURATION = Pattern.compile("(\\d+)\\s*(s|m|min|h)");
  private static final int DEFAULT_BATCH_MAX_RECORDS = 1000;
  private static final long DEFAULT_BATCH_MAX_BYTES = 4L * 1024 * 1024;
  private static final int DEFAULT_WEB_PORT = 8443;
  private static final long MEGABYTE = 1024L * 1024;

  /** Turns a secret into its stored text and back. */
  interface SecretCodec {
    String encode(String field, Secret secret);

    Secret decode(String field, String stored) throws ConfigException;
  }

  private ConfigJson() {}

  static AgentConfig read(JsonNode root, Path baseDir, SecretCodec secrets)
      throws ConfigException {
    if (root == null || !root.isObject()) {
      throw new ConfigException("(file)", "must be a JSON object");
    }
    JsonNode pbx = section(root, "pbx");
    JsonNode cloud = section(root, "cloud");
    JsonNode buffer = section(root, "buffer");
    JsonNode web = section(root, "web");
    return new AgentConfig(
        path(baseDir, text(root, "dataDir", "data", false)),
        readPbx(pbx, baseDir, secrets),
        new AgentConfig.Cloud(
            uri("cloud.url", text(cloud, "url", null, false)),
            secret(cloud, "cloud.apiKey", "apiKey", secrets),
            AgentConfig.normalizeFingerprint(text(cloud, "certificateSha256", null, false)),
            optionalPath(baseDir, text(cloud, "caCertificateFile", null, false)),
            (int) number(cloud, "cloud", "batchMaxRecords", DEFAULT_BATCH_MAX_RECORDS),
            number(cloud, "cloud", "batchMaxBytes", DEFAULT_BATCH_MAX_BYTES)),
        new AgentConfig.Buffer(MEGABYTE * number(buffer, "buffer", "maxMegabytes",
            AgentConfig.DEFAULT_BUFFER_MAX_BYTES / MEGABYTE)),
        new AgentConfig.Web(
            text(web, "address", AgentConfig.Web.ALL_INTERFACES, false),
            (int) number(web, "web", "port", DEFAULT_WEB_PORT),
            web.hasNonNull("metricsToken") ? secret(web, "web.metricsToken", "metricsToken",
                secrets) : null));
  }

  static ObjectNode write(AgentConfig config, SecretCodec secrets) {
    ObjectNode root = JsonNodeFactory.instance.objectNode();
    root.put("dataDir", config.dataDir().toString());
    ObjectNode pbx = root.putObject("pbx");
    AgentConfig.Pbx p = config.pbx();
    pbx.put("id", p.id());
    pbx.put("type", p.type().name());
    pbx.put("host", p.host());
    pbx.put("port", p.port());
    pbx.put("login", p.login());
    pbx.put("password", encodeNullable(secrets, "pbx.password", p.password()));
    pbx.put("timeZone", p.timeZone() == null ? null : p.timeZone().getId());
    pbx.put("pollInterval", p.pollInterval().toString());
    pbx.put("overlap", p.overlap().toString());
    pbx.put("certificateSha256", p.certificateSha256());
    pbx.put("caCertificateFile", nullableText(p.caCertificateFile()));
    ObjectNode cloud = root.putObject("cloud");
    AgentConfig.Cloud c = config.cloud();
    cloud.put("url", c.url() == null ? null : c.url().toString());
    cloud.put("apiKey", encodeNullable(secrets, "cloud.apiKey", c.apiKey()));
    cloud.put("certificateSha256", c.certificateSha256());
    cloud.put("caCertificateFile", nullableText(c.caCertificateFile()));
    cloud.put("batchMaxRecords", c.batchMaxRecords());
    cloud.put("batchMaxBytes", c.batchMaxBytes());
    root.putObject("buffer").put("maxMegabytes", config.buffer().maxBytes() / MEGABYTE);
    ObjectNode web = root.putObject("web");
    web.put("address", config.web().address());
    web.put("port", config.web().port());
    if (config.web().metricsToken() != null) {
      web.put("metricsToken", secrets.encode("web.metricsToken", config.web().metricsToken()));
    }
    return root;
  }

  /**
   * Parses a duration written {@code 30m}, {@code 45s}, {@code 1h} or ISO-8601 ({@code PT30M}).
   *
   * @throws ConfigException naming the field and the value when it is neither
   */
  static Duration duration(String field, String text) throws ConfigException {
    String trimmed = text.trim().toLowerCase(Locale.ROOT);
    Matcher matcher = SHORT_DURATION.matcher(trimmed);
    try {
      if (matcher.matches()) {
        long amount = Long.parseLong(matcher.group(1));
        return switch (matcher.group(2)) {
          case "s" -> Duration.ofSeconds(amount);
          case "h" -> Duration.ofHours(amount);
          default -> Duration.ofMinutes(amount);
        };
      }
      return Duration.parse(text.trim());
    } catch (NumberFormatException | ArithmeticException e) {
      throw new ConfigException(field, "is too long a duration: '" + text + "'", e);
    } catch (DateTimeParseException e) {
      throw new ConfigException(field,
          "must be a duration such as 30m, 45s, 1h or PT30M: '" + text + "'", e);
    }
  }

  private static AgentConfig.Pbx readPbx(JsonNode pbx, Path baseDir, SecretCodec secrets)
      throws ConfigException {
    String type = text(pbx, "type", "OXO", false);
    PbxType pbxType;
    try {
      pbxType = PbxType.valueOf(type.toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new ConfigException("pbx.type", "must be OXO or OXE: '" + type + "'", e);
    }
    return new AgentConfig.Pbx(
        text(pbx, "id", "pbx", false),
        pbxType,
        text(pbx, "host", null, false),
        (int) number(pbx, "pbx", "port", 443),
        text(pbx, "login", null, false),
        secret(pbx, "pbx.password", "password", secrets),
        zone(text(pbx, "timeZone", null, false)),
        duration("pbx.pollInterval",
            text(pbx, "pollInterval", AgentConfig.DEFAULT_POLL_INTERVAL.toString(), false)),
        duration("pbx.overlap",
            text(pbx, "overlap", AgentConfig.DEFAULT_OVERLAP.toString(), false)),
        AgentConfig.normalizeFingerprint(text(pbx, "certificateSha256", null, false)),
        optionalPath(baseDir, text(pbx, "caCertificateFile", null, false)));
  }

  private static JsonNode section(JsonNode root, String name) throws ConfigException {
    JsonNode node = root.get(name);
    if (node == null || node.isNull()) {
      return JsonNodeFactory.instance.objectNode();
    }
    if (!node.isObject()) {
      throw new ConfigException(name, "must be a JSON object");
    }
    return node;
  }

  private static String text(JsonNode node, String name, String fallback, boolean required)
      throws ConfigException {
    JsonNode value = node.get(name);
    if (value == null || value.isNull() || value.asText().isBlank()) {
      if (required) {
        throw new ConfigException(name, "is required");
      }
      return fallback;
    }
    if (!value.isValueNode()) {
      throw new ConfigException(name, "must be a text value: " + value);
    }
    return value.asText();
  }

  private static long number(JsonNode node, String section, String name, long fallback)
      throws ConfigException {
    JsonNode value = node.get(name);
    if (value == null || value.isNull()) {
      return fallback;
    }
    if (!value.canConvertToLong() || !value.isIntegralNumber()) {
      throw new ConfigException(section + "." + name, "must be a whole number: " + value);
    }
    return value.asLong();
  }

  /** Reads a secret, or returns null when it is not set ({@link AgentConfig} checks that). */
  private static Secret secret(JsonNode node, String field, String name, SecretCodec secrets)
      throws ConfigException {
    String stored = text(node, name, null, false);
    return stored == null ? null : secrets.decode(field, stored);
  }

  private static String encodeNullable(SecretCodec secrets, String field, Secret secret) {
    return secret == null ? null : secrets.encode(field, secret);
  }

  private static ZoneId zone(String text) throws ConfigException {
    if (text == null) {
      return null;
    }
    try {
      return ZoneId.of(text);
    } catch (DateTimeException e) {
      throw new ConfigException("pbx.timeZone",
          "must be a time zone id such as Europe/Paris: '" + text + "'", e);
    }
  }

  private static URI uri(String field, String text) throws ConfigException {
    if (text == null) {
      return null;
    }
    try {
      return new URI(text.endsWith("/") ? text.substring(0, text.length() - 1) : text);
    } catch (URISyntaxException e) {
      throw new ConfigException(field, "must be a URL: '" + text + "'", e);
    }
  }

  private static Path path(Path baseDir, String text) {
    return baseDir.resolve(text).normalize();
  }

  private static Path optionalPath(Path baseDir, String text) {
    return text == null ? null : path(baseDir, text);
  }

  private static String nullableText(Path path) {
    return path == null ? null : path.toString();
  }
}
