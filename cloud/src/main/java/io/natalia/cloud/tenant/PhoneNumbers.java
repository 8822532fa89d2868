package io.natalia.cloud.tenant;

/** Normalisation of phone numbers for comparison and display. */
public final class PhoneNumbers {
  private PhoneNumbers() {}

  /**
   * Returns the number without spacing and punctuation ({@code "06 12-34.56 78"} and
   * {@code "0612345678"} are the same number); digits, {@code +}, {@code *} and {@code #} stay.
   */
  public static String normalize(String number) {
    StringBuilder kept = new StringBuilder(number.length());
    for (int i = 0; i < number.length(); i++) {
      char c = number.charAt(i);
      if ((c >= '0' && c <= '9') || c == '+' || c == '*' || c == '#') {
        kept.append(c);
      }
    }
    return kept.toString();
  }

  /** Returns the last four characters of the normalised number (fewer if it is shorter). */
  public static String lastFour(String number) {
    String normalized = normalize(number);
    return normalized.substring(Math.max(0, normalized.length() - 4));
  }
}
