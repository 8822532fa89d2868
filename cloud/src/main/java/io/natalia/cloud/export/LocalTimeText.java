package io.natalia.cloud.export;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.zone.ZoneOffsetTransition;
import java.time.zone.ZoneRules;

/**
 * Writes instants as the local time of one zone, {@code 2026-03-29 10:31:12}, the text of
 * {@link ExportColumns#LOCAL}, as ASCII bytes without an object per instant. It keeps the
 * zone's offset until the zone's next transition and the text of the last local date, so
 * that instants in ascending order cost a few divisions each. Not thread-safe.
 */
final class LocalTimeText {
  private static final DateTimeFormatter DATE = DateTimeFormatter.ofPattern("yyyy-MM-dd");

  private final ZoneRules rules;
  /** The offset in seconds of the instants in {@code [offsetFrom, offsetUntil)}. */
  private int offsetSeconds;
  private long offsetFrom = Long.MAX_VALUE;
  private long offsetUntil = Long.MIN_VALUE;
  private long epochDay = Long.MIN_VALUE;
  private byte[] dateText;

  LocalTimeText(ZoneId zone) {
    this.rules = zone.getRules();
  }

  /** The maximum bytes {@link #write} writes: a year of {@link LocalDate} takes up to 10. */
  static final int MAX_LENGTH = 26;

  /**
   * Writes the local time of an instant, given in whole seconds since the epoch (a fraction
   * is dropped, as the pattern prints none).
   *
   * @return the index after the last byte written
   */
  int write(long epochSecond, byte[] out, int at) {
    if (epochSecond < offsetFrom || epochSecond >= offsetUntil) {
      findOffset(epochSecond);
    }
    long local = epochSecond + offsetSeconds;
    long day = Math.floorDiv(local, 86_400);
    if (day != epochDay) {
      dateText = DATE.format(LocalDate.ofEpochDay(day)).getBytes(StandardCharsets.US_ASCII);
      epochDay = day;
    }
    System.arraycopy(dateText, 0, out, at, dateText.length);
    int i = at + dateText.length;
    int secondOfDay = Math.floorMod(local, 86_400);
    out[i++] = ' ';
    i = twoDigits(secondOfDay / 3_600, out, i);
    out[i++] = ':';
    i = twoDigits(secondOfDay / 60 % 60, out, i);
    out[i++] = ':';
    return twoDigits(secondOfDay % 60, out, i);
  }

  private void findOffset(long epochSecond) {
    Instant instant = Instant.ofEpochSecond(epochSecond);
    offsetSeconds = rules.getOffset(instant).getTotalSeconds();
    ZoneOffsetTransition next = rules.nextTransition(instant);
    offsetFrom = epochSecond;
    offsetUntil = next == null ? Long.MAX_VALUE : next.toEpochSecond();
  }

  private static int twoDigits(int value, byte[] out, int at) {
    out[at] = (byte) ('0' + value / 10);
    out[at + 1] = (byte) ('0' + value % 10);
    return at + 2;
  }
}
