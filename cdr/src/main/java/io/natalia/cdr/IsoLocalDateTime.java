package io.natalia.cdr;

import java.time.LocalDateTime;

/**
 * Reads {@code yyyy-MM-ddTHH:mm:ss} digit by digit, without a formatter. Both the agent's
 * ticket parser and the cloud's record codec read one such time per record, where the general
 * parsers showed up in profiles.
 */
public final class IsoLocalDateTime {
  private IsoLocalDateTime() {}

  /**
   * Returns the date and time in the first 19 characters of {@code text}, or {@code null} when
   * they do not have that shape. The caller checks what follows them.
   *
   * @param spaceAllowed whether a space may stand in for the {@code T} between date and time
   * @throws java.time.DateTimeException when a field is out of range (month 13, hour 24)
   */
  public static LocalDateTime parse(String text, boolean spaceAllowed) {
    if (text.length() < 19 || text.charAt(4) != '-' || text.charAt(7) != '-'
        || (text.charAt(10) != 'T' && !(spaceAllowed && text.charAt(10) == ' '))
        || text.charAt(13) != ':' || text.charAt(16) != ':') {
      return null;
    }
    int year = digits(text, 0, 4);
    int month = digits(text, 5, 7);
    int day = digits(text, 8, 10);
    int hour = digits(text, 11, 13);
    int minute = digits(text, 14, 16);
    int second = digits(text, 17, 19);
    if ((year | month | day | hour | minute | second) < 0) {
      return null;
    }
    return LocalDateTime.of(year, month, day, hour, minute, second);
  }

  /** Returns the number written in {@code text[from, to)}, or -1 for a non-digit. */
  private static int digits(String text, int from, int to) {
    int value = 0;
    for (int i = from; i < to; i++) {
      char c = text.charAt(i);
      if (c < '0' || c > '9') {
        return -1;
      }
      value = value * 10 + (c - '0');
    }
    return value;
  }
}
