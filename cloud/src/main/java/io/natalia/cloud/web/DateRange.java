package io.natalia.cloud.web;

import io.natalia.cloud.analytics.TimeRange;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;

/**
 * The days a page shows, in the tenant's time zone, as the half-open instants
 * {@code [from, to)}: local midnight of the first day to local midnight after the last, so a
 * day of 23 or 25 hours around a DST change is counted whole.
 *
 * @param preset {@code today}, {@code 7d}, {@code 30d} or {@code custom}
 * @param firstDay first day shown
 * @param lastDay last day shown, inclusive
 * @param zone the tenant's time zone
 */
public record DateRange(String preset, LocalDate firstDay, LocalDate lastDay, ZoneId zone) {
  /** Maximum days of a custom range, so that one request cannot ask for years of buckets. */
  static final int MAX_DAYS = 400;

  /**
   * Reads the range of a request.
   *
   * @param preset {@code today}, {@code 7d}, {@code 30d}, {@code custom}; null means
   *     {@code 7d}
   * @param from first day ({@code 2026-05-24}) of a custom range
   * @param to last day of a custom range, inclusive
   * @param today today in the tenant's zone
   * @throws IllegalArgumentException naming the parameter and the value
   */
  static DateRange parse(String preset, String from, String to, LocalDate today, ZoneId zone) {
    String name = preset == null || preset.isBlank() ? "7d" : preset;
    return switch (name) {
      case "today" -> new DateRange(name, today, today, zone);
      case "7d" -> new DateRange(name, today.minusDays(6), today, zone);
      case "30d" -> new DateRange(name, today.minusDays(29), today, zone);
      case "custom" -> custom(day("from", from), day("to", to), zone);
      default -> throw new IllegalArgumentException(
          "range must be today, 7d, 30d or custom: '" + preset + "'");
    };
  }

  private static DateRange custom(LocalDate first, LocalDate last, ZoneId zone) {
    if (last.isBefore(first)) {
      throw new IllegalArgumentException(
          "to (" + last + ") must not be before from (" + first + ")");
    }
    if (ChronoUnit.DAYS.between(first, last) >= MAX_DAYS) {
      throw new IllegalArgumentException("a range spans at most " + MAX_DAYS + " days: "
          + first + " to " + last);
    }
    return new DateRange("custom", first, last, zone);
  }

  private static LocalDate day(String parameter, String value) {
    try {
      return LocalDate.parse(value == null ? "" : value.strip());
    } catch (DateTimeParseException e) {
      throw new IllegalArgumentException(
          parameter + " must be a date such as 2026-05-24: '" + value + "'", e);
    }
  }

  /** Returns the first instant of the range, local midnight of the first day. */
  public Instant from() {
    return firstDay.atStartOfDay(zone).toInstant();
  }

  /** Returns the first instant after the range, local midnight after the last day. */
  public Instant to() {
    return lastDay.plusDays(1).atStartOfDay(zone).toInstant();
  }

  /** Returns the range as the analytics query layer takes it. */
  public TimeRange timeRange() {
    return TimeRange.ofDays(firstDay, lastDay.plusDays(1), zone);
  }

  /** Returns the number of days shown. */
  public long days() {
    return ChronoUnit.DAYS.between(firstDay, lastDay) + 1;
  }

  /** Returns the range as query parameters, to carry it from page to page. */
  public String query() {
    return preset.equals("custom") ? "range=custom&from=" + firstDay + "&to=" + lastDay
        : "range=" + preset;
  }

  /** Returns the range as people read it: {@code 18 May – 24 May 2026}. */
  public String label() {
    var format = java.time.format.DateTimeFormatter.ofPattern("d MMM yyyy",
        java.util.Locale.ENGLISH);
    return firstDay.equals(lastDay) ? format.format(firstDay)
        : format.format(firstDay) + " – " + format.format(lastDay);
  }
}
