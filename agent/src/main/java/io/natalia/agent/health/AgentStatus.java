package io.natalia.agent.health;

import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;

/**
 * A snapshot of the agent for the status page, {@code /health} and the metrics.
 *
 * @param state what collection is doing now
 * @param lastPollAt end of the last poll, or {@code null} before the first
 * @param nextPollAt when the next poll is due, or {@code null} when none is scheduled
 * @param recordsRead records read from the PBX since the agent started, duplicates excluded
 * @param recordsForwarded records the cloud accounted for since the agent started
 * @param recordsPending records waiting in the disk buffer
 * @param lag age of the oldest record waiting in the disk buffer, zero when it is empty
 * @param bufferUsedBytes bytes the disk buffer uses
 * @param bufferMaxBytes the disk buffer's bound
 * @param currentErrors failures still present, most recent first
 * @param recentErrors the last failures, resolved or not, most recent first
 * @param quarantined records set aside in the local quarantine (parse failures and cloud
 *     rejects)
 * @param recordsLostOnPbx tickets the PBX numbered but never served (jumps in ticketId)
 */
public record AgentStatus(
    CollectionState state,
    Instant lastPollAt,
    Instant nextPollAt,
    long recordsRead,
    long recordsForwarded,
    long recordsPending,
    Duration lag,
    long bufferUsedBytes,
    long bufferMaxBytes,
    List<ErrorEvent> currentErrors,
    List<ErrorEvent> recentErrors,
    long quarantined,
    long recordsLostOnPbx) {

  public AgentStatus {
    currentErrors = List.copyOf(currentErrors);
    recentErrors = List.copyOf(recentErrors);
  }

  /** Returns the disk buffer use in percent of its bound, 0 to 100 (may exceed 100). */
  public double bufferPercent() {
    return bufferMaxBytes == 0 ? 0 : 100.0 * bufferUsedBytes / bufferMaxBytes;
  }

  /**
   * Returns the current error that matters most, or null when none: one that stops collection
   * or forwarding first, then the buffer alarms (NAT-AGT-008, NAT-AGT-007), then the most
   * recent.
   */
  public ErrorCode mostSevereError() {
    return currentErrors.stream()
        .min(Comparator.comparingInt(e -> StatusBoard.severityRank(e.code())))
        .map(ErrorEvent::code)
        .orElse(null);
  }

  /** What collection is doing. */
  public enum CollectionState {
    /** The PBX or the cloud settings are still to enter in the web UI. */
    NOT_CONFIGURED,
    /** Starting up: no poll yet. */
    STARTING,
    /** Polling on schedule and forwarding. */
    COLLECTING,
    /** The disk buffer is above 95 %: polling waits until the cloud drains it. */
    PAUSED_BUFFER_FULL,
    /** A failure the agent retries (PBX or cloud unreachable, for instance). */
    DEGRADED,
    /** A failure only the admin can fix (certificate changed, wrong password, bad key). */
    STOPPED
  }

  /**
   * One failure.
   *
   * @param code what failed
   * @param message the cause with its value
   * @param at when it was raised
   */
  public record ErrorEvent(ErrorCode code, String message, Instant at) {}
}
