package io.natalia.cloud.analytics;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;

/**
 * A half-open range of instants {@code [from, to)}: a call belongs to it when it started at or
 * after {@code from} and before {@code to}.
 *
 * @param from first instant inside the range
 * @param to first instant after the range
 */
public record TimeRange(Instant from, Instant to) {
  /** Maximum length of a range a query accepts: about three years. */
  public static final long MAX_DAYS = 1_100;

  /** Checks that both ends are set, in order, and at most {@link #MAX_DAYS} apart. */
  public TimeRange {
    if (from == null || to == null) {
      throw new IllegalArgumentException(
          "a range needs both from and to: from=" + from + ", to=" + to);
    }
    if (!from.isBefore(to)) {
      throw new IllegalArgumentException(
          "from must be before to: from=" + from + ", to=" + to);
    }
    if (java.time.Duration.between(from, to).toDays() > MAX_DAYS) {
      throw new IllegalArgumentException("a range covers at most " + MAX_DAYS
          + " days: from=" + from + ", to=" + to);
    }
  }

  /**
   * Returns the local days {@code [first, end)} of a zone as instants: from the start of
   * {@code first} to the start of {@code end}, each start taken in {@code zone} (a day of a
   * DST change lasts 23 or 25 hours).
   */
  public static TimeRange ofDays(LocalDate first, LocalDate end, ZoneId zone) {
    return new TimeRange(first.atStartOfDay(zone).toInstant(),
        end.atStartOfDay(zone).toInstant());
  }

  /** Returns whether {@code instant} lies inside the range. */
  public boolean contains(Instant instant) {
    return !instant.isBefore(from) && instant.isBefore(to);
  }
}
