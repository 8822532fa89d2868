package io.natalia.cloud.analytics;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;

/**
 * One conversation as the call log lists it. The external number appears only as its last four
 * digits.
 *
 * @param id the call's id: the id of its first leg
 * @param timeToAnswerSeconds ring time of the legs up to and including the first answered one;
 *     null when nobody answered
 * @param ringSeconds ring time of all legs
 * @param talkSeconds conversation time of all legs
 * @param cost cost of all legs; null when the PBX printed none
 * @param answeringExtension the extension that answered first; null when nobody did
 * @param legIds ids of the call's tickets in start order
 */
public record CallRow(
    String id,
    String pbxId,
    String direction,
    Instant startedAt,
    Instant endedAt,
    boolean answered,
    Integer timeToAnswerSeconds,
    int ringSeconds,
    int talkSeconds,
    BigDecimal cost,
    String numberLast4,
    String trunk,
    String initialTarget,
    String answeringExtension,
    int legCount,
    List<String> legIds) {}
