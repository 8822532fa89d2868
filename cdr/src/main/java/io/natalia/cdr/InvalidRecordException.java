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
    String text = String.valueOf(value);
    // Keeps messages readable when a client sends a huge value.
    return text.length() > 80 ? "'" + text.substring(0, 80) + "...'" : "'" + text + "'";
  }
}
