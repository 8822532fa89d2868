package io.natalia.cloud.analytics;

import java.time.DayOfWeek;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.time.temporal.TemporalAdjusters;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** Width of a time-series bucket, cut in the tenant's time zone. */
public enum Bucket {
  /** A clock hour; the repeated hour of a DST change back is two buckets. */
  HOUR,
  /** A local day, midnight to midnight: 23, 24 or 25 hours. */
  DAY,
  /** A local week, Monday midnight to Monday midnight (ISO 8601). */
  WEEK;

  /** Most buckets one series may hold. */
  public static final int MAX_BUCKETS = 10_000;

  /**
   * Parses {@code hour}, {@code day} or {@code week}, case-insensitive.
   *
   * @throws IllegalArgumentException naming the value and the valid ones
   */
  public static Bucket parse(String name) {
    try {
      return valueOf(name.strip().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException | NullPointerException e) {
      throw new IllegalArgumentException("bucket must be hour, day or week: '" + name + "'", e);
    }
  }

  /**
   * Returns the start of every bucket the range touches, in order: the range's own start
   * first, then each bucket boundary inside the range. Bucket {@code i} lasts until start
   * {@code i + 1}, the last one until the range's end.
   *
   * @throws IllegalArgumentException when the range would hold more than {@link #MAX_BUCKETS}
   */
  public List<Instant> starts(TimeRange range, ZoneId zone) {
    List<Instant> starts = new ArrayList<>();
    starts.add(range.from());
    Instant next = nextBoundary(range.from(), zone);
    while (next.isBefore(range.to())) {
      if (starts.size() == MAX_BUCKETS) {
        throw new IllegalArgumentException("a series holds at most " + MAX_BUCKETS + " buckets;"
            + " use a wider bucket than " + name().toLowerCase(Locale.ROOT) + " for "
            + range.from() + " to " + range.to());
      }
      starts.add(next);
      next = nextBoundary(next, zone);
    }
    return starts;
  }

  /** Returns the first bucket boundary strictly after {@code instant}. */
  Instant nextBoundary(Instant instant, ZoneId zone) {
    ZonedDateTime local = instant.atZone(zone);
    return switch (this) {
      case HOUR -> hourAfter(instant, zone);
      case DAY -> local.toLocalDate().plusDays(1).atStartOfDay(zone).toInstant();
      case WEEK -> local.toLocalDate().with(TemporalAdjusters.next(DayOfWeek.MONDAY))
          .atStartOfDay(zone).toInstant();
    };
  }

  // Limitation: see docs/known-limitations.md#odd-dst
  private static Instant hourAfter(Instant instant, ZoneId zone) {
    // plusHours moves on the time line, so 02:00+02:00 is followed by 02:00+01:00.
    return instant.atZone(zone).truncatedTo(ChronoUnit.HOURS).plusHours(1).toInstant();
  }
}
