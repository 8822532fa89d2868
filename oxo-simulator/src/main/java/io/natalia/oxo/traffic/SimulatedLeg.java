package io.natalia.oxo.traffic;

import java.util.Comparator;

/** One leg of a {@link SimulatedCall}: what one ticket reports. Read-only once built. */
final class SimulatedLeg {

  /** Ticket write order: by write time, then call id, then leg; stable across runs. */
  static final Comparator<SimulatedLeg> WRITE_ORDER = SimulatedLeg::compareWriteOrder;

  final SimulatedCall call;
  final int index;
  final String initialUser;
  final String chargedUser;
  final String subscriberName;
  final long startEpochSecond;
  final int ringSeconds;
  final int talkSeconds;
  final boolean answered;
  final int units;
  final long costCents;
  final String businessCode;
  private final long writtenEpochSecond;

  SimulatedLeg(
      SimulatedCall call,
      String initialUser,
      String chargedUser,
      String subscriberName,
      long startEpochSecond,
      int ringSeconds,
      int talkSeconds,
      int units,
      long costCents,
      String businessCode) {
    this.call = call;
    this.index = call.legs.size();
    this.initialUser = initialUser;
    this.chargedUser = chargedUser;
    this.subscriberName = subscriberName;
    this.startEpochSecond = startEpochSecond;
    this.ringSeconds = ringSeconds;
    this.talkSeconds = talkSeconds;
    this.answered = talkSeconds > 0;
    this.units = units;
    this.costCents = costCents;
    this.businessCode = businessCode;
    this.writtenEpochSecond = startEpochSecond + ringSeconds + talkSeconds;
  }

  private static int compareWriteOrder(SimulatedLeg a, SimulatedLeg b) {
    int byTime = Long.compare(a.writtenEpochSecond, b.writtenEpochSecond);
    if (byTime != 0) {
      return byTime;
    }
    int byCall = a.call.id.compareTo(b.call.id);
    return byCall != 0 ? byCall : Integer.compare(a.index, b.index);
  }

  /** Returns the end of the leg, when the PBX writes its ticket, in epoch seconds. */
  long writtenEpochSecond() {
    return writtenEpochSecond;
  }

  /** Returns whether the PBX writes a ticket: always, except unanswered incoming when off. */
  boolean isPrinted(boolean printUnansweredIncoming) {
    return answered
        || printUnansweredIncoming
        || call.direction != SimulatedCall.Direction.INCOMING;
  }
}
