package io.natalia.agent.config;

import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Everything the agent needs to collect from one PBX and forward to the cloud.
 *
 * <p>Immutable. Build one, then call {@link #validate()}: it names the first field that breaks
 * a rule. {@link ConfigStore} keeps the current one and tells listeners when it changes.
 *
 * <p>The PBX and the cloud sections may be left out on first start: a section none of whose
 * required values is set is "not configured" ({@link #hasPbx()}, {@link #hasCloud()}); the
 * agent then serves its web UI and waits for the admin to fill that section in. A section
 * with some required values set must have all of them.
 *
 * @param dataDir folder of the disk buffer, the key file and the web server's certificate
 * @param pbx where and how to collect
 * @param cloud where to forward
 * @param buffer the disk buffer's bound
 * @param web the agent's HTTPS server
 */
public record AgentConfig(Path dataDir, Pbx pbx, Cloud cloud, Buffer buffer, Web web) {
  /** Polling interval when none is configured, as the OXO setup guide recommends. */
  public static final Duration DEFAULT_POLL_INTERVAL = Duration.ofMinutes(30);
  /**
   * Token lifetime of OXO R10 ({@code expires_in: 3600}); the polling interval must stay below
   * it, so that one token covers a whole poll.
   */
  public static final Duration OXO_TOKEN_LIFETIME = Duration.ofSeconds(3600);
  /** Shortest polling interval: faster polling only loads the PBX. */
  public static final Duration MIN_POLL_INTERVAL = Duration.ofSeconds(10);
  /**
   * Default overlap: each poll asks again for the last two hours of tickets, because the PBX
   * writes a ticket when the call ends and a call that started before the previous poll may
   * appear only now.
   */
  public static final Duration DEFAULT_OVERLAP = Duration.ofHours(2);
  /** Maximum overlap: a day, longer than any call the agent expects. */
  public static final Duration MAX_OVERLAP = Duration.ofHours(24);
  /** Default bound of the disk buffer. */
  public static final long DEFAULT_BUFFER_MAX_BYTES = 1024L * 1024 * 1024;
  /** Smallest disk buffer accepted: below it, a few pages of tickets fill it. */
  public static final long MIN_BUFFER_MAX_BYTES = 1024L * 1024;

  /**
   * The rule of {@code pbx.id}, which the cloud applies too: the PBX's name on the dashboard
   * and part of every record's id.
   */
  public static final Pattern PBX_ID = Pattern.compile("[A-Za-z0-9._-]{1,64}");
  private static final Pattern SHA256 = Pattern.compile("[0-9A-F]{2}(:[0-9A-F]{2}){31}");

  public AgentConfig {
    Objects.requireNonNull(dataDir, "dataDir");
    Objects.requireNonNull(pbx, "pbx");
    Objects.requireNonNull(cloud, "cloud");
    Objects.requireNonNull(buffer, "buffer");
    Objects.requireNonNull(web, "web");
  }

  /**
   * Where and how to collect.
   *
   * @param id this PBX's name, unique within the tenant; part of every record's id
   * @param type kind of PBX
   * @param host IP address or host name of the PBX
   * @param port CDR over IP port: 443, or 30443 when 443 is taken
   * @param login the PBX service account (natalia-collector)
   * @param password its password
   * @param timeZone the PBX's time zone: its tickets carry local time without offset
   * @param pollInterval time between two polls; must stay below the token lifetime
   * @param overlap how far back each poll asks again, to catch late tickets
   * @param certificateSha256 the trusted PBX certificate's SHA-256 fingerprint ({@code AB:CD:…},
   *     upper case), or {@code null}
   * @param caCertificateFile PEM file of a CA that signs the PBX certificate, or {@code null}
   */
  public record Pbx(
      String id,
      PbxType type,
      String host,
      int port,
      String login,
      Secret password,
      ZoneId timeZone,
      Duration pollInterval,
      Duration overlap,
      String certificateSha256,
      Path caCertificateFile) {

    /** Returns a copy that trusts the certificate with this fingerprint. */
    public Pbx withCertificateSha256(String fingerprint) {
      return new Pbx(id, type, host, port, login, password, timeZone, pollInterval, overlap,
          normalizeFingerprint(fingerprint), caCertificateFile);
    }

    /** Returns {@code https://host:port}. */
    public URI baseUri() {
      String literal = host.contains(":") && !host.startsWith("[") ? "[" + host + "]" : host;
      return URI.create("https://" + literal + ":" + port);
    }
  }

  /**
   * Where to forward.
   *
   * @param url base URL of the cloud; records go to {@code <url>/ingest/cdr}
   * @param apiKey the agent API key created in the cloud
   * @param certificateSha256 the trusted cloud certificate's SHA-256 fingerprint
   *     ({@code AB:CD:…}, upper case), or {@code null}; it wins over the CA file
   * @param caCertificateFile PEM file of a CA to trust for the cloud, or {@code null} for the
   *     JDK's default trust store
   * @param batchMaxRecords most records in one request
   * @param batchMaxBytes most bytes of JSON (before gzip) in one request
   */
  public record Cloud(URI url, Secret apiKey, String certificateSha256, Path caCertificateFile,
      int batchMaxRecords, long batchMaxBytes) {

    /** Returns a copy that trusts the certificate with this fingerprint. */
    public Cloud withCertificateSha256(String fingerprint) {
      return new Cloud(url, apiKey, normalizeFingerprint(fingerprint), caCertificateFile,
          batchMaxRecords, batchMaxBytes);
    }
  }

  /**
   * The disk buffer's bound.
   *
   * @param maxBytes size of the buffer at 100 %; 80 % raises NAT-AGT-007, 95 % pauses polling
   */
  public record Buffer(long maxBytes) {}

  /**
   * The agent's HTTPS server.
   *
   * @param address the IP address to listen on: {@code 0.0.0.0} (every interface, so that
   *     admins reach the web UI from their own computers) by default, {@code 127.0.0.1} to
   *     serve this machine only
   * @param port listening port, 8443 by default; 0 picks a free one (tests)
   * @param metricsToken bearer token that {@code /metrics} and the JSON API require, or
   *     {@code null} to refuse every caller
   */
  public record Web(String address, int port, Secret metricsToken) {
    /** The address of every interface, the default. */
    public static final String ALL_INTERFACES = "0.0.0.0";
  }

  /**
   * Returns whether the PBX section is filled in: any of host, login, password or time zone is
   * set. An empty section means the agent waits for the admin to configure it.
   */
  public boolean hasPbx() {
    return pbx.host() != null || pbx.login() != null || pbx.password() != null
        || pbx.timeZone() != null;
  }

  /** Returns whether the cloud section is filled in: its URL or its API key is set. */
  public boolean hasCloud() {
    return cloud.url() != null || cloud.apiKey() != null;
  }

  /** Returns the sections still to configure, in words for the admin; empty when none. */
  public List<String> missingSettings() {
    List<String> missing = new ArrayList<>();
    if (!hasPbx()) {
      missing.add("PBX connection (PBX IP, port, login, password, time zone)");
    }
    if (!hasCloud()) {
      missing.add("cloud connection (cloud URL, agent API key)");
    }
    return List.copyOf(missing);
  }

  /** Returns a copy with another PBX section. */
  public AgentConfig withPbx(Pbx newPbx) {
    return new AgentConfig(dataDir, newPbx, cloud, buffer, web);
  }

  /** Returns a copy with another cloud section. */
  public AgentConfig withCloud(Cloud newCloud) {
    return new AgentConfig(dataDir, pbx, newCloud, buffer, web);
  }

  /**
   * Checks every rule of the sections that are filled in.
   *
   * @throws ConfigException naming the first field that breaks one, with its value
   */
  public void validate() throws ConfigException {
    if (hasPbx()) {
      validatePbx(pbx);
    }
    if (hasCloud()) {
      validateCloud(cloud);
    }
    if (buffer.maxBytes() < MIN_BUFFER_MAX_BYTES) {
      throw new ConfigException("buffer.maxMegabytes",
          "must be at least 1 MB: " + buffer.maxBytes() + " bytes");
    }
    if (web.port() < 0 || web.port() > 65_535) {
      throw new ConfigException("web.port", "must be between 0 and 65535: " + web.port());
    }
    if (!isListenAddress(web.address())) {
      throw new ConfigException("web.address", "must be an IP address such as 0.0.0.0 (every"
          + " interface) or 127.0.0.1 (this machine only): '" + web.address() + "'");
    }
  }

  /**
   * Checks that one token covers a whole polling interval.
   *
   * @throws ConfigException naming both values when the interval is not below the lifetime
   */
  public static void checkPollInterval(Duration pollInterval, Duration tokenLifetime)
      throws ConfigException {
    if (pollInterval.compareTo(tokenLifetime) >= 0) {
      throw new ConfigException("pbx.pollInterval", "must be below the token lifetime ("
          + tokenLifetime.toSeconds() + " s): " + pollInterval.toSeconds() + " s");
    }
  }

  /** Returns the fingerprint in canonical form (upper case, colon-separated), or null. */
  public static String normalizeFingerprint(String fingerprint) {
    if (fingerprint == null || fingerprint.isBlank()) {
      return null;
    }
    String hex = fingerprint.replaceAll("[\\s:]", "").toUpperCase(Locale.ROOT);
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < hex.length(); i += 2) {
      if (i > 0) {
        out.append(':');
      }
      out.append(hex, i, Math.min(i + 2, hex.length()));
    }
    return out.toString();
  }

  private static void validatePbx(Pbx pbx) throws ConfigException {
    requireText("pbx.id", pbx.id());
    if (!PBX_ID.matcher(pbx.id()).matches()) {
      throw new ConfigException("pbx.id", "must be 1 to 64 of [A-Za-z0-9._-]: '" + pbx.id() + "'");
    }
    if (pbx.type() != PbxType.OXO) {
      throw new ConfigException("pbx.type", "only OXO is collected in this version: "
          + pbx.type());
    }
    requireText("pbx.host", pbx.host());
    if (!isHostName(pbx.host()) && !isIpLiteral(pbx.host())) {
      String shown = pbx.host().length() > 80 ? pbx.host().substring(0, 80) + "..." : pbx.host();
      throw new ConfigException("pbx.host", "must be an IP address or a host name (labels of"
          + " 1 to 63 letters, digits or hyphens, 253 characters at most): '" + shown + "'");
    }
    if (pbx.port() < 1 || pbx.port() > 65_535) {
      throw new ConfigException("pbx.port",
          "must be between 1 and 65535 (CDR over IP uses 443 or 30443): " + pbx.port());
    }
    requireText("pbx.login", pbx.login());
    if (pbx.password() == null || pbx.password().isBlank()) {
      throw new ConfigException("pbx.password", "is required");
    }
    if (pbx.timeZone() == null) {
      throw new ConfigException("pbx.timeZone", "is required, for example Europe/Paris");
    }
    if (pbx.pollInterval().compareTo(MIN_POLL_INTERVAL) < 0) {
      throw new ConfigException("pbx.pollInterval", "must be at least "
          + MIN_POLL_INTERVAL.toSeconds() + " s: " + pbx.pollInterval().toSeconds() + " s");
    }
    checkPollInterval(pbx.pollInterval(), OXO_TOKEN_LIFETIME);
    if (pbx.overlap().isNegative()) {
      throw new ConfigException("pbx.overlap", "must not be negative: " + pbx.overlap());
    }
    if (pbx.overlap().compareTo(MAX_OVERLAP) > 0) {
      throw new ConfigException("pbx.overlap", "must be at most " + MAX_OVERLAP.toHours()
          + " h (longer than the longest call, far shorter than what the PBX keeps): "
          + pbx.overlap());
    }
    checkFingerprint("pbx.certificateSha256", pbx.certificateSha256());
  }

  private static void checkFingerprint(String field, String pin) throws ConfigException {
    if (pin != null && !SHA256.matcher(pin).matches()) {
      throw new ConfigException(field,
          "must be 32 hexadecimal bytes separated by colons: '" + pin + "'");
    }
  }

  private static void validateCloud(Cloud cloud) throws ConfigException {
    if (cloud.url() == null) {
      throw new ConfigException("cloud.url", "is required, for example https://cloud.example");
    }
    if (!"https".equalsIgnoreCase(cloud.url().getScheme()) || cloud.url().getHost() == null) {
      throw new ConfigException("cloud.url",
          "must be an https URL with a host: " + withoutSecrets(cloud.url()));
    }
    if (cloud.url().getRawUserInfo() != null || cloud.url().getRawQuery() != null) {
      throw new ConfigException("cloud.url", "must carry no user name, password or query"
          + " (the agent key goes in cloud.apiKey): " + withoutSecrets(cloud.url()));
    }
    if (cloud.apiKey() == null || cloud.apiKey().isBlank()) {
      throw new ConfigException("cloud.apiKey", "is required");
    }
    checkFingerprint("cloud.certificateSha256", cloud.certificateSha256());
    if (cloud.batchMaxRecords() < 1) {
      throw new ConfigException("cloud.batchMaxRecords",
          "must be at least 1: " + cloud.batchMaxRecords());
    }
    if (cloud.batchMaxBytes() < 64 * 1024) {
      throw new ConfigException("cloud.batchMaxBytes",
          "must be at least 65536: " + cloud.batchMaxBytes());
    }
  }

  /** Returns the URL without user information and query, which may hold secrets. */
  private static String withoutSecrets(URI url) {
    String text = url.toString();
    if (url.getRawUserInfo() != null) {
      text = text.replace(url.getRawUserInfo() + "@", "***@");
    }
    if (url.getRawQuery() != null) {
      text = text.replace("?" + url.getRawQuery(), "?***");
    }
    return text;
  }

  private static boolean isHostName(String host) {
    return host.length() <= 253
        && host.matches("(?i)[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?(\\.[a-z0-9]([a-z0-9-]{0,61}"
            + "[a-z0-9])?)*\\.?");
  }

  private static boolean isIpLiteral(String host) {
    String bare = host.startsWith("[") && host.endsWith("]")
        ? host.substring(1, host.length() - 1) : host;
    return bare.length() <= 45 && bare.contains(":") && bare.matches("[0-9A-Fa-f:.%a-z0-9]+");
  }

  private static void requireText(String field, String value) throws ConfigException {
    if (value == null || value.isBlank()) {
      throw new ConfigException(field, "is required");
    }
  }

  /** Returns whether {@code text} is an IPv4 or IPv6 address written out, not a host name. */
  private static boolean isListenAddress(String text) {
    if (text == null || text.isEmpty()) {
      return false;
    }
    if (text.contains(":")) {
      return text.matches("[0-9A-Fa-f:.]+") && isParsedWithoutLookup(text);
    }
    if (!text.matches("(\\d{1,3}\\.){3}\\d{1,3}")) {
      return false;
    }
    // An octet above 255 is not an address to the JDK but a host name, which it would resolve.
    for (String octet : text.split("\\.")) {
      if (Integer.parseInt(octet) > 255) {
        return false;
      }
    }
    return isParsedWithoutLookup(text);
  }

  private static boolean isParsedWithoutLookup(String literal) {
    try {
      // Only a dotted quad of octets or an IPv6 text reaches here, so no DNS query is made.
      InetAddress.getByName(literal);
      return true;
    } catch (UnknownHostException e) {
      return false;
    }
  }
}
