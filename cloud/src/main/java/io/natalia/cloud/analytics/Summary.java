package io.natalia.cloud.analytics;

import java.math.BigDecimal;

/**
 * The headline figures of a range; docs/metrics.md defines each one.
 *
 * @param range the half-open range the figures cover
 * @param calls conversations that started in the range, all directions; transfer legs count
 *     once
 * @param tickets PBX tickets (legs) that started in the range
 * @param incoming incoming calls: always {@code answered + missed}
 * @param answered incoming calls of which at least one leg was answered by a person
 * @param missed incoming calls of which no leg was answered
 * @param unreturnedMissed missed calls not followed, within the tenant's callback window, by an
 *     outgoing call to the number or an answered incoming call from it
 * @param outgoing outgoing calls, answered or not
 * @param internal internal calls
 * @param avgTimeToAnswerSeconds mean time to answer of answered incoming calls; null when none
 * @param p90TimeToAnswerSeconds time within which 90 % of answered incoming calls were answered
 *     (nearest rank); null when none
 * @param talkSeconds conversation time of all calls
 * @param avgTalkSeconds mean conversation time of answered calls (all directions); null when
 *     none
 * @param cost cost of all calls, in {@code currency}
 * @param currency ISO 4217 code of the tenant
 */
public record Summary(
    TimeRange range,
    long calls,
    long tickets,
    long incoming,
    long answered,
    long missed,
    long unreturnedMissed,
    long outgoing,
    long internal,
    Double avgTimeToAnswerSeconds,
    Integer p90TimeToAnswerSeconds,
    long talkSeconds,
    Double avgTalkSeconds,
    BigDecimal cost,
    String currency) {}
