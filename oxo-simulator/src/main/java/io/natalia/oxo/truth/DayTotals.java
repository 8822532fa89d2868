package io.natalia.oxo.truth;

import java.math.BigDecimal;
import java.time.LocalDate;

/**
 * Totals of the calls that started on one local day.
 *
 * @param date the day in the report's time zone
 * @param calls every call, whatever its direction
 * @param incoming incoming calls, always {@code answered + missed}
 * @param answered incoming calls a person answered on at least one leg
 * @param missed incoming calls no leg answered
 * @param missedCalledBack missed calls whose number was called back, or called in again and
 *     was answered, within 24 hours
 * @param missedNotCalledBack missed calls without such a callback
 * @param outgoing outgoing calls
 * @param internal internal calls
 * @param legs call legs, one ticket each (dropped tickets included)
 * @param ringSeconds ring time summed over every call
 * @param talkSeconds conversation time summed over every call
 * @param cost cost summed over every call
 * @param ticketsDropped tickets of these calls that the full buffer dropped
 */
public record DayTotals(
    LocalDate date,
    int calls,
    int incoming,
    int answered,
    int missed,
    int missedCalledBack,
    int missedNotCalledBack,
    int outgoing,
    int internal,
    int legs,
    long ringSeconds,
    long talkSeconds,
    BigDecimal cost,
    int ticketsDropped) {}
