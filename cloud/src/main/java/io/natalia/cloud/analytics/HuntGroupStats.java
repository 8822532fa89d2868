package io.natalia.cloud.analytics;

/**
 * The incoming calls that rang a hunt group first.
 *
 * @param huntGroup the group ({@code G1})
 * @param offered incoming calls that rang the group first: {@code answered + missed}
 * @param answered of those, the ones a person answered
 * @param missed of those, the ones nobody answered
 * @param avgTimeToAnswerSeconds mean time to answer of the answered ones; null when none
 * @param p90TimeToAnswerSeconds 90th percentile (nearest rank) of it; null when none
 * @param talkSeconds conversation time of the group's calls, transfers included
 */
public record HuntGroupStats(
    String huntGroup,
    long offered,
    long answered,
    long missed,
    Double avgTimeToAnswerSeconds,
    Integer p90TimeToAnswerSeconds,
    long talkSeconds) {}
