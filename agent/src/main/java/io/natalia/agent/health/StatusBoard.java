package io.natalia.agent.health;

import io.natalia.agent.health.AgentStatus.CollectionState;
import io.natalia.agent.health.AgentStatus.ErrorEvent;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where the agent's parts report what they did and what failed. Raising a code logs it once
 * (WARN, or ERROR when records may be lost); raising it again only updates the message, and
 * clearing it logs that it is resolved. Thread-safe.
 */
public final class StatusBoard {
  private static final Logger log = LoggerFactory.getLogger(StatusBoard.class);
  private static final int RECENT_ERRORS = 20;
  /** Codes that mean records may be lost: logged at ERROR. */
  private static final Set<ErrorCode> DATA_LOSS =
      EnumSet.of(ErrorCode.NAT_AGT_014, ErrorCode.NAT_AGT_015);
  /**
   * Codes only the admin can fix: collection or forwarding stops until then. NAT-AGT-017 is
   * not one: the previous settings keep running, so the agent is degraded, not stopped.
   */
  private static final Set<ErrorCode> STOPPING = EnumSet.of(ErrorCode.NAT_AGT_011,
      ErrorCode.NAT_AGT_012, ErrorCode.NAT_AGT_013, ErrorCode.NAT_AGT_020, ErrorCode.NAT_AGT_021,
      ErrorCode.NAT_API_001, ErrorCode.NAT_AGT_002, ErrorCode.NAT_AGT_003);
  /** Codes that describe an event, not a lasting state: they go to the recent list only. */
  private static final Set<ErrorCode> EVENTS = EnumSet.of(ErrorCode.NAT_AGT_010,
      ErrorCode.NAT_AGT_014, ErrorCode.NAT_AGT_015, ErrorCode.NAT_AGT_019);

  private final InstantSource clock;
  private final Map<ErrorCode, ErrorEvent> current = new LinkedHashMap<>();
  private final Deque<ErrorEvent> recent = new ArrayDeque<>();
  private final AtomicLong recordsRead = new AtomicLong();
  private final AtomicLong recordsForwarded = new AtomicLong();
  private final AtomicLong recordsLostOnPbx = new AtomicLong();
  private volatile Instant lastPollAt;
  private volatile Instant nextPollAt;
  private volatile boolean started;
  private volatile List<String> missingSettings = List.of();

  public StatusBoard(InstantSource clock) {
    this.clock = clock;
  }

  /**
   * Returns the rank of a code by severity, 0 the most severe: codes that stop collection or
   * forwarding, then the buffer's pause and warning, then every other code.
   */
  static int severityRank(ErrorCode code) {
    if (STOPPING.contains(code)) {
      return 0;
    }
    if (code == ErrorCode.NAT_AGT_008) {
      return 1;
    }
    return code == ErrorCode.NAT_AGT_007 ? 2 : 3;
  }

  /** Records a failure; see the class comment for how it is logged. */
  public void raise(ErrorCode code, String message) {
    ErrorEvent event = new ErrorEvent(code, message, clock.instant());
    boolean isNew;
    synchronized (this) {
      isNew = EVENTS.contains(code) || !current.containsKey(code);
      if (!EVENTS.contains(code)) {
        current.remove(code);
        current.put(code, event);
      }
      if (isNew) {
        recent.addFirst(event);
        while (recent.size() > RECENT_ERRORS) {
          recent.removeLast();
        }
      }
    }
    if (!isNew) {
      return;
    }
    if (DATA_LOSS.contains(code)) {
      log.error("{} {} Fix: {}", code, message, code.fix());
    } else {
      log.warn("{} {} Fix: {}", code, message, code.fix());
    }
  }

  /** Clears a failure that is resolved; does nothing when it was not raised. */
  public void clear(ErrorCode code) {
    ErrorEvent removed;
    synchronized (this) {
      removed = current.remove(code);
    }
    if (removed != null) {
      log.info("{} resolved", code);
    }
  }

  /** Returns whether the code is currently raised. */
  public synchronized boolean isRaised(ErrorCode code) {
    return current.containsKey(code);
  }

  /** Records the end of a poll and when the next one is due. */
  public void pollFinished(Instant at, Instant next) {
    lastPollAt = at;
    nextPollAt = next;
    started = true;
  }

  /** Records the configuration sections still to fill in; empty once configured. */
  public void missingSettings(List<String> missing) {
    missingSettings = List.copyOf(missing);
  }

  /** Returns the configuration sections still to fill in, in words; empty when none. */
  public List<String> missingSettings() {
    return missingSettings;
  }

  /** Records when the next poll is due. */
  public void nextPollAt(Instant next) {
    nextPollAt = next;
  }

  public void addRecordsRead(long count) {
    recordsRead.addAndGet(count);
  }

  public void addRecordsForwarded(long count) {
    recordsForwarded.addAndGet(count);
  }

  public void addRecordsLostOnPbx(long count) {
    recordsLostOnPbx.addAndGet(count);
  }

  public long recordsRead() {
    return recordsRead.get();
  }

  public long recordsForwarded() {
    return recordsForwarded.get();
  }

  public long recordsLostOnPbx() {
    return recordsLostOnPbx.get();
  }

  /** Builds a snapshot, with the disk buffer's figures given by the caller. */
  public AgentStatus snapshot(BufferFigures buffer) {
    List<ErrorEvent> currentErrors;
    List<ErrorEvent> recentErrors;
    synchronized (this) {
      currentErrors = new ArrayList<>(current.values());
      recentErrors = new ArrayList<>(recent);
    }
    java.util.Collections.reverse(currentErrors);
    return new AgentStatus(state(currentErrors), lastPollAt, nextPollAt, recordsRead.get(),
        recordsForwarded.get(), buffer.pendingRecords(), buffer.lag(), buffer.usedBytes(),
        buffer.maxBytes(), currentErrors, recentErrors, buffer.quarantined(),
        recordsLostOnPbx.get());
  }

  private CollectionState state(List<ErrorEvent> errors) {
    if (errors.stream().anyMatch(e -> STOPPING.contains(e.code()))) {
      return CollectionState.STOPPED;
    }
    if (!missingSettings.isEmpty()) {
      return CollectionState.NOT_CONFIGURED;
    }
    if (errors.stream().anyMatch(e -> e.code() == ErrorCode.NAT_AGT_008)) {
      return CollectionState.PAUSED_BUFFER_FULL;
    }
    if (!errors.isEmpty()) {
      return CollectionState.DEGRADED;
    }
    return started ? CollectionState.COLLECTING : CollectionState.STARTING;
  }

  /**
   * The disk buffer's figures at one instant.
   *
   * @param pendingRecords records waiting to be forwarded
   * @param lag age of the oldest waiting record
   * @param usedBytes bytes in use
   * @param maxBytes the bound
   * @param quarantined records in the local quarantine
   */
  public record BufferFigures(
      long pendingRecords, Duration lag, long usedBytes, long maxBytes, long quarantined) {}
}
