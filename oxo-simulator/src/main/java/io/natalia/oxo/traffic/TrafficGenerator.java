package io.natalia.oxo.traffic;

import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The simulated company's traffic, generated from a seed and {@link TrafficSettings}.
 *
 * <p>Each local day's calls come from a random generator seeded by the seed and the date
 * alone, so any range can be generated on its own and in any order, with the same result. A
 * day also generates the callbacks and repeated calls that follow its missed calls, even when
 * they start the next day; a range therefore starts generating {@link #LOOKBACK_DAYS} days
 * before its first day.
 *
 * <p>Thread-safe. It keeps the calls of the last {@link RecentDays#CAPACITY} days it generated,
 * because a live simulator requests every few seconds the tickets written since its last
 * request, and each request needs the same few days.
 */
public final class TrafficGenerator implements TrafficSource {

  /**
   * Days before a range whose calls may still start or write tickets in it. A day's follow-up
   * calls start within 22 hours of its last missed call. A call lasts at most three legs of two
   * minutes of ringing and two hours of talk. So every ticket of day D is written before the
   * end of day D + 2.
   */
  static final int LOOKBACK_DAYS = 2;

  /**
   * Bounds of a generated range: from the Unix epoch plus the lookback, to the end of the last
   * four-digit year, so that ticket times keep their format.
   */
  private static final Instant EARLIEST = Instant.parse("1970-01-03T00:00:00Z");
  private static final Instant LATEST = Instant.parse("9999-12-30T00:00:00Z");

  private final long seed;
  private final TrafficSettings settings;
  private final Company company;
  private final RecentDays recentDays = new RecentDays();

  /** Creates the company of {@code seed}; calls are generated only when a range is requested. */
  public TrafficGenerator(long seed, TrafficSettings settings) {
    this.seed = seed;
    this.settings = Objects.requireNonNull(settings, "settings must be set");
    this.company = new Company(seed, settings);
  }

  public long seed() {
    return seed;
  }

  public TrafficSettings settings() {
    return settings;
  }

  public Company company() {
    return company;
  }

  /** Describes the company in one line, for a start-up log. */
  @Override
  public String toString() {
    return "seed " + seed + ", " + settings.extensions() + " extensions, "
        + company.huntGroups().size() + " hunt groups, " + company.trunks().size()
        + " trunks, zone " + settings.zone() + ", scale " + settings.callsPerDayScale();
  }

  @Override
  public Iterator<GeneratedTicket> ticketsWritten(Instant from, Instant to) {
    checkRange(from, to);
    return new TicketIterator(this, from, to);
  }

  @Override
  public List<TruthCall> callsStarted(Instant from, Instant to) {
    checkRange(from, to);
    long fromSecond = ceilSeconds(from);
    long toSecond = ceilSeconds(to);
    List<SimulatedCall> started = new ArrayList<>();
    LocalDate last = localDate(toSecond - 1);
    for (LocalDate day = localDate(fromSecond).minusDays(LOOKBACK_DAYS);
        !day.isAfter(last);
        day = day.plusDays(1)) {
      for (SimulatedCall call : callsOfDay(day)) {
        if (call.startEpochSecond >= fromSecond && call.startEpochSecond < toSecond) {
          started.add(call);
        }
      }
    }
    started.sort(Comparator.comparingLong((SimulatedCall call) -> call.startEpochSecond)
        .thenComparing(call -> call.id));
    List<TruthCall> truth = new ArrayList<>(started.size());
    for (SimulatedCall call : started) {
      truth.add(call.toTruth(settings.printUnansweredIncoming()));
    }
    return truth;
  }

  /**
   * Returns the calls of origin day {@code date}, in no particular order: from the cache of
   * recent days, else generated. The list and its calls are shared and must not be changed.
   */
  List<SimulatedCall> callsOfDay(LocalDate date) {
    synchronized (recentDays) {
      List<SimulatedCall> cached = recentDays.get(date);
      if (cached != null) {
        return cached;
      }
    }
    List<SimulatedCall> calls =
        List.copyOf(new DayTraffic(seed, settings, company, date).generate());
    synchronized (recentDays) {
      recentDays.put(date, calls);
    }
    return calls;
  }

  LocalDate localDate(long epochSecond) {
    return LocalDate.ofInstant(Instant.ofEpochSecond(epochSecond), settings.zone());
  }

  /** Returns the first whole second at or after {@code instant}. */
  static long ceilSeconds(Instant instant) {
    return instant.getNano() == 0 ? instant.getEpochSecond() : instant.getEpochSecond() + 1;
  }

  private static void checkRange(Instant from, Instant to) {
    if (from == null || to == null) {
      throw new IllegalArgumentException("from and to must be set: from=" + from + ", to=" + to);
    }
    if (from.isAfter(to)) {
      throw new IllegalArgumentException("from must not be after to: from=" + from + ", to=" + to);
    }
    if (from.isBefore(EARLIEST) || to.isAfter(LATEST)) {
      throw new IllegalArgumentException(
          "range must lie within " + EARLIEST + " and " + LATEST + ": from=" + from + ", to="
              + to);
    }
  }

  /** The most recently used days' calls, in access order; guarded by its own lock. */
  private static final class RecentDays extends LinkedHashMap<LocalDate, List<SimulatedCall>> {
    /** A range's lookback days, its day and the next one. */
    static final int CAPACITY = LOOKBACK_DAYS + 2;

    RecentDays() {
      super(8, 0.75f, true);
    }

    @Override
    protected boolean removeEldestEntry(Map.Entry<LocalDate, List<SimulatedCall>> eldest) {
      return size() > CAPACITY;
    }
  }
}
