package io.natalia.cloud.analytics;

import java.math.BigDecimal;

/**
 * Cost grouped by one key, counted on tickets (legs), which is where the PBX charges.
 *
 * @param key the extension, business code or destination type; {@code "none"} when the ticket
 *     has none
 * @param tickets tickets of the group
 * @param units metering units of the group
 * @param cost cost of the group
 */
public record CostLine(String key, long tickets, long units, BigDecimal cost) {
  /** Key of the tickets that carry no value for the grouping. */
  public static final String NONE = "none";
}
