package io.natalia.oxo.traffic;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * One call of the generator's model: what really happened, from which both the tickets and the
 * ground truth are derived. Built by {@link DayTraffic}, read-only afterwards.
 */
final class SimulatedCall {

  /** Direction of a call, with the word the PBX prints in the ticket's {@code type}. */
  enum Direction {
    INCOMING("incoming"),
    OUTGOING("outgoing"),
    INTERNAL("internal");

    final String ticketType;

    Direction(String ticketType) {
      this.ticketType = ticketType;
    }
  }

  final String id;
  final Direction direction;
  final long startEpochSecond;
  final String externalNumber;
  final String trunk;
  final String initialTarget;
  final List<SimulatedLeg> legs = new ArrayList<>(2);

  /** For a missed incoming call, whether it was returned within 24 hours; else null. */
  Boolean calledBack;

  SimulatedCall(
      String id,
      Direction direction,
      long startEpochSecond,
      String externalNumber,
      String trunk,
      String initialTarget) {
    this.id = id;
    this.direction = direction;
    this.startEpochSecond = startEpochSecond;
    this.externalNumber = externalNumber;
    this.trunk = trunk;
    this.initialTarget = initialTarget;
  }

  boolean answered() {
    for (SimulatedLeg leg : legs) {
      if (leg.answered) {
        return true;
      }
    }
    return false;
  }

  boolean isMissedIncoming() {
    return direction == Direction.INCOMING && !answered();
  }

  long endEpochSecond() {
    return legs.get(legs.size() - 1).writtenEpochSecond();
  }

  /** Ring time of the first answered leg, or the whole ring time when nobody answered. */
  int ringSeconds() {
    int total = 0;
    for (SimulatedLeg leg : legs) {
      if (leg.answered) {
        return leg.ringSeconds;
      }
      total += leg.ringSeconds;
    }
    return total;
  }

  int talkSeconds() {
    int total = 0;
    for (SimulatedLeg leg : legs) {
      total += leg.talkSeconds;
    }
    return total;
  }

  long costCents() {
    long total = 0;
    for (SimulatedLeg leg : legs) {
      total += leg.costCents;
    }
    return total;
  }

  /** Returns the ground truth of this call; legs without a ticket are left out. */
  TruthCall toTruth(boolean printUnansweredIncoming) {
    List<TruthCall.Leg> truthLegs = new ArrayList<>(legs.size());
    for (SimulatedLeg leg : legs) {
      if (leg.isPrinted(printUnansweredIncoming)) {
        truthLegs.add(new TruthCall.Leg(
            leg.chargedUser,
            Instant.ofEpochSecond(leg.startEpochSecond),
            leg.ringSeconds,
            leg.talkSeconds,
            leg.answered));
      }
    }
    return new TruthCall(
        id,
        direction.ticketType,
        Instant.ofEpochSecond(startEpochSecond),
        externalNumber,
        trunk,
        initialTarget,
        answered(),
        ringSeconds(),
        talkSeconds(),
        BigDecimal.valueOf(costCents(), 2),
        calledBack,
        List.copyOf(truthLegs));
  }
}
