package io.natalia.cloud.web;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/** How numbers, durations and times read on the dashboard. */
final class Format {
  private static final DateTimeFormatter DATE_TIME =
      DateTimeFormatter.ofPattern("EEE d MMM HH:mm:ss", Locale.ENGLISH);
  private static final DateTimeFormatter FULL =
      DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss", Locale.ENGLISH);

  private Format() {}

  /** {@code 12 345}: thin grouping, readable at a glance. */
  static String count(long value) {
    return String.format(Locale.ENGLISH, "%,d", value).replace(',', '\u202f');
  }

  /** {@code 0:42}, {@code 12:05}, {@code 1:02:05}; a dash for null. */
  static String seconds(Number value) {
    if (value == null) {
      return "–";
    }
    long total = Math.round(value.doubleValue());
    long hours = total / 3600;
    long minutes = total % 3600 / 60;
    long secs = total % 60;
    return hours > 0 ? String.format(Locale.ROOT, "%d:%02d:%02d", hours, minutes, secs)
        : String.format(Locale.ROOT, "%d:%02d", minutes, secs);
  }

  /** {@code 87 %}; a dash when the whole is zero. */
  static String percent(long part, long whole) {
    if (whole == 0) {
      return "–";
    }
    return Math.round(100.0 * part / whole) + " %";
  }

  /** {@code 12.40 EUR}; a dash for null. */
  static String money(BigDecimal value, String currency) {
    if (value == null) {
      return "–";
    }
    return value.setScale(2, RoundingMode.HALF_EVEN).toPlainString() + " " + currency;
  }

  /** {@code Mon 24 May 08:31:12} in the tenant's zone. */
  static String time(Instant instant, ZoneId zone) {
    return instant == null ? "never" : DATE_TIME.format(instant.atZone(zone));
  }

  /** {@code 2026-05-24 08:31:12} in the tenant's zone. */
  static String fullTime(Instant instant, ZoneId zone) {
    return instant == null ? "" : FULL.format(instant.atZone(zone));
  }

  /** {@code 3 min}, {@code 2 h 5 min}, {@code 4 days}: how long ago or how long. */
  static String span(Duration duration) {
    long seconds = Math.max(0, duration.toSeconds());
    if (seconds < 90) {
      return seconds + " s";
    }
    if (seconds < 90 * 60) {
      return Math.round(seconds / 60.0) + " min";
    }
    if (seconds < 48 * 3600) {
      long minutes = seconds % 3600 / 60;
      return seconds / 3600 + " h" + (minutes == 0 ? "" : " " + minutes + " min");
    }
    return seconds / 86_400 + " days";
  }

  /** {@code ••• 5678}: the only form of a phone number shown without a reveal. */
  static String maskedNumber(String last4) {
    return last4 == null || last4.isEmpty() ? "withheld" : "••• " + last4;
  }
}
