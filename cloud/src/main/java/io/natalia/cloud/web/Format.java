package io.natalia.cloud.web;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/** Text forms of numbers, durations and times on the dashboard. */
final class Format {
  private static final DateTimeFormatter DATE_TIME =
      DateTimeFormatter.ofPattern("EEE d MMM HH:mm:ss", Locale.ENGLISH);
  private static final DateTimeFormatter FULL =
      DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss", Locale.ENGLISH);

  private Format() {}

  /** Formats a count with thin-space grouping: {@code 12 345}. */
  static String count(long value) {
    return String.format(Locale.ENGLISH, "%,d", value).replace(',', '\u202f');
  }

  /** Formats seconds as {@code 0:42}, {@code 12:05} or {@code 1:02:05}, null as a dash. */
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

  /** Formats a share as {@code 87 %}, or a dash when the whole is zero. */
  static String percent(long part, long whole) {
    if (whole == 0) {
      return "–";
    }
    return Math.round(100.0 * part / whole) + " %";
  }

  /** Formats money as {@code 12.40 EUR}, null as a dash. */
  static String money(BigDecimal value, String currency) {
    if (value == null) {
      return "–";
    }
    return value.setScale(2, RoundingMode.HALF_EVEN).toPlainString() + " " + currency;
  }

  /** Formats an instant as {@code Mon 24 May 08:31:12} in the tenant's zone. */
  static String time(Instant instant, ZoneId zone) {
    return instant == null ? "never" : DATE_TIME.format(instant.atZone(zone));
  }

  /** Formats an instant as {@code 2026-05-24 08:31:12} in the tenant's zone. */
  static String fullTime(Instant instant, ZoneId zone) {
    return instant == null ? "" : FULL.format(instant.atZone(zone));
  }

  /** Formats a duration as {@code 3 min}, {@code 2 h 5 min} or {@code 4 days}. */
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

  /** Masks a number as {@code ••• 5678}, its only form shown without a reveal. */
  static String maskedNumber(String last4) {
    return last4 == null || last4.isEmpty() ? "withheld" : "••• " + last4;
  }
}
