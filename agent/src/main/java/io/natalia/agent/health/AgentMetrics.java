package io.natalia.agent.health;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.function.Supplier;
import java.util.function.ToDoubleFunction;

/**
 * The agent's Prometheus metrics, read from {@link AgentStatus} snapshots. A scrape takes at
 * most one snapshot per second, since a snapshot counts the disk buffer's rows.
 */
public final class AgentMetrics {
  private static final Duration SNAPSHOT_MAX_AGE = Duration.ofSeconds(1);

  private final PrometheusMeterRegistry registry =
      new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private final Supplier<AgentStatus> source;
  private AgentStatus cached;
  private long cachedAtNanos;

  public AgentMetrics(Supplier<AgentStatus> source) {
    this.source = source;
    counter("natalia_agent_records_read", "Records read from the PBX, duplicates excluded",
        AgentStatus::recordsRead);
    counter("natalia_agent_records_forwarded", "Records the cloud accounted for",
        AgentStatus::recordsForwarded);
    counter("natalia_agent_records_lost_on_pbx", "Tickets the PBX numbered but never served",
        AgentStatus::recordsLostOnPbx);
    gauge("natalia_agent_records_pending", "Records waiting in the disk buffer",
        AgentStatus::recordsPending);
    gauge("natalia_agent_records_quarantined", "Records in the local quarantine",
        AgentStatus::quarantined);
    gauge("natalia_agent_lag_seconds", "Age of the oldest record waiting in the disk buffer",
        s -> s.lag().toSeconds());
    gauge("natalia_agent_buffer_used_bytes", "Bytes the disk buffer uses",
        AgentStatus::bufferUsedBytes);
    gauge("natalia_agent_buffer_max_bytes", "Bound of the disk buffer",
        AgentStatus::bufferMaxBytes);
    gauge("natalia_agent_last_poll_timestamp_seconds", "End of the last poll (Unix time)",
        s -> s.lastPollAt() == null ? 0 : s.lastPollAt().getEpochSecond());
    for (ErrorCode code : ErrorCode.values()) {
      Gauge.builder("natalia_agent_error_active", this,
              m -> m.snapshot().currentErrors().stream().anyMatch(e -> e.code() == code) ? 1 : 0)
          .description("1 while the error code is raised")
          .tag("code", code.code())
          .register(registry);
    }
  }

  /** Returns the metrics in the Prometheus text format. */
  public String scrape() {
    return registry.scrape();
  }

  private void counter(String name, String help, ToDoubleFunction<AgentStatus> value) {
    FunctionCounter.builder(name, this, m -> value.applyAsDouble(m.snapshot()))
        .description(help)
        .register(registry);
  }

  private void gauge(String name, String help, ToDoubleFunction<AgentStatus> value) {
    Gauge.builder(name, this, m -> value.applyAsDouble(m.snapshot()))
        .description(help)
        .register(registry);
  }

  private synchronized AgentStatus snapshot() {
    long now = System.nanoTime();
    if (cached == null || now - cachedAtNanos > SNAPSHOT_MAX_AGE.toNanos()) {
      cached = source.get();
      cachedAtNanos = now;
    }
    return cached;
  }
}
