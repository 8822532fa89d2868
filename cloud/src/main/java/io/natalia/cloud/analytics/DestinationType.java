package io.natalia.cloud.analytics;

import java.util.Set;

/**
 * Classifies an external number by the kind of line it reaches, for costs by destination
 * type. The ingest classifies each number before pseudonymising it, since only then is the
 * full number at hand.
 *
 * <p>The rules follow the French numbering plan, which the OXO's home market uses: numbers as
 * the PBX prints them, national with a leading 0, international with 00 or +.
 * Limitation: see docs/known-limitations.md#destination-types
 */
public final class DestinationType {
  public static final String MOBILE = "mobile";
  public static final String GEOGRAPHIC = "geographic";
  public static final String NON_GEOGRAPHIC = "non_geographic";
  public static final String SPECIAL = "special";
  public static final String INTERNATIONAL = "international";
  public static final String EMERGENCY = "emergency";
  public static final String OTHER = "other";

  private static final Set<String> EMERGENCY_NUMBERS =
      Set.of("15", "17", "18", "112", "114", "115", "116000", "119", "191", "196", "197");

  private DestinationType() {}

  /** Returns the destination type of a number, or null when it has no digits. */
  public static String of(String number) {
    String digits = number == null ? "" : number.replaceAll("[^0-9+]", "");
    if (digits.isEmpty()) {
      return null;
    }
    if (digits.startsWith("+33")) {
      digits = "0" + digits.substring(3);
    } else if (digits.startsWith("0033")) {
      digits = "0" + digits.substring(4);
    }
    if (digits.startsWith("+") || digits.startsWith("00")) {
      return INTERNATIONAL;
    }
    if (EMERGENCY_NUMBERS.contains(digits)) {
      return EMERGENCY;
    }
    if (digits.length() != 10 || digits.charAt(0) != '0') {
      return digits.length() <= 6 ? SPECIAL : OTHER;
    }
    return switch (digits.charAt(1)) {
      case '6', '7' -> MOBILE;
      case '1', '2', '3', '4', '5' -> GEOGRAPHIC;
      case '9' -> NON_GEOGRAPHIC;
      case '8' -> SPECIAL;
      default -> OTHER;
    };
  }
}
