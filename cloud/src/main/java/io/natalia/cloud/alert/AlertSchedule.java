package io.natalia.cloud.alert;

import io.natalia.cloud.analytics.Analytics;
import io.natalia.cloud.service.CloudParts;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Runs {@link AlertMonitor#checkOnce} on a background thread at a fixed period. */
public final class AlertSchedule implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(AlertSchedule.class);
  /** How often alert conditions are checked. */
  public static final Duration PERIOD = Duration.ofMinutes(1);

  private final ScheduledExecutorService thread;

  private AlertSchedule(ScheduledExecutorService thread) {
    this.thread = thread;
  }

  /** Starts checking every {@link #PERIOD}, the first time one period from now. */
  public static AlertSchedule start(CloudParts parts, AlertMailer mailer) {
    AlertMonitor monitor = new AlertMonitor(parts.dataSource(), parts.tenants(),
        new Analytics(parts.dataSource()), mailer, parts.clock());
    ScheduledExecutorService thread = Executors.newSingleThreadScheduledExecutor(runnable -> {
      Thread daemon = new Thread(runnable, "cloud-alerts");
      daemon.setDaemon(true);
      return daemon;
    });
    thread.scheduleWithFixedDelay(() -> {
      try {
        monitor.checkOnce();
      } catch (RuntimeException e) {
        log.error("Alert round failed; retried in {} s", PERIOD.toSeconds(), e);
      }
    }, PERIOD.toSeconds(), PERIOD.toSeconds(), TimeUnit.SECONDS);
    log.info("Alert checks every {} s, e-mail {}", PERIOD.toSeconds(),
        mailer.enabled() ? "through " + mailer : "off (no smtp.host configured)");
    return new AlertSchedule(thread);
  }

  @Override
  public void close() {
    thread.shutdownNow();
  }
}
