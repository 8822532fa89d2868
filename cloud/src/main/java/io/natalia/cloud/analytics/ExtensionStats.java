package io.natalia.cloud.analytics;

import java.math.BigDecimal;

/**
 * What one extension did in a range, counted on its tickets (legs): a call transferred from
 * one extension to another counts for both.
 *
 * @param extension the extension number
 * @param name its subscriber name as last printed by the PBX
 * @param answered incoming legs it answered
 * @param missed incoming calls that rang it first (directly, not through a hunt group) and that
 *     nobody answered
 * @param outgoing outgoing legs it placed or held
 * @param internal internal legs it took part in as charged user
 * @param avgTimeToAnswerSeconds mean ring time of the incoming legs it answered; null when none
 * @param talkSeconds conversation time of its legs
 * @param cost cost charged to it
 */
public record ExtensionStats(
    String extension,
    String name,
    long answered,
    long missed,
    long outgoing,
    long internal,
    Double avgTimeToAnswerSeconds,
    long talkSeconds,
    BigDecimal cost) {}
