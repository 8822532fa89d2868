package io.natalia.oxo.traffic;

import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.zone.ZoneRules;
import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * When calls happen during one local day: a weekday factor on the volume and a local-clock
 * profile over the day, with business hours, a lunch dip and a little night traffic.
 *
 * <p>The day is cut into slices of elapsed time from local midnight to the next local
 * midnight, so a 23-hour day has 92 slices of 15 minutes and a 25-hour day 100; each slice is
 * weighted by the local clock time at its start. On a 25-hour day the repeated hour gets
 * traffic twice, and on a 23-hour day the skipped hour gets none, as on a real PBX.
 */
final class DayShape {

  static final int SLICE_SECONDS = 15 * 60;

  /** Relative call volume by local hour: business hours 8 to 19, a dip from 12 to 14. */
  private static final double[] HOUR_WEIGHTS = {
    0.02, 0.02, 0.02, 0.02, 0.02, 0.02, 0.04, 0.30, // 00 to 07
    1.00, 1.60, 1.80, 1.60, 0.70, 0.80, 1.50, 1.60, // 08 to 15
    1.40, 1.00, 0.40, 0.15, 0.06, 0.04, 0.03, 0.02, // 16 to 23
  };

  private static final double HOUR_WEIGHT_SUM = Arrays.stream(HOUR_WEIGHTS).sum();

  /** Volume factor by day of week, Monday first: quiet weekends, a lighter Friday. */
  private static final double[] WEEKDAY_FACTORS = {1.0, 1.05, 1.0, 1.0, 0.85, 0.10, 0.04};

  private final long startEpochSecond;
  private final long endEpochSecond;
  private final double[] cumulativeWeights;
  private final double volumeFactor;

  DayShape(LocalDate date, ZoneId zone) {
    ZoneRules rules = zone.getRules();
    this.startEpochSecond = date.atStartOfDay(zone).toEpochSecond();
    this.endEpochSecond = date.plusDays(1).atStartOfDay(zone).toEpochSecond();
    int slices = (int) ((endEpochSecond - startEpochSecond + SLICE_SECONDS - 1) / SLICE_SECONDS);
    this.cumulativeWeights = new double[slices];
    double total = 0;
    for (int i = 0; i < slices; i++) {
      long sliceStart = startEpochSecond + (long) i * SLICE_SECONDS;
      long sliceSeconds = Math.min(SLICE_SECONDS, endEpochSecond - sliceStart);
      total += hourWeight(localHour(rules, sliceStart)) * sliceSeconds / SLICE_SECONDS;
      cumulativeWeights[i] = total;
    }
    // Relative to a 24-hour day, so the repeated night hour of a 25-hour day adds a little.
    this.volumeFactor = WEEKDAY_FACTORS[date.getDayOfWeek().ordinal()] * total
        / (HOUR_WEIGHT_SUM * 4);
  }

  /**
   * Returns the relative call volume of this day: the weekday factor times the day's slice
   * weights over those of a 24-hour day (1 except on DST change days).
   */
  double volumeFactor() {
    return volumeFactor;
  }

  long startEpochSecond() {
    return startEpochSecond;
  }

  long endEpochSecond() {
    return endEpochSecond;
  }

  /** Draws a call start in {@code [start, end)} of this day, in epoch seconds. */
  long sampleStart(SplittableRandom random) {
    double draw = random.nextDouble() * cumulativeWeights[cumulativeWeights.length - 1];
    int slice = Arrays.binarySearch(cumulativeWeights, draw);
    slice = slice >= 0 ? slice + 1 : -slice - 1;
    slice = Math.min(slice, cumulativeWeights.length - 1);
    long sliceStart = startEpochSecond + (long) slice * SLICE_SECONDS;
    long sliceSeconds = Math.min(SLICE_SECONDS, endEpochSecond - sliceStart);
    return sliceStart + random.nextLong(sliceSeconds);
  }

  static double hourWeight(int localHour) {
    return HOUR_WEIGHTS[localHour];
  }

  static boolean isWeekend(DayOfWeek day) {
    return day == DayOfWeek.SATURDAY || day == DayOfWeek.SUNDAY;
  }

  static int localHour(ZoneRules rules, long epochSecond) {
    int offsetSeconds = rules.getOffset(Instant.ofEpochSecond(epochSecond)).getTotalSeconds();
    long local = epochSecond + offsetSeconds;
    return (int) Math.floorMod(local, 86_400L) / 3600;
  }
}
