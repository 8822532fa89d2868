package io.natalia.cloud.alert;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A tenant's weekly opening hours in its time zone, as stored in {@code tenant.business_hours}:
 * {@code {"mon": [["08:00", "12:00"], ["14:00", "18:00"]], ..., "sun": []}}.
 */
final class BusinessHours {
  /** Maximum span {@link #openTimeBetween} looks at, to bound the work per check. */
  static final Duration MAX_LOOKBACK = Duration.ofDays(31);

  private final ZoneId zone;
  private final Map<DayOfWeek, List<LocalTime[]>> days;

  private BusinessHours(ZoneId zone, Map<DayOfWeek, List<LocalTime[]>> days) {
    this.zone = zone;
    this.days = days;
  }

  /**
   * Reads the stored JSON.
   *
   * @throws IllegalArgumentException naming the day and the value that is not a time range
   */
  static BusinessHours parse(JsonNode json, ZoneId zone) {
    Map<DayOfWeek, List<LocalTime[]>> days = new EnumMap<>(DayOfWeek.class);
    for (DayOfWeek day : DayOfWeek.values()) {
      String key = day.name().substring(0, 3).toLowerCase(Locale.ROOT);
      List<LocalTime[]> spans = new ArrayList<>();
      for (JsonNode span : json.path(key)) {
        try {
          spans.add(new LocalTime[] {LocalTime.parse(span.get(0).asText()),
              LocalTime.parse(span.get(1).asText())});
        } catch (RuntimeException e) {
          throw new IllegalArgumentException("business hours of " + key
              + " must be [\"HH:MM\", \"HH:MM\"] pairs: " + span, e);
        }
      }
      days.put(day, spans);
    }
    return new BusinessHours(zone, days);
  }

  /**
   * Returns how much of {@code [from, to)} falls inside opening hours (at most
   * {@link #MAX_LOOKBACK} before {@code to} is looked at). DST days are handled by placing each
   * opening span on the time line of its own date.
   */
  Duration openTimeBetween(Instant from, Instant to) {
    Instant start = from.isBefore(to.minus(MAX_LOOKBACK)) ? to.minus(MAX_LOOKBACK) : from;
    Duration open = Duration.ZERO;
    LocalDate last = LocalDate.ofInstant(to, zone);
    for (LocalDate date = LocalDate.ofInstant(start, zone); !date.isAfter(last);
        date = date.plusDays(1)) {
      for (LocalTime[] span : days.get(date.getDayOfWeek())) {
        Instant spanStart = date.atTime(span[0]).atZone(zone).toInstant();
        Instant spanEnd = date.atTime(span[1]).atZone(zone).toInstant();
        Instant a = spanStart.isAfter(start) ? spanStart : start;
        Instant b = spanEnd.isBefore(to) ? spanEnd : to;
        if (a.isBefore(b)) {
          open = open.plus(Duration.between(a, b));
        }
      }
    }
    return open;
  }
}
