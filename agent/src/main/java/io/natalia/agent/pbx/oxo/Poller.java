package io.natalia.agent.pbx.oxo;

import com.fasterxml.jackson.databind.JsonNode;
import io.natalia.agent.config.AgentConfig;
import io.natalia.agent.health.AgentException;
import io.natalia.agent.health.ErrorCode;
import io.natalia.agent.health.StatusBoard;
import io.natalia.agent.spool.QuarantineEntry;
import io.natalia.agent.spool.Spool;
import io.natalia.cdr.CallRecord;
import java.net.http.HttpClient;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads new tickets from an OXO into the disk buffer, one poll at a time.
 *
 * <p>A poll asks for {@code since = cursor - overlap}, where the cursor is the latest start
 * time among the records already stored (the PBX's own times, never the agent's clock), sent in
 * UTC with {@code Z}. The PBX does not document whether {@code since} is inclusive, whether it
 * filters on start or end time, nor how many records a page holds, so the poller assumes
 * nothing: each page is de-duplicated by record id against what was read before, stored with
 * the moved cursor in one transaction, and the next request starts at the latest start time of
 * that page (not one second later, so records sharing the last second of a full page are asked
 * for again). Polling goes on while the pages move forward in time, through the whole overlap
 * window even when its first pages hold only records already read, and stops at a page that
 * ends where it began. An empty page never moves the cursor.
 *
 * <p>A gap in the PBX's {@code ticketId} sequence is reported as records lost on the PBX
 * (NAT-AGT-014); a number lower than all before means the PBX restarted and numbers again.
 * Not thread-safe: the agent runs one poll at a time.
 */
public final class Poller {
  private static final Logger log = LoggerFactory.getLogger(Poller.class);
  /** First request of a fresh buffer: before any OXO R10 ticket, so the PBX sends them all. */
  static final Instant BEGINNING = Instant.parse("2000-01-01T00:00:00Z");
  /** A safety stop: a PBX holds 1000 tickets, so this many pages means it serves nonsense. */
  private static final int MAX_PAGES_PER_POLL = 100_000;
  /** Transient PBX failures (429, 5xx, cut connections) retried within one poll. */
  private static final int ATTEMPTS = 3;
  private static final Duration RETRY_DELAY = Duration.ofSeconds(2);
  private static final Duration MAX_RETRY_AFTER = Duration.ofSeconds(30);

  private final AgentConfig.Pbx pbx;
  private final OxoSession session;
  private final OxoRecordParser parser;
  private final Spool spool;
  private final StatusBoard board;
  private final Sleeper sleeper;

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
   * Reads pages until one ends where it began, or until {@code stop} says so (the disk buffer
   * filled up) after a page.
   *
   * @return the number of new records stored
   * @throws AgentException on a failure that ends the poll; what was stored before stays
   */
  public PollResult pollOnce(BooleanSupplier stop) throws AgentException, InterruptedException {
    Instant cursor = spool.cursor();
    Instant since = cursor == null ? BEGINNING : cursor.minus(pbx.overlap());
    Instant forgetBefore = cursor == null ? null : since.minus(pbx.overlap());
    TicketGaps gaps = new TicketGaps(spool.lastTicketId());
    PollResult total = new PollResult(0, 0, 0);
    for (int page = 0; page < MAX_PAGES_PER_POLL; page++) {
      JsonNode tickets = fetchWithRetries(since);
      PageOutcome outcome = storePage(tickets, forgetBefore, gaps);
      total = total.plus(new PollResult(outcome.newRecords, outcome.newQuarantined, 1));
      // No progress is possible when the page ends where it began (or is empty).
      if (outcome.latestStart == null || !outcome.latestStart.isAfter(since)
          || stop.getAsBoolean()) {
        break;
      }
      since = outcome.latestStart;
    }
    finishGaps(gaps);
    return total;
  }

  /**
   * What one poll did.
   *
   * @param newRecords records stored for the first time
   * @param newQuarantined tickets quarantined for the first time
   * @param pages requests made
   */
  public record PollResult(int newRecords, int newQuarantined, int pages) {
    PollResult plus(PollResult other) {
      return new PollResult(newRecords + other.newRecords,
          newQuarantined + other.newQuarantined, pages + other.pages);
    }
  }

  private record PageOutcome(int newRecords, int newQuarantined, Instant latestStart) {}

  private PageOutcome storePage(JsonNode tickets, Instant forgetBefore, TicketGaps gaps) {
    List<CallRecord> records = new ArrayList<>(tickets.size());
    List<QuarantineEntry> quarantined = new ArrayList<>();
    Instant latestStart = null;
    for (JsonNode ticket : tickets) {
      OxoRecordParser.Result result = parser.parse(ticket);
      if (result.record() == null) {
        quarantined.add(new QuarantineEntry(ErrorCode.NAT_AGT_010.code(), result.reason(),
            String.valueOf(ticket)));
        // A quarantined ticket was served, so its number is no gap.
        JsonNode ticketId = ticket.path("ticketId");
        if (ticketId.canConvertToLong() || ticketId.asText().matches("\\d{1,18}")) {
          gaps.add(List.of(ticketId.asLong()));
        }
        continue;
      }
      records.add(result.record());
      Instant start = result.record().startedAt();
      if (latestStart == null || start.isAfter(latestStart)) {
        latestStart = start;
      }
    }
    Spool.StoreResult stored = spool.store(records, quarantined, forgetBefore);
    board.addRecordsRead(stored.newRecords());
    gaps.add(stored.newTicketIds());
    if (stored.newQuarantined() > 0) {
      board.raise(ErrorCode.NAT_AGT_010, stored.newQuarantined() + " record(s) from PBX "
          + pbx.id() + " quarantined; first reason: " + firstReason(quarantined));
    }
    return new PageOutcome(stored.newRecords(), stored.newQuarantined(), latestStart);
  }

  private JsonNode fetchWithRetries(Instant since) throws AgentException, InterruptedException {
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
   * Decides which PBX failures are worth retrying within the poll: a timeout, a cut connection
   * or a 429/5xx may pass in seconds; a rejected password, a missing service or an untrusted
   * certificate will not, and only the admin can fix them.
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

  private static String firstReason(List<QuarantineEntry> quarantined) {
    return quarantined.isEmpty() ? "(already quarantined)" : quarantined.get(0).reason();
  }

  private static Duration min(Duration a, Duration b) {
    return a.compareTo(b) <= 0 ? a : b;
  }
}
