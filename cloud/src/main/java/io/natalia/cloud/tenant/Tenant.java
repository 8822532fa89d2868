package io.natalia.cloud.tenant;

import java.time.Duration;
import java.time.ZoneId;

/**
 * A customer of the cloud.
 *
 * @param id database id
 * @param name unique display name
 * @param timeZone zone of every day and hour bucket shown to the tenant
 * @param currency ISO 4217 code of costs
 * @param retentionDays records older than this many days are removed
 * @param callbackWindow how long a missed call may wait for its callback
 */
public record Tenant(
    long id,
    String name,
    ZoneId timeZone,
    String currency,
    int retentionDays,
    Duration callbackWindow) {}
