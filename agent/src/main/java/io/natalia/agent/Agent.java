package io.natalia.agent;

import io.natalia.agent.config.AgentConfig;
import io.natalia.agent.config.ConfigException;
import io.natalia.agent.config.ConfigStore;
import io.natalia.agent.crypto.SelfSignedCertificate;
import io.natalia.agent.forward.Forwarder;
import io.natalia.agent.health.AgentException;
import io.natalia.agent.health.AgentMetrics;
import io.natalia.agent.health.AgentStatus;
import io.natalia.agent.health.ErrorCode;
import io.natalia.agent.health.HealthServer;
import io.natalia.agent.health.StatusBoard;
import io.natalia.agent.pbx.oxo.ConnectionTest;
import io.natalia.agent.pbx.oxo.Poller;
import io.natalia.agent.spool.Spool;
import io.natalia.agent.spool.SpoolException;
import java.io.IOException;
import java.net.InetAddress;
import java.net.http.HttpClient;
import java.security.KeyStore;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * The agent service: polls the PBX on schedule into the disk buffer, forwards the buffer to the
 * cloud, and serves {@code /health}, {@code /metrics} and the status API over HTTPS.
 *
 * <p>Two threads: the poll loop (one poll at a time, every {@code pbx.pollInterval}, at once on
 * {@link #collectNow()}, paused while the buffer is above 95 %) and the forward loop (a batch
 * whenever records wait, with the backoff the forwarder returns). A configuration change from
 * {@link ConfigStore} takes effect at the next poll and the next batch, without a restart.
 *
 * <p>On first start the PBX and cloud sections may still be empty: the agent then serves its
 * web UI and health endpoint, reports NOT_CONFIGURED, and starts polling (or forwarding) as
 * soon as the admin saves that section.
 */
public final class Agent implements AutoCloseable {
  /** Name of the disk buffer file in the data folder. */
  public static final String SPOOL_FILE = "spool.db";
  private static final Logger log = LoggerFactory.getLogger(Agent.class);
  private static final double WARN_PERCENT = 80;
  private static final double PAUSE_PERCENT = 95;
  /** Polling resumes below this, so that it does not flap around 95 %. */
  private static final double RESUME_PERCENT = 90;
  private static final Duration PAUSED_CHECK = Duration.ofSeconds(10);
  private static final Duration IDLE_CHECK = Duration.ofSeconds(30);
  private static final Duration UNEXPECTED_FAILURE_WAIT = Duration.ofSeconds(30);
  /**
   * Codes a successful poll resolves. NAT-AGT-017 is not one of them: an invalid configuration
   * stays raised until a valid one is applied, even while the previous settings poll fine.
   */
  private static final Set<ErrorCode> PBX_CODES = EnumSet.of(ErrorCode.NAT_AGT_001,
      ErrorCode.NAT_AGT_002, ErrorCode.NAT_AGT_003, ErrorCode.NAT_AGT_004, ErrorCode.NAT_AGT_006,
      ErrorCode.NAT_AGT_011, ErrorCode.NAT_AGT_012, ErrorCode.NAT_AGT_013, ErrorCode.NAT_AGT_016);

  private final ConfigStore store;
  private final Clock clock;
  private final StatusBoard board;
  private final String version;
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition pollSignal = lock.newCondition();
  private final Condition forwardSignal = lock.newCondition();
  private volatile Spool spool;
  /** Null while the PBX section is not configured. */
  private volatile Poller poller;
  private volatile HttpClient pbxHttp;
  /** Null while the cloud section is not configured. */
  private volatile Forwarder forwarder;
  private volatile boolean running = true;
  private volatile boolean collectNowRequested;
  private volatile boolean pausedForBuffer;
  private HealthServer server;
  private Thread pollThread;
  private Thread forwardThread;

  private Agent(ConfigStore store, Clock clock) {
    this.store = store;
    this.clock = clock;
    this.board = new StatusBoard(clock);
    String implementation = Agent.class.getPackage().getImplementationVersion();
    this.version = implementation == null ? "development" : implementation;
  }

  /**
   * Starts the agent with the store's configuration: opens the disk buffer, starts both loops
   * and the HTTPS server on {@code web.port}.
   *
   * @param webExtension adds routes to the HTTPS server (the web UI); may do nothing
   */
  public static Agent start(ConfigStore store, Clock clock,
      Consumer<io.javalin.config.JavalinConfig> webExtension) throws IOException {
    Agent agent = new Agent(store, clock);
    agent.startParts(webExtension);
    return agent;
  }

  /** Returns a snapshot of the agent's state. */
  public AgentStatus status() {
    Spool current = spool;
    return board.snapshot(new StatusBoard.BufferFigures(current.pendingCount(), current.lag(),
        current.usedBytes(), store.current().buffer().maxBytes(), current.quarantineCount()));
  }

  /** Starts a poll now, unless one is running; "collect now" in the web UI. */
  public void collectNow() {
    collectNowRequested = true;
    signal(pollSignal);
  }

  /** Runs "Test the connection" against these PBX settings without storing anything. */
  public ConnectionTest.Result testConnection(AgentConfig.Pbx pbx) {
    return ConnectionTest.run(pbx, clock);
  }

  /** Returns the configuration store, for the web UI's forms. */
  public ConfigStore configStore() {
    return store;
  }

  /** Returns the disk buffer, for the web UI's quarantine list. */
  public Spool spool() {
    return spool;
  }

  /** Returns the port of the HTTPS server. */
  public int webPort() {
    return server.port();
  }

  @Override
  public void close() {
    running = false;
    signal(pollSignal);
    signal(forwardSignal);
    joinQuietly(pollThread);
    joinQuietly(forwardThread);
    server.close();
    HttpClient http = pbxHttp;
    if (http != null) {
      http.shutdownNow();
    }
    spool.close();
    log.info("Agent stopped");
  }

  private void startParts(Consumer<io.javalin.config.JavalinConfig> webExtension)
      throws IOException {
    AgentConfig config = store.current();
    spool = openSpool(config);
    rebuild(config);
    store.addListener(this::configChanged);
    KeyStore keyStore = SelfSignedCertificate.loadOrCreate(
        config.dataDir().resolve("web-tls.p12"), store.key().derivePassword("web-tls"));
    AgentMetrics metrics = new AgentMetrics(this::status);
    server = HealthServer.start(config.web().address(), config.web().port(), keyStore,
        store.key().derivePassword("web-tls"), new HealthServer.Endpoints() {
          @Override
          public AgentStatus status() {
            return Agent.this.status();
          }

          @Override
          public String metrics() {
            return metrics.scrape();
          }

          @Override
          public void collectNow() {
            Agent.this.collectNow();
          }

          @Override
          public io.natalia.agent.config.Secret apiToken() {
            return store.current().web().metricsToken();
          }
        }, webExtension);
    pollThread = Thread.ofPlatform().name("natalia-poll").start(this::pollLoop);
    forwardThread = Thread.ofPlatform().name("natalia-forward").start(this::forwardLoop);
    if (config.missingSettings().isEmpty()) {
      log.info("Agent {} started: PBX {} at {}:{} every {} s, cloud {}, HTTPS on port {}",
          version, config.pbx().id(), config.pbx().host(), config.pbx().port(),
          config.pbx().pollInterval().toSeconds(), config.cloud().url(), server.port());
    } else {
      log.warn("Agent {} started on HTTPS port {} without its {}. Enter them in the web UI: "
          + "collection starts once they are saved", version, server.port(),
          String.join(" and ", config.missingSettings()));
    }
  }

  private Spool openSpool(AgentConfig config) {
    return Spool.open(config.dataDir().resolve(SPOOL_FILE), store.key(), clock,
        message -> board.raise(ErrorCode.NAT_AGT_015, message));
  }

  private void configChanged(AgentConfig config) {
    try {
      rebuild(config);
    } catch (IOException e) {
      board.raise(ErrorCode.NAT_AGT_017, e.getMessage());
      return;
    }
    board.clear(ErrorCode.NAT_AGT_017);
    collectNow();
    signal(forwardSignal);
  }

  private void rebuild(AgentConfig config) throws IOException {
    board.missingSettings(config.missingSettings());
    HttpClient oldHttp = pbxHttp;
    if (config.hasPbx()) {
      pbxHttp = ConnectionTest.httpClient(config.pbx());
      poller = Poller.create(config.pbx(), pbxHttp, spool, board, clock, System::nanoTime,
          duration -> Thread.sleep(duration.toMillis()));
    } else {
      pbxHttp = null;
      poller = null;
    }
    forwarder = config.hasCloud()
        ? Forwarder.create(spool, board, config, version, hostName(), this::status, clock)
        : null;
    if (oldHttp != null) {
      oldHttp.shutdown();
    }
  }

  private void pollLoop() {
    MDC.put("pbx", store.current().pbx().id());
    Instant next = clock.instant();
    while (running) {
      try {
        if (!awaitUntil(pollSignal, next, () -> collectNowRequested)) {
          continue;
        }
        collectNowRequested = false;
        next = pollCycle();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      } catch (RuntimeException e) {
        log.error("Poll failed unexpectedly; next attempt in {} s",
            UNEXPECTED_FAILURE_WAIT.toSeconds(), e);
        next = clock.instant().plus(UNEXPECTED_FAILURE_WAIT);
      }
    }
  }

  /** Runs one poll unless the buffer is full, and returns when the next one is due. */
  private Instant pollCycle() throws InterruptedException {
    reloadConfig();
    AgentConfig config = store.current();
    Poller current = poller;
    if (current == null) {
      // Not configured yet: saving the PBX settings wakes this loop at once.
      board.nextPollAt(null);
      return clock.instant().plus(IDLE_CHECK);
    }
    if (updateBufferAlarms()) {
      Instant retry = clock.instant().plus(PAUSED_CHECK);
      board.nextPollAt(retry);
      return retry;
    }
    try {
      // Called after each stored page: the forwarder starts on a long backlog at once.
      Poller.PollResult result = current.pollOnce(() -> {
        signal(forwardSignal);
        return bufferPercent() >= PAUSE_PERCENT;
      });
      reportPollSucceeded(result);
      log.debug("Poll read {} new records in {} pages", result.newRecords(), result.pages());
      signal(forwardSignal);
    } catch (AgentException e) {
      board.raise(e.code(), e.getMessage());
    } catch (SpoolException e) {
      recoverSpool(e);
    }
    Instant next = clock.instant().plus(config.pbx().pollInterval());
    board.pollFinished(clock.instant(), next);
    updateBufferAlarms();
    return next;
  }

  /**
   * Clears the PBX codes a poll resolves. A stall on a page served again is raised instead: it
   * stays, logged once, while every poll stops on that page.
   */
  private void reportPollSucceeded(Poller.PollResult result) {
    for (ErrorCode code : PBX_CODES) {
      if (code != ErrorCode.NAT_AGT_016 || result.stall() == null) {
        board.clear(code);
      }
    }
    if (result.stall() != null) {
      board.raise(ErrorCode.NAT_AGT_016, result.stall());
    }
  }

  private void forwardLoop() {
    MDC.put("pbx", store.current().pbx().id());
    while (running) {
      try {
        Forwarder current = forwarder;
        // Null while the cloud is not configured: saving its settings wakes this loop.
        Duration wait = current == null ? null : current.forwardOnce();
        if (pausedForBuffer && !updateBufferAlarms()) {
          collectNow();
        }
        if (wait == null) {
          awaitUntil(forwardSignal, clock.instant().plus(IDLE_CHECK), () -> false);
        } else if (!wait.isZero()) {
          awaitUntil(forwardSignal, clock.instant().plus(wait), () -> false);
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      } catch (SpoolException e) {
        recoverSpool(e);
      } catch (RuntimeException e) {
        log.error("Forwarding failed unexpectedly; next attempt in {} s",
            UNEXPECTED_FAILURE_WAIT.toSeconds(), e);
        sleepQuietly(UNEXPECTED_FAILURE_WAIT);
      }
    }
  }

  /**
   * Raises or clears the buffer alarms and returns whether polling must pause. Polling pauses
   * at 95 % and resumes below 90 %.
   */
  private boolean updateBufferAlarms() {
    double percent = bufferPercent();
    if (percent >= WARN_PERCENT) {
      board.raise(ErrorCode.NAT_AGT_007, String.format(java.util.Locale.ROOT,
          "disk buffer at %.1f %% of %d MB", percent,
          store.current().buffer().maxBytes() / (1024 * 1024)));
    } else {
      board.clear(ErrorCode.NAT_AGT_007);
    }
    if (percent >= PAUSE_PERCENT && !pausedForBuffer) {
      pausedForBuffer = true;
      board.raise(ErrorCode.NAT_AGT_008, String.format(java.util.Locale.ROOT,
          "disk buffer at %.1f %%; polling paused until it falls below %.0f %%", percent,
          RESUME_PERCENT));
    } else if (percent < RESUME_PERCENT && pausedForBuffer) {
      pausedForBuffer = false;
      board.clear(ErrorCode.NAT_AGT_008);
      log.info("Disk buffer at {} %; polling resumes", Math.round(percent));
    }
    return pausedForBuffer;
  }

  private double bufferPercent() {
    return 100.0 * spool.usedBytes() / store.current().buffer().maxBytes();
  }

  private void reloadConfig() {
    try {
      store.reloadIfChanged();
    } catch (ConfigException | IOException e) {
      // Raised again at every poll until the file is valid: the message stays, logged once.
      board.raise(ErrorCode.NAT_AGT_017, "edited configuration file " + store.file()
          + " not applied, the previous settings stay in effect: " + e.getMessage());
    }
  }

  private synchronized void recoverSpool(SpoolException e) {
    if (!Spool.isCorruption(e)) {
      log.error("Disk buffer failure; retrying later: {}", e.getMessage(), e);
      sleepQuietly(UNEXPECTED_FAILURE_WAIT);
      return;
    }
    Spool broken = spool;
    broken.close();
    spool = openSpool(store.current());
    try {
      rebuild(store.current());
    } catch (IOException rebuildFailure) {
      board.raise(ErrorCode.NAT_AGT_017, rebuildFailure.getMessage());
    }
  }

  private boolean awaitUntil(Condition condition, Instant deadline,
      java.util.function.BooleanSupplier early) throws InterruptedException {
    lock.lock();
    try {
      while (running && !early.getAsBoolean()) {
        long waitMillis = Duration.between(clock.instant(), deadline).toMillis();
        if (waitMillis <= 0) {
          return true;
        }
        if (!condition.await(waitMillis, TimeUnit.MILLISECONDS)) {
          return true;
        }
        if (condition == forwardSignal) {
          return true;
        }
      }
      return running;
    } finally {
      lock.unlock();
    }
  }

  private void signal(Condition condition) {
    lock.lock();
    try {
      condition.signalAll();
    } finally {
      lock.unlock();
    }
  }

  private static String hostName() {
    try {
      return InetAddress.getLocalHost().getHostName();
    } catch (IOException e) {
      return "unknown";
    }
  }

  private static void sleepQuietly(Duration duration) {
    try {
      Thread.sleep(duration.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static void joinQuietly(Thread thread) {
    if (thread == null) {
      return;
    }
    thread.interrupt();
    try {
      thread.join(TimeUnit.SECONDS.toMillis(10));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
