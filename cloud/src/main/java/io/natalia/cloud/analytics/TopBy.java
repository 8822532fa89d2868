package io.natalia.cloud.analytics;

import java.util.Locale;

/** How {@link Analytics#top} ranks calls. */
public enum TopBy {
  /** Longest conversation time first. */
  LONGEST,
  /** Highest cost first. */
  COSTLIEST;

  /**
   * Parses {@code longest} or {@code costliest}, case-insensitive.
   *
   * @throws IllegalArgumentException naming the value
   */
  public static TopBy parse(String name) {
    try {
      return valueOf(name.strip().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException | NullPointerException e) {
      throw new IllegalArgumentException("by must be longest or costliest: '" + name + "'", e);
    }
  }
}
