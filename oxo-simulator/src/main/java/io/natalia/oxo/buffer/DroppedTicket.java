package io.natalia.oxo.buffer;

import java.time.Instant;

/**
 * A ticket the PBX wrote while its buffer was full, so it never got a ticket id.
 *
 * @param callId the generated call the ticket belonged to
 * @param legIndex the leg of that call, from 0
 * @param writtenAt when the PBX wrote (and dropped) it
 */
public record DroppedTicket(String callId, int legIndex, Instant writtenAt) {}
