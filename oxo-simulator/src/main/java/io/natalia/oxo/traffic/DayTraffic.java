package io.natalia.oxo.traffic;

import io.natalia.oxo.traffic.Company.Extension;
import io.natalia.oxo.traffic.Company.HuntGroup;
import io.natalia.oxo.traffic.NumberPlan.Kind;
import io.natalia.oxo.traffic.NumberPlan.Population;
import io.natalia.oxo.traffic.SimulatedCall.Direction;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.zone.ZoneRules;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Generates the calls of one origin day: the calls that start on that local day, plus the
 * callbacks and repeated calls that follow its missed calls, which may start the next day.
 * All randomness comes from the seed and the date, so any day can be generated alone.
 *
 * <p>Not thread-safe; one instance generates one day.
 */
final class DayTraffic {

  /** Weekday calls per extension at scale 1.0. */
  static final double CALLS_PER_EXTENSION = 7.0;

  /** A follow-up of a missed call starts at most this long after the missed call started. */
  static final long MAX_FOLLOW_UP_SECONDS = 22 * 3600;

  /** Maximum conversation time of one leg. */
  static final int MAX_TALK_SECONDS = 2 * 3600;

  /** Maximum legs of one call: the first holder and up to two transfers. */
  static final int MAX_LEGS = 3;

  private static final String[] BUSINESS_CODES = {
    "PRJ-7", "PRJ-12", "PRJ-31", "CLI-ACME", "CLI-4410", "SAV-2", "R&D-3",
  };

  private final TrafficSettings settings;
  private final Company company;
  private final LocalDate date;
  private final ZoneId zone;
  private final ZoneRules rules;
  private final SplittableRandom random;
  private final DayShape shape;
  private final String idPrefix;
  private final List<SimulatedCall> calls = new ArrayList<>();
  private int callSequence;
  private int callerSequence;
  private int destinationSequence;

  DayTraffic(long seed, TrafficSettings settings, Company company, LocalDate date) {
    this.settings = settings;
    this.company = company;
    this.date = date;
    this.zone = settings.zone();
    this.rules = zone.getRules();
    this.random = new SplittableRandom(Mixing.mix(seed, date.toEpochDay()));
    this.shape = new DayShape(date, zone);
    this.idPrefix = String.format(
        "%04d%02d%02d-", date.getYear(), date.getMonthValue(), date.getDayOfMonth());
  }

  /** Generates the day's calls, in creation order (not sorted). */
  List<SimulatedCall> generate() {
    double mean = settings.extensions() * CALLS_PER_EXTENSION * settings.callsPerDayScale()
        * shape.volumeFactor();
    long count = Math.max(0, Math.round(mean + Math.sqrt(mean) * random.nextGaussian()));
    for (long i = 0; i < count; i++) {
      long start = shape.sampleStart(random);
      double draw = random.nextDouble();
      if (draw < 0.50) {
        organicIncoming(start);
      } else if (draw < 0.85 || settings.extensions() < 2) {
        outgoing(start, company.pickUser(random), null, null);
      } else {
        internal(start);
      }
    }
    return calls;
  }

  // --- incoming calls and what follows a missed one

  private void organicIncoming(long start) {
    Kind kind = NumberPlan.callerKind(random);
    String number = NumberPlan.number(
        random, kind, Population.CALLERS, date.toEpochDay(), callerSequence++);
    boolean missed = random.nextDouble() < missProbability(start);
    SimulatedCall call = incoming(start, number, company.pickTrunk(random), missed);
    if (missed) {
      followUp(call, kind);
    }
  }

  /**
   * Adds what follows a missed call: an outgoing callback, the caller calling again and being
   * answered, the caller calling again and being missed again (then perhaps called back), or
   * nothing. Marks every missed call of the episode with whether it was returned.
   */
  private void followUp(SimulatedCall missed, Kind kind) {
    List<SimulatedCall> episode = new ArrayList<>(3);
    episode.add(missed);
    long limit = missed.startEpochSecond + MAX_FOLLOW_UP_SECONDS;
    double draw = random.nextDouble();
    if (draw < 0.40) {
      addCallback(episode, missed, kind, limit);
    } else if (draw < 0.60) {
      long start = businessTime(missed.endEpochSecond() + 60 + random.nextInt(7200));
      if (start <= limit) {
        episode.add(incoming(start, missed.externalNumber, company.pickTrunk(random), false));
      }
    } else if (draw < 0.67) {
      long start = missed.endEpochSecond() + 60 + random.nextInt(1200);
      SimulatedCall again = incoming(start, missed.externalNumber, missed.trunk, true);
      episode.add(again);
      if (random.nextDouble() < 0.6) {
        addCallback(episode, again, kind, limit);
      }
    }
    markCalledBack(episode);
  }

  private void addCallback(
      List<SimulatedCall> episode, SimulatedCall missed, Kind kind, long limit) {
    long start = businessTime(missed.endEpochSecond() + 120 + random.nextInt(3 * 3600));
    if (start > limit) {
      return;
    }
    Extension returner = returnerOf(missed);
    episode.add(outgoing(start, returner, missed.externalNumber, kind));
  }

  /** Marks each missed call: returned if a later call of the episode is a return, in 24 h. */
  private static void markCalledBack(List<SimulatedCall> episode) {
    for (SimulatedCall missed : episode) {
      if (!missed.isMissedIncoming()) {
        continue;
      }
      boolean returned = false;
      for (SimulatedCall other : episode) {
        long delay = other.startEpochSecond - missed.startEpochSecond;
        boolean isReturn = other.direction == Direction.OUTGOING || other.answered();
        returned |= delay > 0 && delay <= 24 * 3600 && isReturn;
      }
      missed.calledBack = returned;
    }
  }

  private SimulatedCall incoming(long start, String number, String trunk, boolean missed) {
    List<HuntGroup> groups = company.huntGroups();
    if (!groups.isEmpty() && random.nextDouble() < 0.6) {
      HuntGroup group = groups.get(random.nextInt(groups.size()));
      SimulatedCall call = newCall(Direction.INCOMING, start, number, trunk, group.id());
      if (missed) {
        addLeg(call, group.id(), group.id(), group.name(), start, missedRing(), 0);
      } else {
        // Limitation: see docs/known-limitations.md#traffic-busy-extensions
        Extension answerer = group.members().get(random.nextInt(group.members().size()));
        addAnsweredLeg(call, group.id(), answerer, start, answerRing(9));
        addTransfers(call);
      }
      return call;
    }
    Extension target = company.extensions().get(random.nextInt(company.extensions().size()));
    SimulatedCall call = newCall(Direction.INCOMING, start, number, trunk, target.number());
    Extension operator = company.operator();
    if (missed) {
      addLeg(call, target.number(), target.number(), target.name(), start, missedRing(), 0);
    } else if (operator != target && random.nextDouble() < 0.15) {
      // Nobody picks up the direct line; the call overflows to the operator, who answers.
      int ring = 12 + random.nextInt(14) + answerRing(6);
      addAnsweredLeg(call, target.number(), operator, start, ring);
      addTransfers(call);
    } else {
      addAnsweredLeg(call, target.number(), target, start, answerRing(7));
      addTransfers(call);
    }
    return call;
  }

  /** Adds up to two transfers: each closes the current leg and opens one for the next user. */
  private void addTransfers(SimulatedCall call) {
    if (company.extensions().size() < 2 || random.nextDouble() >= 0.12) {
      return;
    }
    for (int legs = 1; legs < MAX_LEGS; legs++) {
      SimulatedLeg previous = call.legs.get(call.legs.size() - 1);
      Extension holder = extensionOf(previous.chargedUser);
      Extension next = company.pickOtherUser(random, holder);
      long start = previous.writtenEpochSecond();
      addAnsweredLeg(call, next.number(), next, start, 2 + random.nextInt(14));
      if (random.nextDouble() >= 0.25) {
        return;
      }
    }
  }

  private void addAnsweredLeg(
      SimulatedCall call, String initialUser, Extension answerer, long start, int ring) {
    int talk = talkSeconds(150);
    addLeg(call, initialUser, answerer.number(), answerer.name(), start, ring, talk);
  }

  // --- outgoing and internal calls

  /**
   * Adds an outgoing call from {@code caller}; to a new destination, or to {@code number} of
   * {@code kind} for a callback.
   */
  private SimulatedCall outgoing(long start, Extension caller, String number, Kind kind) {
    boolean callback = number != null;
    if (!callback) {
      kind = NumberPlan.destinationKind(random);
      number = NumberPlan.number(
          random, kind, Population.DESTINATIONS, date.toEpochDay(), destinationSequence++);
    }
    SimulatedCall call = newCall(
        Direction.OUTGOING, start, number, company.pickTrunk(random), caller.number());
    boolean answered = random.nextDouble() < (callback ? 0.70 : 0.78);
    int ring = answered ? answerRing(8) : 10 + random.nextInt(36);
    int medianTalkSeconds = kind == Kind.PREMIUM ? 240 : 120;
    int talk = answered ? talkSeconds(medianTalkSeconds) : 0;
    int units = answered ? kind.units(talk) : 0;
    String code = caller.typesBusinessCodes() && random.nextDouble() < 0.6
        ? BUSINESS_CODES[random.nextInt(BUSINESS_CODES.length)]
        : null;
    call.legs.add(new SimulatedLeg(call, caller.number(), caller.number(), caller.name(),
        start, ring, talk, units, (long) units * NumberPlan.UNIT_PRICE_CENTS, code));
    return call;
  }

  private void internal(long start) {
    Extension caller = company.pickUser(random);
    Extension callee = company.pickOtherUser(random, caller);
    SimulatedCall call = newCall(Direction.INTERNAL, start, null, null, callee.number());
    boolean answered = random.nextDouble() < 0.88;
    int ring = answered ? answerRing(5) : 10 + random.nextInt(21);
    int talk = answered ? talkSeconds(60) : 0;
    addLeg(call, callee.number(), caller.number(), caller.name(), start, ring, talk);
  }

  // --- shared pieces

  private SimulatedCall newCall(
      Direction direction, long start, String number, String trunk, String initialTarget) {
    String id = idPrefix + sixDigits(callSequence++);
    SimulatedCall call = new SimulatedCall(id, direction, start, number, trunk, initialTarget);
    calls.add(call);
    return call;
  }

  private static void addLeg(
      SimulatedCall call,
      String initialUser,
      String chargedUser,
      String name,
      long start,
      int ring,
      int talk) {
    call.legs.add(
        new SimulatedLeg(call, initialUser, chargedUser, name, start, ring, talk, 0, 0, null));
  }

  /** Chance that nobody answers an incoming call: higher at lunch, at night and on weekends. */
  private double missProbability(long start) {
    int hour = DayShape.localHour(rules, start);
    if (hour < 8 || hour >= 19) {
      return 0.60;
    }
    if (DayShape.isWeekend(date.getDayOfWeek())) {
      return 0.50;
    }
    return hour >= 12 && hour < 14 ? 0.22 : 0.10;
  }

  /**
   * Returns {@code epochSecond} if it falls in business hours (08:00 to 19:00 local), else a
   * time between 08:00 and 10:00 on the next morning.
   */
  private long businessTime(long epochSecond) {
    LocalDateTime local = LocalDateTime.ofEpochSecond(
        epochSecond, 0, rules.getOffset(Instant.ofEpochSecond(epochSecond)));
    int hour = local.getHour();
    if (hour >= 8 && hour < 19) {
      return epochSecond;
    }
    LocalDate morning = hour < 8 ? local.toLocalDate() : local.toLocalDate().plusDays(1);
    long eight = morning.atTime(8, 0).atZone(zone).toEpochSecond();
    return eight + random.nextInt(7200);
  }

  private Extension returnerOf(SimulatedCall missed) {
    for (HuntGroup group : company.huntGroups()) {
      if (group.id().equals(missed.initialTarget)) {
        return group.members().get(random.nextInt(group.members().size()));
      }
    }
    return extensionOf(missed.initialTarget);
  }

  private Extension extensionOf(String number) {
    return company.extensions().get(Integer.parseInt(number) - Company.FIRST_EXTENSION);
  }

  /** Ring time until someone answers: a short minimum and an exponential tail. */
  private int answerRing(double meanSeconds) {
    return (int) Math.min(60, 2 + Math.round(random.nextExponential() * meanSeconds));
  }

  /** Ring time until a caller gives up. */
  private int missedRing() {
    return 8 + random.nextInt(53);
  }

  /** Conversation time: log-normal around {@code medianSeconds}, 3 s to 2 h. */
  private int talkSeconds(double medianSeconds) {
    double seconds = medianSeconds * Math.exp(0.9 * random.nextGaussian());
    return (int) Math.max(3, Math.min(MAX_TALK_SECONDS, Math.round(seconds)));
  }

  private static String sixDigits(int value) {
    String digits = Integer.toString(value);
    return "000000".substring(digits.length()) + digits;
  }
}
