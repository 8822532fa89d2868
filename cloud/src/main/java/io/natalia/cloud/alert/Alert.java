package io.natalia.cloud.alert;

import java.time.Instant;

/**
 * An alert of a tenant.
 *
 * @param kind what it is about
 * @param subject the PBX id, agent host or {@code all calls} concerned
 * @param code the alert's code, or the agent's error code for a buffer alarm
 * @param message what is wrong, with the figures, for people
 * @param openedAt when the condition was first seen
 * @param lastSeenAt when the condition was last seen holding
 * @param closedAt when it cleared; null while open
 * @param emailedAt when the tenant's admins were e-mailed; null when not (yet) sent
 */
public record Alert(
    long id,
    AlertKind kind,
    String subject,
    String code,
    String message,
    Instant openedAt,
    Instant lastSeenAt,
    Instant closedAt,
    Instant emailedAt) {}
