package io.natalia.oxo.server;

import io.javalin.Javalin;
import io.natalia.oxo.buffer.BufferStatus;
import io.natalia.oxo.buffer.TicketBuffer;
import io.natalia.oxo.fault.Faults;
import io.natalia.oxo.tls.CertificateStore;
import io.natalia.oxo.tls.TlsIdentity;
import io.natalia.oxo.traffic.GeneratedTicket;
import io.natalia.oxo.traffic.TrafficSource;
import io.natalia.oxo.truth.GroundTruth;
import io.natalia.oxo.truth.TruthReport;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.eclipse.jetty.server.ServerConnector;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A fake Alcatel-Lucent OmniPCX Office R10.2 serving the "CDR over IP" HTTPS API, run
 * in-process. Start one with {@link #builder()}; close it to stop the server.
 *
 * <pre>{@code
 * try (OxoSimulator pbx = OxoSimulator.builder()
 *     .stateDir(dir).zone(ZoneId.of("Europe/Paris")).traffic(source).start()) {
 *   URI records = pbx.baseUri().resolve("/api/oxo/cdr/v1.0/records?since=...");
 * }
 * }</pre>
 *
 * <p>Thread-safe. Tickets enter the buffer lazily: every API request and every call of
 * {@link #bufferStatus()}, {@link #droppedTickets()} or {@link #truth} first writes the
 * tickets the traffic source produced up to the PBX's current time, so the result is the same
 * as if the PBX wrote each ticket at the end of its leg.
 */
public final class OxoSimulator implements AutoCloseable {
  /** Path of the login endpoint. */
  public static final String LOGIN_PATH = "/api/oxo/authentication/v1.0/login";
  /** Path of the records endpoint. */
  public static final String RECORDS_PATH = "/api/oxo/cdr/v1.0/records";

  private static final Logger LOG = LoggerFactory.getLogger(OxoSimulator.class);

  private final Builder settings;
  private final Faults faults;
  private final TicketBuffer buffer;
  private final InstantSource pbxClock;
  private final TokenService tokens;
  private final Map<String, Account> accounts;
  private final String adminToken;
  private final HttpsEndpoint https;
  private final Javalin server;
  private volatile boolean cdrOverIpEnabled;
  private Instant writtenUntil;

  private OxoSimulator(Builder settings) throws IOException {
    this.settings = settings;
    this.faults = settings.faults;
    this.pbxClock = new SimulatedClock(settings.clock, settings.speed);
    this.tokens = new TokenService(settings.clock, settings.tokenLifetime, faults);
    this.accounts = accountsByLogin(settings.accounts);
    this.adminToken = settings.adminToken != null ? settings.adminToken : randomSecret(24);
    this.cdrOverIpEnabled = settings.cdrOverIpEnabled;
    TlsIdentity identity = CertificateStore.loadOrCreate(settings.stateDir);
    this.https = new HttpsEndpoint(identity);
    faults.certificateRotator(this::rotateCertificate);
    this.buffer = new TicketBuffer(settings.stateDir, settings.bufferCapacity, settings.zone);
    // Limitation: see docs/known-limitations.md#oxo-sim-restart
    this.writtenUntil = pbxClock.instant().minus(settings.backlog);
    try {
      writeTicketsUntilNow();
      this.server = startServer();
    } catch (RuntimeException e) {
      buffer.close();
      throw new IOException("cannot start the OXO simulator on " + settings.host + ":"
          + settings.port + ": " + e.getMessage(), e);
    }
    LOG.info("OXO simulator listening on {} (certificate SHA-256 {}), zone {}, {}",
        baseUri(), fingerprintSha256(), settings.zone, bufferStatus());
  }

  public static Builder builder() {
    return new Builder();
  }

  private Javalin startServer() {
    PbxApi pbxApi = new PbxApi(this);
    AdminApi adminApi = new AdminApi(this);
    Javalin javalin = https.create(settings.host, settings.port, config -> {
      pbxApi.register(config);
      adminApi.register(config);
    });
    try {
      return javalin.start();
    } catch (RuntimeException e) {
      javalin.stop();
      throw e;
    }
  }

  /** Returns the port the server listens on (the ephemeral one when built with port 0). */
  public int port() {
    return ((ServerConnector) server.jettyServer().server().getConnectors()[0]).getLocalPort();
  }

  /** Returns {@code https://<host>:<port>/}. */
  public URI baseUri() {
    return URI.create("https://" + settings.host + ":" + port() + "/");
  }

  /** Returns the certificate the server presents now (changes when the certificate rotates). */
  public X509Certificate certificate() {
    return https.identity().certificate();
  }

  /** Returns the SHA-256 fingerprint of {@link #certificate()}, as colon-separated hex. */
  public String fingerprintSha256() {
    return https.identity().fingerprintSha256();
  }

  /** Returns the faults, switchable while the simulator runs. */
  public Faults faults() {
    return faults;
  }

  /** Returns the account that has the CDR operator profile (the first one configured). */
  public Account collectorAccount() {
    return accounts.values().stream().filter(Account::cdrOperator).findFirst()
        .orElseThrow(() -> new IllegalStateException("no account has the CDR operator profile"));
  }

  /** Returns the bearer token of the admin endpoints ({@code /admin/...}). */
  public String adminToken() {
    return adminToken;
  }

  /** Returns the PBX's time zone, in which ticket start times are local. */
  public ZoneId zone() {
    return settings.zone;
  }

  /** Returns the PBX's current time (runs faster than the wall clock when speed is above 1). */
  public Instant pbxTime() {
    return pbxClock.instant();
  }

  /** Switches the "CDR over IP" service: while disabled, the records endpoint returns 404. */
  public void cdrOverIpEnabled(boolean enabled) {
    cdrOverIpEnabled = enabled;
    LOG.info("CDR over IP service {}", enabled ? "enabled" : "disabled");
  }

  public boolean cdrOverIpEnabled() {
    return cdrOverIpEnabled;
  }

  /** Returns the buffer's counters after writing the tickets due by now. */
  public BufferStatus bufferStatus() {
    writeTicketsUntilNow();
    return buffer.status();
  }

  /** Returns how many tickets the full buffer dropped since start. */
  public long droppedTickets() {
    return bufferStatus().ticketsDropped();
  }

  /**
   * Returns the ground truth of the calls that started in {@code [from, to)}, with per-day
   * totals cut in {@code zone}, from the traffic source's own model.
   */
  public TruthReport truth(Instant from, Instant to, ZoneId zone) {
    BufferStatus status = bufferStatus();
    return GroundTruth.report(settings.traffic, from, to, zone, buffer.dropped(), status);
  }

  @Override
  public void close() {
    int listeningPort = port();
    server.stop();
    try {
      buffer.close();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot close the ticket buffer", e);
    }
    LOG.info("OXO simulator on port {} stopped", listeningPort);
  }

  TicketBuffer buffer() {
    return buffer;
  }

  TokenService tokens() {
    return tokens;
  }

  Account account(String login) {
    return accounts.get(login);
  }

  int pageCap() {
    return settings.pageCap;
  }

  /** Writes into the buffer every ticket the PBX wrote since the last call, up to now. */
  synchronized void writeTicketsUntilNow() {
    Instant now = pbxClock.instant();
    if (!now.isAfter(writtenUntil)) {
      return;
    }
    Duration offset = faults.clockOffset();
    Iterator<GeneratedTicket> written = settings.traffic.ticketsWritten(writtenUntil, now);
    while (written.hasNext()) {
      buffer.add(written.next(), offset);
    }
    writtenUntil = now;
  }

  private void rotateCertificate() {
    https.rotate(CertificateStore.generate());
    LOG.warn("Certificate changed on purpose (fault rotate-certificate): new SHA-256 {}; it"
        + " lasts until restart", fingerprintSha256());
  }

  private static Map<String, Account> accountsByLogin(List<Account> accounts) {
    Map<String, Account> byLogin = new LinkedHashMap<>();
    for (Account account : accounts) {
      if (byLogin.put(account.login(), account) != null) {
        throw new IllegalArgumentException("account configured twice: " + account.login());
      }
    }
    return Map.copyOf(byLogin);
  }

  /** Returns a random URL-safe secret of {@code bytes} random bytes. */
  static String randomSecret(int bytes) {
    byte[] random = new byte[bytes];
    new SecureRandom().nextBytes(random);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(random);
  }

  /** Settings of a simulator; every one has a default except the traffic source. */
  public static final class Builder {
    private String host = "127.0.0.1";
    private int port = 0;
    private Path stateDir;
    private ZoneId zone = ZoneId.of("Europe/Paris");
    private TrafficSource traffic;
    private Duration backlog = Duration.ZERO;
    private int bufferCapacity = 1000;
    private int pageCap = 500;
    private InstantSource clock = InstantSource.system();
    private double speed = 1;
    private final List<Account> accounts = new ArrayList<>();
    private boolean cdrOverIpEnabled = true;
    private Duration tokenLifetime = Duration.ofHours(1);
    private String adminToken;
    private final Faults faults = new Faults();

    private Builder() {}

    /** Sets the address to listen on; default {@code 127.0.0.1}. */
    public Builder host(String host) {
      this.host = Objects.requireNonNull(host, "host");
      return this;
    }

    /** Sets the HTTPS port: 443 or 30443 like the real PBX, or 0 (default) for any free one. */
    public Builder port(int port) {
      if (port < 0 || port > 65535) {
        throw new IllegalArgumentException("port must be between 0 and 65535: " + port);
      }
      this.port = port;
      return this;
    }

    /** Sets the directory holding the certificate (kept across restarts) and the buffer. */
    public Builder stateDir(Path stateDir) {
      this.stateDir = Objects.requireNonNull(stateDir, "stateDir");
      return this;
    }

    /** Sets the PBX's time zone; default Europe/Paris. Must match the traffic source's. */
    public Builder zone(ZoneId zone) {
      this.zone = Objects.requireNonNull(zone, "zone");
      return this;
    }

    /** Sets the calls the PBX carries; required. */
    public Builder traffic(TrafficSource traffic) {
      this.traffic = Objects.requireNonNull(traffic, "traffic");
      return this;
    }

    /** Writes the tickets of the last {@code backlog} into the buffer at start; default 0. */
    public Builder backlog(Duration backlog) {
      if (backlog.isNegative()) {
        throw new IllegalArgumentException("backlog must not be negative: " + backlog);
      }
      this.backlog = backlog;
      return this;
    }

    /** Sets the maximum of unacknowledged tickets before new ones are dropped; default 1000. */
    public Builder bufferCapacity(int tickets) {
      if (tickets < 1) {
        throw new IllegalArgumentException("bufferCapacity must be at least 1: " + tickets);
      }
      this.bufferCapacity = tickets;
      return this;
    }

    /** Sets the maximum number of records in one response; default 500. */
    public Builder pageCap(int records) {
      if (records < 1) {
        throw new IllegalArgumentException("pageCap must be at least 1: " + records);
      }
      this.pageCap = records;
      return this;
    }

    /** Sets the wall clock (tokens, and the base of the PBX clock); default the system's. */
    public Builder clock(InstantSource clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /** Runs the PBX clock {@code speed} times as fast as the wall clock; default 1. */
    public Builder speed(double speed) {
      if (!(speed >= 1 && speed <= 1_000_000)) {
        throw new IllegalArgumentException("speed must be between 1 and 1000000: " + speed);
      }
      this.speed = speed;
      return this;
    }

    /**
     * Adds an account that may log in. Without any, the simulator has one: {@code
     * natalia-collector} with the CDR operator profile and a random password.
     */
    public Builder account(Account account) {
      accounts.add(Objects.requireNonNull(account, "account"));
      return this;
    }

    /** Enables or disables the "CDR over IP" service at start; default enabled. */
    public Builder cdrOverIpEnabled(boolean enabled) {
      this.cdrOverIpEnabled = enabled;
      return this;
    }

    /** Sets the lifetime of login tokens ({@code expires_in}); default 3600 s. */
    public Builder tokenLifetime(Duration lifetime) {
      if (lifetime.toSeconds() < 1) {
        throw new IllegalArgumentException("tokenLifetime must be at least 1 s: " + lifetime);
      }
      this.tokenLifetime = lifetime;
      return this;
    }

    /** Sets the admin bearer token; default a random one (see {@link #adminToken()}). */
    public Builder adminToken(String token) {
      if (token == null || token.length() < 16) {
        throw new IllegalArgumentException("adminToken must have at least 16 characters");
      }
      this.adminToken = token;
      return this;
    }

    /** Returns the faults to set before start (they apply from the first request). */
    public Faults faults() {
      return faults;
    }

    /**
     * Starts the simulator: loads or creates the certificate, writes the backlog into the
     * buffer, then listens.
     *
     * @throws IOException when the state directory or the port cannot be used
     */
    public OxoSimulator start() throws IOException {
      if (traffic == null) {
        throw new IllegalStateException("traffic is required: call traffic(TrafficSource)");
      }
      if (stateDir == null) {
        throw new IllegalStateException("stateDir is required: call stateDir(Path)");
      }
      if (accounts.isEmpty()) {
        accounts.add(new Account(Account.COLLECTOR_LOGIN, randomSecret(18), true));
      }
      return new OxoSimulator(this);
    }
  }
}
