package io.natalia.oxo.truth;

import io.natalia.oxo.traffic.DailyTotals;

/**
 * One local day of a {@link TruthReport}.
 *
 * @param totals the traffic model's totals of the calls that started on the day
 * @param ticketsDropped tickets of those calls that the full buffer dropped
 */
public record TruthDay(DailyTotals totals, int ticketsDropped) {}
