package io.natalia.oxo.traffic;

import java.util.SplittableRandom;

/**
 * External phone numbers in the French numbering plan, and what calls to them cost.
 *
 * <p>Every generated caller and every dialled destination gets a number of its own: six digits
 * encode the origin day (modulo 8), the population (callers or destinations) and a sequence
 * number, scrambled by a bijection, and two random digits follow. Two calls therefore share a
 * number only when the model makes them (a caller calling again, a callback) or when their
 * origin days are a multiple of 8 days apart. Since the unique part sits before the last two
 * digits, numbers stay unique when the PBX masks those two.
 */
final class NumberPlan {

  /** Calls one population may take per origin day before numbers would repeat. */
  static final int NUMBERS_PER_DAY = 62_500;

  static final int MASKED_DIGITS = 2;

  // Limitation: see docs/known-limitations.md#traffic-number-reuse
  private static final int DAY_CYCLE = 8;
  private static final int UNIQUE_SPACE = 1_000_000;

  /** Odd and not a multiple of 5, so multiplying by it permutes {@code [0, 10^6)}. */
  private static final long SCRAMBLE_FACTOR = 683_437;
  private static final long SCRAMBLE_OFFSET = 271_828;

  private static final String[] COUNTRY_CODES = {
    "44", "49", "34", "39", "32", "41", "48", "30", "212", "86", "1",
  };

  /** Price of one metering unit, in cents. */
  static final int UNIT_PRICE_CENTS = 10;

  /** Owner of a number: a person who calls the company, or a destination the company dials. */
  enum Population {
    CALLERS,
    DESTINATIONS
  }

  /**
   * Kinds of external numbers with their metering: units for the connection, then one unit per
   * started period of talk.
   */
  enum Kind {
    LOCAL(1, 180),
    MOBILE(1, 60),
    INTERNATIONAL(2, 30),
    PREMIUM(5, 20);

    private final int connectionUnits;
    private final int secondsPerUnit;

    Kind(int connectionUnits, int secondsPerUnit) {
      this.connectionUnits = connectionUnits;
      this.secondsPerUnit = secondsPerUnit;
    }

    /** Returns the metering units of an answered outgoing call of {@code talkSeconds}. */
    int units(int talkSeconds) {
      return connectionUnits + (talkSeconds + secondsPerUnit - 1) / secondsPerUnit;
    }
  }

  private NumberPlan() {}

  /** Picks the kind of number of someone calling in. */
  static Kind callerKind(SplittableRandom random) {
    double draw = random.nextDouble();
    if (draw < 0.45) {
      return Kind.LOCAL;
    }
    return draw < 0.90 ? Kind.MOBILE : Kind.INTERNATIONAL;
  }

  /** Picks the kind of number a user dials. */
  static Kind destinationKind(SplittableRandom random) {
    double draw = random.nextDouble();
    if (draw < 0.46) {
      return Kind.LOCAL;
    }
    if (draw < 0.84) {
      return Kind.MOBILE;
    }
    return draw < 0.96 ? Kind.INTERNATIONAL : Kind.PREMIUM;
  }

  /**
   * Returns a number of {@code kind}, unique for the population and sequence number within
   * a cycle of 8 origin days.
   *
   * @param sequence 0 to {@link #NUMBERS_PER_DAY} - 1
   */
  static String number(
      SplittableRandom random, Kind kind, Population population, long epochDay, int sequence) {
    if (sequence < 0 || sequence >= NUMBERS_PER_DAY) {
      throw new IllegalStateException(
          "a day has more than " + NUMBERS_PER_DAY + " " + population + ": " + sequence);
    }
    if (kind == Kind.PREMIUM) {
      // Premium services are few and only ever dialled, so they need not be unique.
      StringBuilder service = new StringBuilder("0899");
      appendPadded(service, random.nextInt(40) * 10_007 % UNIQUE_SPACE, 6);
      return service.toString();
    }
    long key = (Math.floorMod(epochDay, DAY_CYCLE) * 2L + population.ordinal())
        * NUMBERS_PER_DAY + sequence;
    long unique = (key * SCRAMBLE_FACTOR + SCRAMBLE_OFFSET) % UNIQUE_SPACE;
    StringBuilder number = new StringBuilder(16);
    switch (kind) {
      case LOCAL -> number.append('0').append(1 + random.nextInt(5));
      case MOBILE -> number.append('0').append(6 + random.nextInt(2));
      case INTERNATIONAL ->
          number.append("00").append(COUNTRY_CODES[random.nextInt(COUNTRY_CODES.length)]);
      default -> throw new IllegalArgumentException("no unique numbers of kind " + kind);
    }
    appendPadded(number, unique, 6);
    appendPadded(number, random.nextInt(100), 2);
    return number.toString();
  }

  /** Returns {@code number} with its last two digits replaced by {@code *}. */
  static String mask(String number) {
    return number.substring(0, number.length() - MASKED_DIGITS) + "**";
  }

  private static void appendPadded(StringBuilder out, long value, int width) {
    String digits = Long.toString(value);
    for (int i = digits.length(); i < width; i++) {
      out.append('0');
    }
    out.append(digits);
  }
}
