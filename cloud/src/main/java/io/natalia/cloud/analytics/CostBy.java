package io.natalia.cloud.analytics;

import java.util.Locale;

/** How {@link Analytics#costs} groups cost. */
public enum CostBy {
  /** The charged extension of each ticket. */
  EXTENSION,
  /** The account code the user typed. */
  BUSINESS_CODE,
  /** The kind of number called: mobile, geographic, international, special, ... */
  DESTINATION_TYPE;

  /**
   * Parses {@code extension}, {@code business-code} or {@code destination-type}.
   *
   * @throws IllegalArgumentException naming the value and the valid ones
   */
  public static CostBy parse(String name) {
    try {
      return valueOf(name.strip().replace('-', '_').toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException | NullPointerException e) {
      throw new IllegalArgumentException(
          "by must be extension, business-code or destination-type: '" + name + "'", e);
    }
  }
}
