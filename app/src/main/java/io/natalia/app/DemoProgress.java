package io.natalia.app;

import io.natalia.agent.health.AgentStatus;
import io.natalia.oxo.buffer.BufferStatus;
import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.ZoneId;
import java.util.Locale;

/**
 * Prints how the agent drains the simulator's backlog: records read from the PBX, forwarded
 * to the cloud and still pending, then one line whenever live traffic moves the figures.
 */
final class DemoProgress {
  private static final DateTimeFormatter CLOCK = DateTimeFormatter.ofPattern("HH:mm:ss");
  private final PrintWriter out;
  private final Instant started;
  private boolean drained;
  private long lastForwarded = -1;

  DemoProgress(PrintWriter out, Instant started) {
    this.out = out;
    this.started = started;
  }

  /**
   * Prints one line if the figures changed, and a summary line when the backlog is drained:
   * a poll read the PBX to its end without error and the agent's buffer is empty. A second run
   * over the same data is drained after its first poll.
   */
  void report(AgentStatus agent, BufferStatus pbx, Instant now) {
    boolean caughtUp = agent.lastPollAt() != null && agent.recordsPending() == 0
        && agent.currentErrors().isEmpty();
    if (agent.recordsForwarded() != lastForwarded || !drained) {
      out.println(line(agent, pbx, now));
    }
    if (caughtUp && !drained) {
      drained = true;
      out.printf(Locale.ROOT, "Backlog forwarded in %d s: the dashboard has its numbers."
          + " New calls arrive with each poll.%n",
          Duration.between(started, now).toSeconds());
    }
    lastForwarded = agent.recordsForwarded();
    out.flush();
  }

  /** Returns whether the backlog has been forwarded. */
  boolean drained() {
    return drained;
  }

  private static String line(AgentStatus agent, BufferStatus pbx, Instant now) {
    String errors = agent.currentErrors().isEmpty() ? ""
        : "; " + agent.currentErrors().get(0).code() + ": "
            + agent.currentErrors().get(0).message();
    return String.format(Locale.ROOT,
        "[%s] agent %s: %,d records read, %,d forwarded, %,d pending;"
            + " PBX buffer %,d tickets%s",
        CLOCK.format(now.atZone(ZoneId.systemDefault())),
        agent.state().name().toLowerCase(Locale.ROOT), agent.recordsRead(),
        agent.recordsForwarded(), agent.recordsPending(), pbx.size(), errors);
  }
}
