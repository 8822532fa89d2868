package io.natalia.cdr;

/** Direction of a call record, as the PBX prints it on the ticket. */
public enum Direction {
  /** From the outside world to the PBX (printed {@code <--}). */
  INCOMING,
  /** From the PBX to the outside world (printed {@code -->}). */
  OUTGOING,
  /** Between two extensions of the same PBX. */
  INTERNAL;

  /**
   * Parses the wire name, case-insensitive ({@code incoming}, {@code OUTGOING}, ...).
   *
   * @throws IllegalArgumentException naming the value when it is none of the three
   */
  public static Direction parse(String value) {
    for (Direction direction : values()) {
      if (direction.name().equalsIgnoreCase(value)) {
        return direction;
      }
    }
    throw new IllegalArgumentException(
        "direction must be incoming, outgoing or internal: '" + value + "'");
  }

  /** Returns the lower-case wire name. */
  public String wireName() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }
}
