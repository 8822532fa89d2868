package io.natalia.cloud.analytics;

import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Narrows the calls a query looks at; a {@code null} field does not filter.
 *
 * @param direction {@code incoming}, {@code outgoing} or {@code internal}
 * @param outcome answered or missed
 * @param extension an extension that answered the call, placed it or was called first
 * @param huntGroup the hunt group called first ({@code G1})
 * @param trunk the line used ({@code V01})
 * @param numberEndsWith the last 1 to 4 digits of the external number
 */
public record CallFilter(
    String direction,
    Outcome outcome,
    String extension,
    String huntGroup,
    String trunk,
    String numberEndsWith) {
  private static final Pattern DIGITS = Pattern.compile("[0-9]{1,4}");
  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9*#._-]{1,32}");

  /** No filter: every call of the range. */
  public static final CallFilter NONE = new CallFilter(null, null, null, null, null, null);

  /** Whether a call was answered. */
  public enum Outcome {
    /** A person answered at least one leg (any direction). */
    ANSWERED,
    /** An incoming call no leg of which was answered. */
    MISSED;

    /**
     * Parses {@code answered} or {@code missed}, case-insensitive.
     *
     * @throws IllegalArgumentException naming the value
     */
    public static Outcome parse(String name) {
      try {
        return valueOf(name.strip().toUpperCase(Locale.ROOT));
      } catch (IllegalArgumentException | NullPointerException e) {
        throw new IllegalArgumentException(
            "outcome must be answered or missed: '" + name + "'", e);
      }
    }
  }

  /** Checks every field and names the first invalid one with its value. */
  public CallFilter {
    if (direction != null && !direction.matches("incoming|outgoing|internal")) {
      throw new IllegalArgumentException(
          "direction must be incoming, outgoing or internal: '" + direction + "'");
    }
    checkName("extension", extension);
    checkName("huntGroup", huntGroup);
    checkName("trunk", trunk);
    if (numberEndsWith != null && !DIGITS.matcher(numberEndsWith).matches()) {
      throw new IllegalArgumentException(
          "numberEndsWith must be 1 to 4 digits: '" + numberEndsWith + "'");
    }
  }

  private static void checkName(String field, String value) {
    if (value != null && !NAME.matcher(value).matches()) {
      throw new IllegalArgumentException(field
          + " must be 1 to 32 letters, digits or . _ - * #: '" + value + "'");
    }
  }
}
