package io.natalia.oxo.traffic;

import java.time.Instant;
import java.util.Iterator;
import java.util.List;

/**
 * Deterministic call traffic of one simulated company: the same seed and settings always yield
 * the same calls and tickets, whichever range is asked for and in whatever order.
 */
public interface TrafficSource {

  /**
   * Returns the tickets written in {@code [from, to)}, ordered by {@link
   * GeneratedTicket#writtenAt()} (ties in a stable order). Lazy: a range of months does not
   * sit in memory at once.
   */
  Iterator<GeneratedTicket> ticketsWritten(Instant from, Instant to);

  /** Returns the ground truth of every call that started in {@code [from, to)}, by start. */
  List<TruthCall> callsStarted(Instant from, Instant to);
}
