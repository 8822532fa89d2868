package io.natalia.cloud.web;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Deterministic PBX traffic for the dashboard tests, with its own count of calls (the truth
 * the pages are checked against), computed while generating and never read back from the
 * cloud.
 *
 * <p>Incoming calls ring hunt group G1 or an extension; some are transferred (two legs), some
 * missed; outgoing calls go to the same pool of numbers, so some missed calls get called back;
 * internal calls have no trunk or number. Three calls are placed on purpose: a transfer from
 * {@link #TRANSFERRED_NUMBER} today, a missed call from {@link #MISSED_TODAY_NUMBER} today and
 * a missed call from {@link #CALLED_BACK_NUMBER} three days ago, called back 20 minutes later.
 */
final class SampleTraffic {
  static final String TRANSFERRED_NUMBER = "0612345678";
  static final String MISSED_TODAY_NUMBER = "0698765432";
  static final String CALLED_BACK_NUMBER = "0611112222";
  private static final ObjectMapper JSON = new ObjectMapper();

  private final ZoneId zone;
  private final Random random = new Random(20260330L);
  private final List<ObjectNode> records = new ArrayList<>();
  private final List<String> numbers = new ArrayList<>();
  private long ticket = 1000;
  /** Stitched incoming calls per local day, answered and missed: the truth. */
  private final java.util.Map<LocalDate, long[]> incomingByDay = new java.util.TreeMap<>();

  SampleTraffic(ZoneId zone) {
    this.zone = zone;
    for (int i = 0; i < 60; i++) {
      numbers.add(String.format("06%08d", 10_000_000 + random.nextInt(89_999_999)));
    }
  }

  /** Generates the days {@code [today - days + 1, today]}, up to {@code nowLocal} today. */
  SampleTraffic generate(LocalDate today, int days, LocalDateTime nowLocal) {
    for (LocalDate day = today.minusDays(days - 1); !day.isAfter(today); day = day.plusDays(1)) {
      boolean weekend = day.getDayOfWeek() == DayOfWeek.SATURDAY
          || day.getDayOfWeek() == DayOfWeek.SUNDAY;
      int incoming = weekend ? 4 : 30 + random.nextInt(15);
      for (int i = 0; i < incoming; i++) {
        LocalDateTime at = day.atTime(8 + random.nextInt(10), random.nextInt(60),
            random.nextInt(60));
        if (at.isBefore(nowLocal.minusHours(1))) {
          incoming(at, pick(), random.nextInt(100));
        }
      }
      for (int i = 0; i < (weekend ? 1 : 12); i++) {
        LocalDateTime at = day.atTime(8 + random.nextInt(10), random.nextInt(60));
        if (at.isBefore(nowLocal.minusHours(1))) {
          outgoing(at, pick(), "11" + random.nextInt(5), random.nextInt(4) > 0);
        }
      }
      for (int i = 0; i < (weekend ? 0 : 4); i++) {
        LocalDateTime at = day.atTime(9 + random.nextInt(8), random.nextInt(60));
        if (at.isBefore(nowLocal.minusHours(1))) {
          internal(at);
        }
      }
    }
    placedOnPurpose(today, nowLocal);
    return this;
  }

  private void placedOnPurpose(LocalDate today, LocalDateTime nowLocal) {
    LocalDateTime transfer = today.atTime(9, 15);
    if (transfer.isBefore(nowLocal)) {
      leg("incoming", transfer, TRANSFERRED_NUMBER, "G1", "110", "V07", 5, 60, true);
      leg("incoming", transfer.plusSeconds(65), TRANSFERRED_NUMBER, "G1", "112", "V07", 4,
          120, true);
      count(transfer.toLocalDate(), true);
    }
    LocalDateTime missed = today.atTime(10, 0);
    if (missed.isBefore(nowLocal)) {
      leg("incoming", missed, MISSED_TODAY_NUMBER, "G1", null, "V08", 30, 0, false);
      count(today, false);
    }
    LocalDateTime earlier = today.minusDays(3).atTime(11, 0);
    leg("incoming", earlier, CALLED_BACK_NUMBER, "111", null, "V06", 25, 0, false);
    count(earlier.toLocalDate(), false);
    outgoing(earlier.plusMinutes(20), CALLED_BACK_NUMBER, "111", true);
  }

  private String pick() {
    return numbers.get(random.nextInt(numbers.size()));
  }

  private String trunk() {
    return random.nextInt(5) == 0 ? "P0" + (1 + random.nextInt(2))
        : "V0" + (1 + random.nextInt(5));
  }

  private void incoming(LocalDateTime at, String number, int dice) {
    String target = dice % 5 < 3 ? "G1" : "11" + random.nextInt(5);
    String trunk = trunk();
    if (dice < 15) {
      leg("incoming", at, number, target, null, trunk, 10 + random.nextInt(35), 0, false);
      count(at.toLocalDate(), false);
      return;
    }
    int ring = 2 + random.nextInt(25);
    int talk = 20 + random.nextInt(400);
    String answerer = target.startsWith("G") ? "11" + random.nextInt(4) : target;
    leg("incoming", at, number, target, answerer, trunk, ring, talk, true);
    if (dice < 25) {
      // A transfer: the next leg starts when the first ends.
      leg("incoming", at.plusSeconds(ring + talk), number, target, "114", trunk,
          3 + random.nextInt(5), 30 + random.nextInt(200), true);
    }
    count(at.toLocalDate(), true);
  }

  private void outgoing(LocalDateTime at, String number, String extension, boolean answered) {
    int talk = answered ? 15 + random.nextInt(300) : 0;
    // The PBX prints the caller as both initial and charged user of an outgoing ticket.
    ObjectNode record = leg("outgoing", at, number, extension, extension, trunk(), 0, talk,
        answered);
    int units = answered ? 1 + talk / 60 : 0;
    record.put("units", units);
    record.put("cost", new BigDecimal(units).multiply(new BigDecimal("0.12")).toPlainString());
    record.put("businessCode", random.nextBoolean() ? "PRJ-7" : "SALES");
  }

  private void internal(LocalDateTime at) {
    leg("internal", at, null, "11" + random.nextInt(5), "11" + random.nextInt(5), null,
        3, 40 + random.nextInt(100), true);
  }

  private ObjectNode leg(String direction, LocalDateTime local, String number, String target,
      String extension, String trunk, int ring, int talk, boolean answered) {
    Instant startedAt = local.atZone(zone).toInstant();
    long id = ++ticket;
    ObjectNode raw = JSON.createObjectNode();
    raw.put("ticketId", id);
    raw.put("type", direction);
    raw.put("startTime", local.toString());
    raw.put(direction.equals("outgoing") ? "dialledNumber" : "callingNumber", number);
    raw.put("line", trunk);
    ObjectNode record = JSON.createObjectNode();
    record.put("id", "t-" + id);
    record.put("pbxId", "oxo-main");
    record.put("ticketId", id);
    record.put("direction", direction);
    record.put("startedAt", startedAt.toString());
    record.put("ringSeconds", ring);
    record.put("talkSeconds", talk);
    record.put("answered", answered);
    if (extension != null) {
      record.put("extension", extension);
      record.put("extensionName", "Desk " + extension);
    }
    if (target != null) {
      record.put("initialTarget", target);
    }
    if (trunk != null) {
      record.put("trunk", trunk);
    }
    if (number != null) {
      record.put("externalNumber", number);
    }
    record.set("raw", raw);
    records.add(record);
    return record;
  }

  private void count(LocalDate day, boolean answered) {
    long[] counts = incomingByDay.computeIfAbsent(day, d -> new long[2]);
    counts[answered ? 0 : 1]++;
  }

  /** Returns incoming calls {answered, missed} of the local days {@code [first, last]}. */
  long[] incoming(LocalDate first, LocalDate last) {
    long[] total = new long[2];
    incomingByDay.forEach((day, counts) -> {
      if (!day.isBefore(first) && !day.isAfter(last)) {
        total[0] += counts[0];
        total[1] += counts[1];
      }
    });
    return total;
  }

  /** Returns ingest bodies of at most {@code size} records each. */
  List<ObjectNode> bodies(int size) {
    List<ObjectNode> bodies = new ArrayList<>();
    for (int from = 0; from < records.size(); from += size) {
      ObjectNode body = JSON.createObjectNode();
      ObjectNode agent = body.putObject("agent").put("version", "0.1.0").put("host", "agent-hq");
      agent.putObject("health").put("bufferUsedPercent", 3.2).put("errorCode", "NAT-AGT-018")
          .put("lagSeconds", 45).put("pendingRecords", 1234);
      body.putObject("pbx").put("id", "oxo-main").put("type", "OXO")
          .put("timeZone", zone.getId());
      ArrayNode array = body.putArray("records");
      records.subList(from, Math.min(records.size(), from + size)).forEach(array::add);
      bodies.add(body);
    }
    return bodies;
  }
}
