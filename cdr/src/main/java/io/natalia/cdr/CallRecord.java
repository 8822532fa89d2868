package io.natalia.cdr;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.Objects;

/**
 * One PBX ticket in canonical form: what the agent forwards and the cloud stores.
 *
 * <p>A call with transfers produces several records (one per leg). Optional fields are
 * {@code null} when the PBX did not print them. {@code raw} is the PBX's own JSON object,
 * unknown fields included, so nothing the PBX said is lost.
 *
 * @param id deterministic id, see {@link CallRecordId}
 * @param pbxId the PBX this ticket came from, unique within a tenant
 * @param ticketId the PBX's sequence number, or {@code null} when absent
 * @param direction incoming, outgoing or internal
 * @param startedAt start of the ticket, in UTC
 * @param ringSeconds ringing time summed over all ringing phases
 * @param talkSeconds conversation time, zero when unanswered
 * @param answered whether a person answered this leg
 * @param extension the charged user: the extension that answered or placed the call
 * @param extensionName the charged user's name, any Unicode
 * @param initialTarget who was called first: a hunt group ({@code G1}) or an extension
 * @param trunk the line used: {@code Lxx} analog, {@code Nxx} BRI, {@code Pxx} PRI,
 *     {@code Vxx} VoIP
 * @param externalNumber the outside party's number, last digits possibly masked
 * @param units metering units
 * @param cost cost of the ticket in the PBX's currency
 * @param businessCode account code typed by the user
 * @param raw the PBX's record as received
 */
public record CallRecord(
    String id,
    String pbxId,
    Long ticketId,
    Direction direction,
    Instant startedAt,
    int ringSeconds,
    int talkSeconds,
    boolean answered,
    String extension,
    String extensionName,
    String initialTarget,
    String trunk,
    String externalNumber,
    Integer units,
    BigDecimal cost,
    String businessCode,
    ObjectNode raw) {

  public CallRecord {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(pbxId, "pbxId");
    Objects.requireNonNull(direction, "direction");
    Objects.requireNonNull(startedAt, "startedAt");
  }

  /** Returns the end of the ticket: start plus ringing plus conversation. */
  public Instant endedAt() {
    return startedAt.plusSeconds((long) ringSeconds + talkSeconds);
  }
}
