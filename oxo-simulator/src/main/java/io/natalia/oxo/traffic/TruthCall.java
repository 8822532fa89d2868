package io.natalia.oxo.traffic;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;

/**
 * What really happened in one generated call, computed from the generator's own model and
 * never from the tickets it produced.
 *
 * @param callId id shared with the call's {@link GeneratedTicket}s
 * @param direction {@code incoming}, {@code outgoing} or {@code internal}
 * @param startedAt when the call started
 * @param externalNumber the outside party's full number, {@code null} for internal calls
 * @param trunk the line used, {@code null} for internal calls
 * @param initialTarget who was called first: a hunt group ({@code G1}) or an extension; for an
 *     outgoing call, the extension that placed it
 * @param answered whether a person answered at least one leg
 * @param ringSeconds ring time before the first answer, or the whole ring time when missed
 * @param talkSeconds conversation time summed over all legs
 * @param cost cost summed over all legs, zero when free
 * @param calledBack for a missed incoming call: whether the number was called back, or called
 *     in again and was answered, within 24 hours; {@code null} for other calls
 * @param legs the legs, one ticket each, in order; empty for a missed incoming call when the
 *     PBX does not print unanswered incoming calls
 */
public record TruthCall(
    String callId,
    String direction,
    Instant startedAt,
    String externalNumber,
    String trunk,
    String initialTarget,
    boolean answered,
    int ringSeconds,
    int talkSeconds,
    BigDecimal cost,
    Boolean calledBack,
    List<Leg> legs) {

  /**
   * One leg of a call: one ticket.
   *
   * @param extension the charged user of the leg: the extension that answered or placed it,
   *     or for an incoming call nobody answered, the extension or hunt group ({@code G1}) it
   *     rang
   * @param startedAt start of the leg
   * @param ringSeconds ring time of the leg
   * @param talkSeconds conversation time of the leg
   * @param answered whether the leg was answered
   */
  public record Leg(
      String extension, Instant startedAt, int ringSeconds, int talkSeconds, boolean answered) {}
}
