package io.natalia.oxo.fault;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Faults the simulator injects into its PBX API, switchable while it runs. Thread-safe.
 *
 * <p>Counted faults ({@code server-errors}, {@code too-many-requests}, {@code
 * cut-connections}, {@code malformed-records}, {@code half-written-records}) hit the next N
 * requests or records and then stop by themselves, so a test can tell exactly which requests
 * it broke. The others stay until switched off. Every fault has a name used by the command
 * line ({@code --fault name=value}) and by the admin endpoint ({@code POST /admin/faults}
 * with {@code {"name": value}}).
 */
public final class Faults {
  /** Names accepted by {@link #set(String, String)}, in the order {@link #snapshot()} lists. */
  public static final String SERVER_ERRORS = "server-errors";
  public static final String TOO_MANY_REQUESTS = "too-many-requests";
  public static final String RETRY_AFTER_SECONDS = "retry-after-seconds";
  public static final String SLOW_RESPONSE_MILLIS = "slow-response-millis";
  public static final String CUT_CONNECTIONS = "cut-connections";
  public static final String MALFORMED_RECORDS = "malformed-records";
  public static final String HALF_WRITTEN_RECORDS = "half-written-records";
  public static final String DUPLICATE_ACROSS_PAGES = "duplicate-across-pages";
  public static final String IGNORE_DELIVERED = "ignore-delivered";
  public static final String TOKEN_LIFETIME_SECONDS = "token-lifetime-seconds";
  public static final String CLOCK_OFFSET_MINUTES = "clock-offset-minutes";
  public static final String ROTATE_CERTIFICATE = "rotate-certificate";

  private int serverErrors;
  private int tooManyRequests;
  private Duration retryAfter = Duration.ofSeconds(30);
  private Duration slowResponse = Duration.ZERO;
  private int cutConnections;
  private int malformedRecords;
  private int halfWrittenRecords;
  private boolean duplicateAcrossPages;
  private boolean ignoreDelivered;
  private Duration tokenLifetime;
  private Duration clockOffset = Duration.ZERO;
  private int certificateRotations;
  private Runnable certificateRotator = () -> {
    throw new IllegalStateException("the certificate can only change while the server runs");
  };

  /** Makes the next {@code count} PBX API requests (login or records) fail with 503. */
  public synchronized Faults serverErrors(int count) {
    serverErrors = requireCount(SERVER_ERRORS, count);
    return this;
  }

  /** Makes the next {@code count} PBX API requests fail with 429 and a Retry-After header. */
  public synchronized Faults tooManyRequests(int count, Duration retryAfter) {
    tooManyRequests = requireCount(TOO_MANY_REQUESTS, count);
    this.retryAfter = requireNotNegative(RETRY_AFTER_SECONDS, retryAfter);
    return this;
  }

  /** Delays every PBX API response by {@code delay}; {@link Duration#ZERO} switches it off. */
  public synchronized Faults slowResponses(Duration delay) {
    slowResponse = requireNotNegative(SLOW_RESPONSE_MILLIS, delay);
    return this;
  }

  /** Cuts the connection halfway through the body of the next {@code count} record pages. */
  public synchronized Faults cutConnections(int count) {
    cutConnections = requireCount(CUT_CONNECTIONS, count);
    return this;
  }

  /**
   * Serves the next {@code count} records with invalid values (an impossible start time, a
   * duration that is not hh:mm:ss, negative units) instead of the real ones.
   */
  public synchronized Faults malformedRecords(int count) {
    malformedRecords = requireCount(MALFORMED_RECORDS, count);
    return this;
  }

  /**
   * Serves the next {@code count} records half-written: a JSON object holding only the first
   * half of the ticket's fields, as a PBX serving a ticket it is still writing would.
   */
  public synchronized Faults halfWrittenRecords(int count) {
    halfWrittenRecords = requireCount(HALF_WRITTEN_RECORDS, count);
    return this;
  }

  /** Repeats the last record of each page at the start of the next page while on. */
  public synchronized Faults duplicateAcrossPages(boolean on) {
    duplicateAcrossPages = on;
    return this;
  }

  /**
   * While on, a complete response no longer counts as delivered, so a {@code since} at its
   * tickets' start does not acknowledge them: asking again serves the same page, as a PBX that
   * acknowledges only by start time would.
   */
  public synchronized Faults ignoreDelivered(boolean on) {
    ignoreDelivered = on;
    return this;
  }

  /**
   * Rejects tokens older than {@code lifetime} although login still announces the normal
   * {@code expires_in}; {@code null} switches it off.
   */
  public synchronized Faults tokenLifetime(Duration lifetime) {
    tokenLifetime = lifetime == null ? null : requireNotNegative(TOKEN_LIFETIME_SECONDS, lifetime);
    return this;
  }

  /**
   * Sets the PBX clock off by {@code offset}: tickets written from now on carry start times
   * shifted by it, as a PBX whose clock is wrong would print them.
   */
  // Limitation: see docs/known-limitations.md#oxo-sim-clock-offset
  public synchronized Faults clockOffset(Duration offset) {
    clockOffset = Objects.requireNonNull(offset, "clockOffset");
    return this;
  }

  /** Replaces the server's key pair and certificate with new ones until the next restart. */
  public Faults rotateCertificate() {
    Runnable rotator;
    synchronized (this) {
      rotator = certificateRotator;
    }
    rotator.run();
    synchronized (this) {
      certificateRotations++;
    }
    return this;
  }

  /** Switches every fault off (a rotated certificate stays until restart). */
  public synchronized Faults clear() {
    serverErrors = 0;
    tooManyRequests = 0;
    slowResponse = Duration.ZERO;
    cutConnections = 0;
    malformedRecords = 0;
    halfWrittenRecords = 0;
    duplicateAcrossPages = false;
    ignoreDelivered = false;
    tokenLifetime = null;
    clockOffset = Duration.ZERO;
    return this;
  }

  /**
   * Sets one fault by its name, as typed on the command line or sent to the admin endpoint.
   *
   * @throws IllegalArgumentException naming the fault and the value when either is invalid
   */
  public Faults set(String name, String value) {
    switch (name) {
      case SERVER_ERRORS -> serverErrors(parseInt(name, value));
      case TOO_MANY_REQUESTS -> tooManyRequests(parseInt(name, value), retryAfter());
      case RETRY_AFTER_SECONDS -> retryAfterOnly(Duration.ofSeconds(parseInt(name, value)));
      case SLOW_RESPONSE_MILLIS -> slowResponses(Duration.ofMillis(parseInt(name, value)));
      case CUT_CONNECTIONS -> cutConnections(parseInt(name, value));
      case MALFORMED_RECORDS -> malformedRecords(parseInt(name, value));
      case HALF_WRITTEN_RECORDS -> halfWrittenRecords(parseInt(name, value));
      case DUPLICATE_ACROSS_PAGES -> duplicateAcrossPages(parseBoolean(name, value));
      case IGNORE_DELIVERED -> ignoreDelivered(parseBoolean(name, value));
      case TOKEN_LIFETIME_SECONDS -> {
        int seconds = parseInt(name, value);
        tokenLifetime(seconds == 0 ? null : Duration.ofSeconds(seconds));
      }
      case CLOCK_OFFSET_MINUTES -> clockOffset(Duration.ofMinutes(parseSignedInt(name, value)));
      case ROTATE_CERTIFICATE -> {
        if (parseBoolean(name, value)) {
          rotateCertificate();
        }
      }
      default -> throw new IllegalArgumentException("unknown fault '" + name
          + "': expected one of " + String.join(", ", snapshot().keySet()));
    }
    return this;
  }

  /** Returns the current state of every fault by name, for the admin endpoint. */
  public synchronized Map<String, Object> snapshot() {
    Map<String, Object> state = new LinkedHashMap<>();
    state.put(SERVER_ERRORS, serverErrors);
    state.put(TOO_MANY_REQUESTS, tooManyRequests);
    state.put(RETRY_AFTER_SECONDS, retryAfter.toSeconds());
    state.put(SLOW_RESPONSE_MILLIS, slowResponse.toMillis());
    state.put(CUT_CONNECTIONS, cutConnections);
    state.put(MALFORMED_RECORDS, malformedRecords);
    state.put(HALF_WRITTEN_RECORDS, halfWrittenRecords);
    state.put(DUPLICATE_ACROSS_PAGES, duplicateAcrossPages);
    state.put(IGNORE_DELIVERED, ignoreDelivered);
    state.put(TOKEN_LIFETIME_SECONDS, tokenLifetime == null ? 0 : tokenLifetime.toSeconds());
    state.put(CLOCK_OFFSET_MINUTES, clockOffset.toMinutes());
    state.put(ROTATE_CERTIFICATE, certificateRotations);
    return state;
  }

  /** Consumes one server error from the burst; true when this request must get a 503. */
  public synchronized boolean takeServerError() {
    if (serverErrors == 0) {
      return false;
    }
    serverErrors--;
    return true;
  }

  /** Consumes one 429 from the burst; returns its Retry-After, or null when none is due. */
  public synchronized Duration takeTooManyRequests() {
    if (tooManyRequests == 0) {
      return null;
    }
    tooManyRequests--;
    return retryAfter;
  }

  /** Consumes one connection cut; true when this page must stop halfway through its body. */
  public synchronized boolean takeCutConnection() {
    if (cutConnections == 0) {
      return false;
    }
    cutConnections--;
    return true;
  }

  /** Consumes up to {@code available} malformed records and returns how many to serve. */
  public synchronized int takeMalformedRecords(int available) {
    int taken = Math.min(available, malformedRecords);
    malformedRecords -= taken;
    return taken;
  }

  /** Consumes up to {@code available} half-written records and returns how many to serve. */
  public synchronized int takeHalfWrittenRecords(int available) {
    int taken = Math.min(available, halfWrittenRecords);
    halfWrittenRecords -= taken;
    return taken;
  }

  public synchronized Duration slowResponse() {
    return slowResponse;
  }

  public synchronized boolean duplicateAcrossPages() {
    return duplicateAcrossPages;
  }

  public synchronized boolean ignoreDelivered() {
    return ignoreDelivered;
  }

  /** Returns the early token lifetime, or null when tokens live as long as announced. */
  public synchronized Duration tokenLifetime() {
    return tokenLifetime;
  }

  public synchronized Duration clockOffset() {
    return clockOffset;
  }

  /** Installs the action that changes the certificate; the server calls this when it starts. */
  public synchronized void certificateRotator(Runnable rotator) {
    certificateRotator = Objects.requireNonNull(rotator, "rotator");
  }

  private synchronized Duration retryAfter() {
    return retryAfter;
  }

  private synchronized void retryAfterOnly(Duration delay) {
    retryAfter = requireNotNegative(RETRY_AFTER_SECONDS, delay);
  }

  private static int requireCount(String name, int count) {
    if (count < 0) {
      throw new IllegalArgumentException(name + " must be 0 or more: " + count);
    }
    return count;
  }

  private static Duration requireNotNegative(String name, Duration duration) {
    if (duration.isNegative()) {
      throw new IllegalArgumentException(name + " must not be negative: " + duration);
    }
    return duration;
  }

  private static int parseInt(String name, String value) {
    int parsed = parseSignedInt(name, value);
    return requireCount(name, parsed);
  }

  private static int parseSignedInt(String name, String value) {
    try {
      return Integer.parseInt(value.strip());
    } catch (NumberFormatException | NullPointerException e) {
      throw new IllegalArgumentException(name + " must be a whole number: '" + value + "'", e);
    }
  }

  private static boolean parseBoolean(String name, String value) {
    if ("true".equalsIgnoreCase(value) || "false".equalsIgnoreCase(value)) {
      return Boolean.parseBoolean(value);
    }
    throw new IllegalArgumentException(name + " must be true or false: '" + value + "'");
  }
}
