package io.natalia.agent.pbx.oxo;

import io.natalia.agent.config.AgentConfig;
import io.natalia.agent.health.AgentException;
import io.natalia.agent.health.ErrorCode;
import io.natalia.agent.health.StatusBoard;
import io.natalia.agent.spool.QuarantineEntry;
import io.natalia.agent.spool.Spool;
import io.natalia.agent.spool.WireRecord;
import io.natalia.cdr.CallRecord;
import java.net.http.HttpClient;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.BooleanSupplier;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads new tickets from an OXO into the disk buffer, one poll at a time.
 *
 * <p>What {@code since} means on the OXO: the PBX drops from its buffer every ticket that
 * started before {@code since} (the agent has them) and responds with the first tickets left, in
 * ticket number order, which is the order it wrote them: at call end. A ticket still to come
 * can therefore have started before tickets already served, by up to the length of its call.
 * So the next {@code since} trails the latest end time served by {@code pbx.overlap} (the
 * longest call expected, two hours by default): every ticket written later started after it.
 * Records are de-duplicated by id, since the window is read again, and each page is stored with
 * the moved cursor in one transaction. All times are the PBX's own, sent in UTC with {@code Z};
 * the agent's clock is never used. Polling goes on while {@code since} moves forward; an empty
 * page never moves it. When a full page spans less than the overlap, {@code since} trails by
 * the longest call read so far (plus a quarter and a minute) instead. As a last resort (more
 * tickets than a page share a few seconds) it requests again with {@code since} = the page's
 * latest start. The OXO acknowledges the tickets it delivered that started at or before
 * {@code since} (they are stored with that cursor), so the next page contains the unread ones.
 * A PBX that serves the same page again does not acknowledge so: the poll then ends with the
 * cursor at that start and reports why ({@link PollResult#stall()}); the next poll asks again,
 * so no request loop and no skipped ticket.
 *
 * <p>A gap in the PBX's {@code ticketId} sequence is reported as records lost on the PBX
 * (NAT-AGT-014); numbers lower than all before mean the PBX restarted and numbers again.
 * Not thread-safe: the agent runs one poll at a time.
 */
public final class Poller {
  private static final Logger log = LoggerFactory.getLogger(Poller.class);
  /** First request of a fresh buffer: before any OXO R10 ticket, so the PBX sends them all. */
  static final Instant BEGINNING = Instant.parse("2000-01-01T00:00:00Z");
  /** A safety stop: a PBX holds 1000 tickets, so this many pages means it serves nonsense. */
  private static final int MAX_PAGES_PER_POLL = 100_000;
  /** Pages of at least this many tickets are parsed on two threads. */
  private static final int SPLIT_PAGE_AT = 1000;
  /** Parses the second half of large pages; shared by all pollers, idle between polls. */
  private static final ExecutorService PARSE_THREAD = Executors.newSingleThreadExecutor(
      task -> Thread.ofPlatform().daemon().name("natalia-parse").unstarted(task));
  /** Transient PBX failures (429, 5xx, cut connections) retried within one poll. */
  private static final int ATTEMPTS = 3;
  private static final Duration RETRY_DELAY = Duration.ofSeconds(2);
  private static final Duration MAX_RETRY_AFTER = Duration.ofSeconds(30);
  /** Start times have whole seconds and the PBX rounds {@code since} up to one. */
  private static final Duration SINCE_MARGIN = Duration.ofSeconds(60);

  private final AgentConfig.Pbx pbx;
  private final OxoSession session;
  private final OxoRecordParser parser;
  private final Spool spool;
  private final StatusBoard board;
  private final Sleeper sleeper;
  /** The largest page served so far: a page this size may be cut by the PBX's page cap. */
  private int largestPage;
  /** The maximum call length read so far: a bound on how long a call still running may be. */
  private Duration longestCallSeen = Duration.ZERO;
  /** Ids of the last page followed by {@code since} = its latest start, to detect a repeat. */
  private List<String> acknowledgedPage = List.of();
  /** Reason the current poll stopped on a page served again, or null. */
  private String stall;

  /** Waits between retries; tests pass one that returns at once. */
  public interface Sleeper {
    void sleep(Duration duration) throws InterruptedException;
  }

  Poller(AgentConfig.Pbx pbx, OxoSession session, OxoRecordParser parser, Spool spool,
      StatusBoard board, Sleeper sleeper) {
    this.pbx = pbx;
    this.session = session;
    this.parser = parser;
    this.spool = spool;
    this.board = board;
    this.sleeper = sleeper;
  }

  /** Returns a poller for this PBX with its own HTTPS client and session. */
  public static Poller create(AgentConfig.Pbx pbx, HttpClient http, Spool spool,
      StatusBoard board, Clock clock, LongSupplier nanoTime, Sleeper sleeper) {
    return new Poller(pbx, new OxoSession(pbx, http, nanoTime),
        new OxoRecordParser(pbx.id(), pbx.timeZone(), clock), spool, board, sleeper);
  }

  /**
   * Reads pages while {@code since} moves forward, or until {@code stop} returns true (the
   * disk buffer filled up) after a page.
   *
   * @return the number of new records stored
   * @throws AgentException on a failure that ends the poll; what was stored before stays
   */
  public PollResult pollOnce(BooleanSupplier stop) throws AgentException, InterruptedException {
    Instant cursor = spool.cursor();
    Instant since = cursor == null ? BEGINNING : cursor;
    TicketGaps gaps = new TicketGaps(spool.lastTicketId());
    PollResult total = new PollResult(0, 0, 0, null);
    stall = null;
    // Each poll acknowledges again: a PBX that served a page again may take it now.
    acknowledgedPage = List.of();
    for (int page = 0; page < MAX_PAGES_PER_POLL; page++) {
      // Fetch, parse and store stay in sequence: the next request drops what this one served.
      // Limitation: see docs/known-limitations.md#agent-throughput
      List<Ticket> tickets = fetchWithRetries(since);
      largestPage = Math.max(largestPage, tickets.size());
      ParsedPage parsed = parse(tickets, gaps);
      if (parsed.longestCall.compareTo(longestCallSeen) > 0) {
        longestCallSeen = parsed.longestCall;
      }
      Instant next = nextSince(since, parsed, tickets.size());
      // The PBX serves no ticket that started before since again, so the ids of tickets that
      // started an overlap before it are forgotten: a long backlog keeps few ids.
      int[] fresh = store(parsed, next, since.minus(pbx.overlap()), gaps);
      total = total.plus(new PollResult(fresh[0], fresh[1], 1, stall));
      if (next == null || stop.getAsBoolean()) {
        break;
      }
      since = next;
    }
    finishGaps(gaps);
    return total;
  }

  /**
   * Returns the {@code since} of the next request, or {@code null} when it would not move
   * forward (caught up). See the class comment for why it trails the page's last ticket.
   */
  private Instant nextSince(Instant since, ParsedPage page, int pageSize) {
    if (page.latestEnd == null) {
      return null;
    }
    Instant next = page.latestEnd.minus(pbx.overlap());
    if (next.isAfter(since)) {
      return next;
    }
    boolean full = pageSize >= 2 && pageSize >= largestPage;
    if (!full) {
      return null;
    }
    // A full page spans less than the overlap: trail by the longest call read so far instead.
    Duration trail = longestCallSeen.plus(longestCallSeen.dividedBy(4)).plus(SINCE_MARGIN);
    next = page.latestEnd.minus(trail);
    if (next.isAfter(since)) {
      return next;
    }
    // Still no progress: acknowledge the page by asking from its latest start.
    List<String> ids = page.records.stream().map(CallRecord::id).toList();
    if (!ids.equals(acknowledgedPage)) {
      acknowledgedPage = ids;
      return page.latestStart;
    }
    // The same page again although since acknowledged it: asking again at once would loop on
    // it, and skipping its earliest second would lose the tickets beyond the page. End the
    // poll with the cursor where it is; the next poll asks again.
    // Limitation: see docs/known-limitations.md#oxo-page-cap
    // Limitation: see docs/known-limitations.md#agent-dst-small-pages
    stall = "PBX " + pbx.id() + " served the same " + pageSize + " tickets again for since="
        + since + ", although that since acknowledges the tickets it delivered: it does not "
        + "acknowledge delivered tickets, or they started in the repeated hour of a DST change. "
        + "Collection waits at " + since + " and asks again at each poll; nothing is skipped. "
        + "If it persists, the tickets beyond this page stay on the PBX: report the firmware "
        + "version to support";
    return null;
  }

  /**
   * Counts of one poll.
   *
   * @param newRecords records stored for the first time
   * @param newQuarantined tickets quarantined for the first time
   * @param pages requests made
   * @param stall the reason the poll stopped on a page the PBX served again, or null
   */
  public record PollResult(int newRecords, int newQuarantined, int pages, String stall) {
    PollResult plus(PollResult other) {
      return new PollResult(newRecords + other.newRecords,
          newQuarantined + other.newQuarantined, pages + other.pages, other.stall);
    }
  }

  private ParsedPage parse(List<Ticket> tickets, TicketGaps gaps) {
    ParsedPage page = new ParsedPage();
    for (OxoRecordParser.Result result : parseAll(tickets)) {
      Ticket ticket = result.ticket();
      if (result.record() == null) {
        page.quarantined.add(new QuarantineEntry(ErrorCode.NAT_AGT_010.code(), result.reason(),
            ticket.rawJson()));
        // A quarantined ticket was served, so its number is no gap.
        String ticketId = ticket.text(Ticket.Field.TICKET_ID);
        if (ticketId != null && ticketId.matches("\\d{1,18}")) {
          gaps.add(List.of(Long.parseLong(ticketId)));
        }
        continue;
      }
      page.add(result.record(), result.json());
    }
    return page;
  }

  /**
   * Parses the tickets in order. A large page is split in two halves and the second is parsed
   * on {@link #PARSE_THREAD} meanwhile: parsing is most of the poll thread's CPU work, and the
   * next request cannot start before the page is stored.
   */
  private List<OxoRecordParser.Result> parseAll(List<Ticket> tickets) {
    if (tickets.size() < SPLIT_PAGE_AT) {
      return parseRange(tickets);
    }
    int half = tickets.size() / 2;
    Future<List<OxoRecordParser.Result>> second =
        PARSE_THREAD.submit(() -> parseRange(tickets.subList(half, tickets.size())));
    List<OxoRecordParser.Result> results = new ArrayList<>(tickets.size());
    results.addAll(parseRange(tickets.subList(0, half)));
    try {
      results.addAll(second.get());
    } catch (InterruptedException e) {
      second.cancel(true);
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while parsing a page", e);
    } catch (ExecutionException e) {
      throw new IllegalStateException("parsing a page failed", e.getCause());
    }
    return results;
  }

  private List<OxoRecordParser.Result> parseRange(List<Ticket> tickets) {
    List<OxoRecordParser.Result> results = new ArrayList<>(tickets.size());
    for (Ticket ticket : tickets) {
      results.add(parser.parse(ticket));
    }
    return results;
  }

  /** Stores a page with the next {@code since} as cursor; returns new records, quarantined. */
  private int[] store(ParsedPage page, Instant cursor, Instant forgetBefore, TicketGaps gaps) {
    Spool.StoreResult stored = spool.store(page.wire, page.quarantined, cursor, forgetBefore);
    board.addRecordsRead(stored.newRecords());
    gaps.add(stored.newTicketIds());
    if (stored.newQuarantined() > 0) {
      board.raise(ErrorCode.NAT_AGT_010, stored.newQuarantined() + " record(s) from PBX "
          + pbx.id() + " quarantined; first reason: " + page.quarantined.get(0).reason());
    }
    return new int[] {stored.newRecords(), stored.newQuarantined()};
  }

  /** One page, parsed, with the times that decide the next request. */
  private static final class ParsedPage {
    final List<CallRecord> records = new ArrayList<>();
    final List<WireRecord> wire = new ArrayList<>();
    final List<QuarantineEntry> quarantined = new ArrayList<>();
    Instant earliestStart;
    Instant latestStart;
    Instant latestEnd;
    Duration longestCall = Duration.ZERO;

    void add(CallRecord record, byte[] json) {
      records.add(record);
      wire.add(WireRecord.of(record, json));
      if (earliestStart == null || record.startedAt().isBefore(earliestStart)) {
        earliestStart = record.startedAt();
      }
      if (latestStart == null || record.startedAt().isAfter(latestStart)) {
        latestStart = record.startedAt();
      }
      if (latestEnd == null || record.endedAt().isAfter(latestEnd)) {
        latestEnd = record.endedAt();
      }
      Duration length = Duration.between(record.startedAt(), record.endedAt());
      if (length.compareTo(longestCall) > 0) {
        longestCall = length;
      }
    }
  }

  private List<Ticket> fetchWithRetries(Instant since)
      throws AgentException, InterruptedException {
    for (int attempt = 1; ; attempt++) {
      try {
        return session.fetchRecords(since);
      } catch (AgentException e) {
        if (!isRetryable(e) || attempt >= ATTEMPTS) {
          throw e;
        }
        Duration wait = e instanceof TransientPbxException t && t.retryAfter() != null
            ? min(t.retryAfter(), MAX_RETRY_AFTER) : RETRY_DELAY.multipliedBy(attempt);
        log.info("PBX {} request failed ({}); retry {} of {} in {} s", pbx.id(),
            e.getMessage(), attempt, ATTEMPTS - 1, wait.toSeconds());
        sleeper.sleep(wait);
      }
    }
  }

  /**
   * Decides which PBX failures are worth retrying within the poll. A timeout, a cut connection
   * or a 429/5xx may pass in seconds. A rejected password, a missing service or an untrusted
   * certificate will not, because only the admin can fix them.
   */
  private static boolean isRetryable(AgentException e) {
    return switch (e.code()) {
      case NAT_AGT_001, NAT_AGT_016 -> true;
      default -> false;
    };
  }

  private void finishGaps(TicketGaps gaps) {
    if (gaps.highest() == null) {
      return;
    }
    if (gaps.restarted()) {
      log.info("PBX {} numbers its tickets again from {} (it restarted)", pbx.id(),
          gaps.lowestNew());
    }
    if (gaps.lost() > 0) {
      board.addRecordsLostOnPbx(gaps.lost());
      board.raise(ErrorCode.NAT_AGT_014, "PBX " + pbx.id() + " skipped " + gaps.lost()
          + " ticket number(s) up to " + gaps.highest() + ": these tickets were dropped on the "
          + "PBX before the agent could read them");
    }
    spool.lastTicketId(gaps.highest());
  }

  private static Duration min(Duration a, Duration b) {
    return a.compareTo(b) <= 0 ? a : b;
  }
}
