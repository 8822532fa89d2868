package io.natalia.cloud.web;

import io.natalia.cloud.analytics.Analytics;
import io.natalia.cloud.tenant.Tenant;
import java.time.ZonedDateTime;

/**
 * The two sums of the overview that the analytics query layer does not offer as such: incoming
 * calls per local weekday and hour, and answered calls per time-to-answer bucket. Both are
 * made from counts that {@link Analytics} reads from its quarter-hour sums. Thread-safe.
 */
final class Aggregates {
  private final Analytics analytics;

  Aggregates(Analytics analytics) {
    this.analytics = analytics;
  }

  /**
   * Returns incoming calls per local weekday (0 = Monday) and hour: {@code [7][24]}.
   *
   * <p>The counts come per UTC quarter of an hour; each quarter then goes to its local weekday
   * and hour. Every time zone's offset is a whole number of quarters, so no quarter straddles
   * two local hours.
   */
  long[][] weekdayHourHeatmap(Tenant tenant, DateRange range) {
    long[][] counts = new long[7][24];
    analytics.incomingPerQuarterHour(tenant, range.timeRange()).forEach((quarter, calls) -> {
      ZonedDateTime local = quarter.atZone(range.zone());
      counts[local.getDayOfWeek().getValue() - 1][local.getHour()] += calls;
    });
    return counts;
  }

  /** Upper bounds (seconds, exclusive) of the time-to-answer histogram; the last is open. */
  static final int[] TTA_BOUNDS = {5, 10, 15, 20, 30, 45, 60, 90};

  /**
   * Returns answered incoming calls per time-to-answer bucket of {@link #TTA_BOUNDS}: bucket i
   * holds the times from the i-th bound on (0 below the first), as SQL's width_bucket counts.
   * Calls without a time to answer count in bucket 0.
   */
  long[] timeToAnswerHistogram(Tenant tenant, DateRange range) {
    long[] counts = new long[TTA_BOUNDS.length + 1];
    analytics.answeredPerTimeToAnswer(tenant, range.timeRange()).forEach(
        (seconds, calls) -> counts[seconds == null ? 0 : bucket(seconds)] += calls);
    return counts;
  }

  private static int bucket(int seconds) {
    int bucket = 0;
    while (bucket < TTA_BOUNDS.length && seconds >= TTA_BOUNDS[bucket]) {
      bucket++;
    }
    return bucket;
  }
}
