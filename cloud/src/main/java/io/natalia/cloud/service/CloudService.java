package io.natalia.cloud.service;

import io.javalin.config.JavalinConfig;
import io.natalia.cloud.ingest.Ingest;
import io.natalia.cloud.ingest.IngestEndpoint;
import io.natalia.cloud.retention.Retention;
import io.natalia.cloud.server.CloudServer;
import io.natalia.cloud.server.TlsMaterial;
import io.natalia.cloud.stitch.Stitcher;
import java.security.cert.X509Certificate;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The running cloud: HTTPS server with the ingest endpoint (and the routes other parts add),
 * the stitcher, woken after each stored batch and every half minute (or only every
 * {@code stitch.interval-seconds} when set), and the daily retention job.
 */
public final class CloudService implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(CloudService.class);
  /** Also picks up batches stored by other cloud nodes. */
  private static final Duration STITCH_PERIOD = Duration.ofSeconds(30);
  private static final Duration RETENTION_PERIOD = Duration.ofDays(1);

  private final CloudParts parts;
  private final Stitcher stitcher;
  private final ScheduledExecutorService background;
  private final AtomicBoolean stitchQueued = new AtomicBoolean();
  private volatile boolean stitchAfterEachBatch = true;
  private final TlsMaterial tls;
  private CloudServer server;

  private CloudService(CloudParts parts, Stitcher stitcher, TlsMaterial tls) {
    this.parts = parts;
    this.stitcher = stitcher;
    this.tls = tls;
    this.background = Executors.newSingleThreadScheduledExecutor(runnable -> {
      Thread thread = new Thread(runnable, "cloud-background");
      thread.setDaemon(true);
      return thread;
    });
  }

  /**
   * Starts the cloud over open parts.
   *
   * @param moreRoutes routes of other parts of the cloud (API, dashboard)
   */
  public static CloudService start(CloudConfig config, CloudParts parts,
      List<Consumer<JavalinConfig>> moreRoutes) {
    TlsMaterial tls = config.tlsCertificate() == null
        ? TlsMaterial.selfSigned(config.dataDirectory())
        : TlsMaterial.fromPem(config.tlsCertificate(), config.tlsPrivateKey());
    CloudService service = new CloudService(parts,
        new Stitcher(parts.dataSource(), config.stitchTolerance(), parts.clock()), tls);
    try {
      service.startServing(config, moreRoutes);
      return service;
    } catch (RuntimeException e) {
      service.close();
      throw e;
    }
  }

  private void startServing(CloudConfig config, List<Consumer<JavalinConfig>> moreRoutes) {
    Ingest ingest = new Ingest(parts.dataSource(), parts.tenants(), parts.partitions(),
        parts.clock(), config.ingest().maxRecords(), this::wakeStitcher);
    IngestEndpoint endpoint =
        new IngestEndpoint(parts.apiKeys(), ingest, config.ingest(), parts.clock());
    List<Consumer<JavalinConfig>> routes = new ArrayList<>();
    routes.add(endpoint::install);
    routes.addAll(moreRoutes);
    server = CloudServer.start(config.host(), config.port(), tls, routes);
    Duration period = STITCH_PERIOD;
    if (!config.stitchInterval().isZero()) {
      stitchAfterEachBatch = false;
      period = config.stitchInterval();
    }
    background.scheduleWithFixedDelay(this::stitch, period.toSeconds(), period.toSeconds(),
        TimeUnit.SECONDS);
    Retention retention = new Retention(parts.dataSource(), parts.partitions(), parts.clock());
    background.scheduleWithFixedDelay(() -> retain(retention), 1,
        RETENTION_PERIOD.toMinutes(), TimeUnit.MINUTES);
  }

  /** Asks the background thread to stitch soon; several calls before it runs make one run. */
  void wakeStitcher() {
    if (!stitchAfterEachBatch) {
      return;
    }
    if (stitchQueued.compareAndSet(false, true)) {
      background.execute(this::stitch);
    }
  }

  private void stitch() {
    stitchQueued.set(false);
    try {
      stitcher.stitchPending();
    } catch (SQLException | RuntimeException e) {
      log.error("Stitching calls failed; retried in {} s (records are safe, calls lag)",
          STITCH_PERIOD.toSeconds(), e);
    }
  }

  private static void retain(Retention retention) {
    try {
      retention.runOnce();
    } catch (SQLException | RuntimeException e) {
      log.error("Retention run failed; retried tomorrow (old records stay until then)", e);
    }
  }

  /** Returns the HTTPS port. */
  public int port() {
    return server.port();
  }

  /** Returns the server certificate; agents of a self-signed cloud pin it. */
  public X509Certificate certificate() {
    return tls.certificate();
  }

  /** Returns the stores. */
  public CloudParts parts() {
    return parts;
  }

  /** Returns the stitcher; tests run it directly. */
  public Stitcher stitcher() {
    return stitcher;
  }

  @Override
  public void close() {
    if (server != null) {
      server.close();
    }
    background.shutdownNow();
    try {
      background.awaitTermination(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
