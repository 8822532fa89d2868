package io.natalia.cdr;

/**
 * A call record that breaks a rule of the wire format. Carries the field, the offending value
 * and the rule, so the agent's quarantine and the cloud's reject list can say exactly what is
 * wrong.
 */
public final class InvalidRecordException extends Exception {
  private static final long serialVersionUID = 1L;

  private final String field;
  private final String value;

  public InvalidRecordException(String field, Object value, String rule) {
    super(field + " " + rule + ": " + describe(value));
    this.field = field;
    this.value = value == null ? null : String.valueOf(value);
  }

  /** Returns the name of the offending field, as on the wire. */
  public String field() {
    return field;
  }

  /** Returns the offending value as text, or {@code null} when it was missing. */
  public String value() {
    return value;
  }

  private static String describe(Object value) {
    if (value == null) {
      return "missing";
    }
    return quote(String.valueOf(value));
  }

  /**
   * Returns a value as error messages quote it: in single quotes, cut after 80 characters and
   * with control characters escaped.
   */
  public static String quote(String text) {
    // Keeps messages readable when a client sends a huge value.
    String shown = text.length() > 80 ? text.substring(0, 80) + "..." : text;
    return "'" + escapeControlCharacters(shown) + "'";
  }

  /**
   * Returns the text with each control character written as a Java escape (backslash, u,
   * four hex digits), so a value quoted in a log line cannot forge a line or carry a NUL.
   */
  static String escapeControlCharacters(String text) {
    StringBuilder escaped = new StringBuilder(text.length());
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (Character.isISOControl(c)) {
        escaped.append(String.format("\\u%04x", (int) c));
      } else {
        escaped.append(c);
      }
    }
    return escaped.toString();
  }
}
