package io.natalia.cloud.analytics;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.OffsetDateTime;

/**
 * The figures of one bucket of a time series; the fields mean what they mean in
 * {@link Summary}.
 *
 * @param start first instant of the bucket
 * @param end first instant after the bucket
 * @param localStart the bucket's start on the tenant's clock, with its offset
 */
public record SeriesPoint(
    Instant start,
    Instant end,
    OffsetDateTime localStart,
    long calls,
    long incoming,
    long answered,
    long missed,
    long unreturnedMissed,
    long outgoing,
    long internal,
    Double avgTimeToAnswerSeconds,
    long talkSeconds,
    BigDecimal cost) {}
