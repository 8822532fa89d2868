package io.natalia.oxo.traffic;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;

/**
 * One ticket as the PBX writes it when a call leg ends, before the PBX's buffer numbers it.
 *
 * @param callId id of the generated call this leg belongs to (ground truth, never served)
 * @param legIndex position of this leg in its call, from 0
 * @param writtenAt when the PBX writes the ticket: the end of the leg
 * @param fields the record as the PBX serves it, without {@code ticketId} (the buffer assigns
 *     it); {@code startTime} is PBX local time without zone
 */
public record GeneratedTicket(String callId, int legIndex, Instant writtenAt, ObjectNode fields) {}
