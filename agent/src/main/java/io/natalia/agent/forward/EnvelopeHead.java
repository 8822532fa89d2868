package io.natalia.agent.forward;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.natalia.agent.config.AgentConfig;
import io.natalia.agent.health.AgentStatus;
import io.natalia.agent.health.ErrorCode;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.function.Supplier;

/**
 * The JSON of an ingest request before its records: the agent with its health, then the PBX,
 * up to the opening bracket of {@code "records"}. docs/api.md defines {@code agent.health}.
 *
 * <p>The health comes from a status snapshot, which counts the disk buffer's records with a
 * query, so it is taken again at most every {@link #REFRESH}: a backlog of many batches then
 * costs a few queries a minute. Not thread-safe, like the forwarder.
 */
final class EnvelopeHead {
  /** Maximum age of the health sent. */
  static final Duration REFRESH = Duration.ofSeconds(10);
  /** The cloud's upper bound of {@code bufferUsedPercent}. */
  private static final double MAX_PERCENT = 1_000_000;
  private static final ObjectMapper JSON = new ObjectMapper();

  private final String version;
  private final String hostName;
  private final ObjectNode pbx;
  private final Supplier<AgentStatus> status;
  private final InstantSource clock;
  private byte[] bytes;
  private Instant builtAt;

  EnvelopeHead(AgentConfig config, String version, String hostName,
      Supplier<AgentStatus> status, InstantSource clock) {
    this.version = version;
    this.hostName = hostName;
    this.pbx = JSON.createObjectNode()
        .put("id", config.pbx().id())
        .put("type", config.pbx().type().name())
        .put("timeZone", config.pbx().timeZone().getId());
    this.status = status;
    this.clock = clock;
  }

  /** Returns the head, with a health at most {@link #REFRESH} old. */
  byte[] bytes() {
    Instant now = clock.instant();
    if (bytes == null || !now.isBefore(builtAt.plus(REFRESH))) {
      ObjectNode agent = JSON.createObjectNode().put("version", version).put("host", hostName);
      agent.set("health", health(status.get()));
      String head = "{\"agent\":" + agent + ",\"pbx\":" + pbx + ",\"records\":[";
      bytes = head.getBytes(StandardCharsets.UTF_8);
      builtAt = now;
    }
    return bytes;
  }

  /** Returns {@code agent.health} of a status snapshot. */
  static ObjectNode health(AgentStatus snapshot) {
    ErrorCode code = snapshot.mostSevereError();
    double percent = Math.min(MAX_PERCENT, Math.round(snapshot.bufferPercent() * 10) / 10.0);
    return JSON.createObjectNode()
        .put("bufferUsedPercent", percent)
        .put("errorCode", code == null ? null : code.code())
        .put("lagSeconds", snapshot.lag().toSeconds())
        .put("pendingRecords", snapshot.recordsPending());
  }
}
