package io.natalia.agent.web;

import io.natalia.agent.health.AgentStatus;
import io.natalia.agent.spool.QuarantineEntry;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;

/**
 * The status page: the agent's snapshot, formatted for people.
 *
 * @param status the snapshot
 * @param quarantine the first quarantined records (code and reason; the raw ticket stays on
 *     disk)
 * @param zone the PBX's time zone, in which times are shown
 * @param pbx the PBX collected from ({@code host:port})
 * @param cloudUrl where records go
 * @param missing the configuration sections still to fill in, in words; empty when none
 * @param now the moment of the snapshot
 */
public record StatusView(AgentStatus status, List<QuarantineEntry> quarantine, ZoneId zone,
    String pbx, String cloudUrl, List<String> missing, Instant now) {

  /** Disk buffer marks, in percent: warning (NAT-AGT-007) and pause (NAT-AGT-008). */
  public static final int WARN_PERCENT = 80;
  public static final int PAUSE_PERCENT = 95;
  /** Width of the buffer bar in SVG units; the marks sit at their share of it. */
  public static final int BAR_WIDTH = 400;
  /** Width of the whole picture: the bar plus room for the 95 % label. */
  public static final int PICTURE_WIDTH = 440;
  private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");

  /** Returns the collection state in words. */
  public String stateLabel() {
    return switch (status.state()) {
      case NOT_CONFIGURED -> "Not configured: waiting for the settings";
      case STARTING -> "Starting: no poll yet";
      case COLLECTING -> "Collecting";
      case PAUSED_BUFFER_FULL -> "Paused: disk buffer full";
      case DEGRADED -> "Degraded: retrying";
      case STOPPED -> "Stopped: needs the admin";
    };
  }

  /** Returns a CSS class for the state. */
  public String stateClass() {
    return switch (status.state()) {
      case COLLECTING -> "ok";
      case STARTING, NOT_CONFIGURED -> "info";
      case DEGRADED, PAUSED_BUFFER_FULL -> "warn";
      case STOPPED -> "bad";
    };
  }

  public String lastPoll() {
    return status.lastPollAt() == null ? "none yet" : time(status.lastPollAt());
  }

  public String nextPoll() {
    return status.nextPollAt() == null ? "not scheduled" : time(status.nextPollAt());
  }

  /** Returns the age of the oldest record waiting, such as {@code 2 min 5 s}. */
  public String lag() {
    return duration(status.lag());
  }

  /** Returns the buffer use in percent, with one decimal. */
  public String bufferPercent() {
    return String.format(Locale.ROOT, "%.1f", status.bufferPercent());
  }

  /** Returns the filled width of the buffer bar, capped at the bar's width. */
  public int bufferBarWidth() {
    return (int) Math.round(Math.min(100, status.bufferPercent()) * BAR_WIDTH / 100);
  }

  /** Returns the CSS class of the filled bar: ok below 80 %, warn below 95 %, bad above. */
  public String bufferClass() {
    double percent = status.bufferPercent();
    if (percent >= PAUSE_PERCENT) {
      return "bad";
    }
    if (percent >= WARN_PERCENT) {
      return "warn";
    }
    return "ok";
  }

  public int warnMarkX() {
    return BAR_WIDTH * WARN_PERCENT / 100;
  }

  public int pauseMarkX() {
    return BAR_WIDTH * PAUSE_PERCENT / 100;
  }

  /** Returns the buffer's size, such as {@code 1.2 MB of 1024 MB}. */
  public String bufferSize() {
    return String.format(Locale.ROOT, "%.1f MB of %d MB", status.bufferUsedBytes() / 1048576.0,
        status.bufferMaxBytes() / 1048576);
  }

  /** Returns an instant in the PBX's zone. */
  public String time(Instant instant) {
    return TIME.format(instant.atZone(zone));
  }

  private static String duration(Duration duration) {
    long seconds = Math.max(0, duration.toSeconds());
    if (seconds < 60) {
      return seconds + " s";
    }
    if (seconds < 3600) {
      return seconds / 60 + " min " + seconds % 60 + " s";
    }
    return seconds / 3600 + " h " + seconds % 3600 / 60 + " min";
  }
}
