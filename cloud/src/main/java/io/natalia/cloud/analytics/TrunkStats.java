package io.natalia.cloud.analytics;

import java.math.BigDecimal;
import java.time.Instant;

/**
 * The use of one trunk (line) in a range.
 *
 * @param trunk the line ({@code V01}, {@code P01}, ...)
 * @param calls calls that started in the range on it
 * @param incoming of those, incoming
 * @param outgoing of those, outgoing
 * @param talkSeconds their conversation time
 * @param cost their cost
 * @param peakConcurrency the most calls in progress at once on the trunk at any instant of
 *     the range, counting calls that started before it and were still going; a call that
 *     ends when it starts is never in progress
 * @param peakAt the first instant the peak was reached, or null when no call was in progress
 */
public record TrunkStats(
    String trunk,
    long calls,
    long incoming,
    long outgoing,
    long talkSeconds,
    BigDecimal cost,
    int peakConcurrency,
    Instant peakAt) {}
