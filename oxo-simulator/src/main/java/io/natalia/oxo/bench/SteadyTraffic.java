package io.natalia.oxo.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.natalia.oxo.traffic.GeneratedTicket;
import io.natalia.oxo.traffic.TrafficSource;
import io.natalia.oxo.traffic.TruthCall;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;

/**
 * A plain, fast traffic source: one answered one-leg call starting every {@code interval}, at
 * whole multiples of it since the epoch, each lasting 63 s (ring plus talk). It has none of a
 * company's shape; the benchmark uses it to measure the server rather than a generator.
 */
public final class SteadyTraffic implements TrafficSource {
  private static final int CALL_SECONDS = 63;
  private static final DateTimeFormatter LOCAL = DateTimeFormatter.ofPattern(
      "uuuu-MM-dd'T'HH:mm:ss");
  private static final String[] NAMES = {"Accueil", "Zoë Dupré", "Łukasz Wójcik",
      "Γιώργος Παπαδόπουλος", "محمد العلي", "王芳", "Søren Ølgaard"};
  private static final String[] TYPES = {"incoming", "outgoing", "incoming", "internal"};

  private final ObjectMapper mapper = new ObjectMapper();
  private final ZoneId zone;
  private final long intervalSeconds;

  /** Creates a source of one call every {@code interval} (at least one second). */
  public SteadyTraffic(ZoneId zone, Duration interval) {
    if (interval.toSeconds() < 1) {
      throw new IllegalArgumentException("interval must be at least 1 s: " + interval);
    }
    this.zone = zone;
    this.intervalSeconds = interval.toSeconds();
  }

  @Override
  public Iterator<GeneratedTicket> ticketsWritten(Instant from, Instant to) {
    long first = ceilDiv(from.getEpochSecond() - CALL_SECONDS, intervalSeconds);
    long end = ceilDiv(to.getEpochSecond() - CALL_SECONDS, intervalSeconds);
    return new Iterator<>() {
      private long next = first;

      @Override
      public boolean hasNext() {
        return next < end;
      }

      @Override
      public GeneratedTicket next() {
        if (!hasNext()) {
          throw new NoSuchElementException();
        }
        return ticket(next++);
      }
    };
  }

  @Override
  public List<TruthCall> callsStarted(Instant from, Instant to) {
    List<TruthCall> calls = new ArrayList<>();
    for (long k = ceilDiv(from.getEpochSecond(), intervalSeconds);
        k * intervalSeconds < to.getEpochSecond(); k++) {
      calls.add(truth(k));
    }
    return calls;
  }

  private GeneratedTicket ticket(long k) {
    Instant start = Instant.ofEpochSecond(k * intervalSeconds);
    int ring = ring(k);
    String type = TYPES[(int) (k % TYPES.length)];
    String extension = Long.toString(110 + k % 30);
    ObjectNode fields = mapper.createObjectNode()
        .put("type", type)
        .put("initialUser", k % 5 == 0 ? "G1" : extension)
        .put("chargedUser", extension)
        .put("subscriberName", NAMES[(int) (k % NAMES.length)])
        .put("line", "internal".equals(type) ? "" : "V0" + (1 + k % 4))
        .put("startTime", LOCAL.format(start.atZone(zone)))
        .put("ringDuration", hms(ring))
        .put("duration", hms(CALL_SECONDS - ring));
    if (!"internal".equals(type)) {
      fields.put("incoming".equals(type) ? "callingNumber" : "dialledNumber", number(k));
    }
    fields.put("units", "outgoing".equals(type) ? 2 : 0)
        .put("cost", "outgoing".equals(type) ? "0.24" : "0.00")
        .put("businessCode", k % 7 == 0 ? "PRJ-7" : "");
    return new GeneratedTicket(callId(k), 0, start.plusSeconds(CALL_SECONDS), fields);
  }

  private TruthCall truth(long k) {
    Instant start = Instant.ofEpochSecond(k * intervalSeconds);
    String type = TYPES[(int) (k % TYPES.length)];
    String extension = Long.toString(110 + k % 30);
    boolean internal = "internal".equals(type);
    int ring = ring(k);
    BigDecimal cost = new BigDecimal("outgoing".equals(type) ? "0.24" : "0.00");
    return new TruthCall(callId(k), type, start, internal ? null : number(k),
        internal ? null : "V0" + (1 + k % 4), k % 5 == 0 ? "G1" : extension, true, ring,
        CALL_SECONDS - ring, cost, null,
        List.of(new TruthCall.Leg(extension, start, ring, CALL_SECONDS - ring, true)));
  }

  private static int ring(long k) {
    return 3 + (int) (k % 12);
  }

  private static String callId(long k) {
    return "steady-" + k;
  }

  private static String number(long k) {
    String digits = Long.toString(100_000_000L + k % 100_000_000L);
    return "06" + digits.substring(1);
  }

  /** Formats seconds below 100 hours as hh:mm:ss. */
  private static String hms(int seconds) {
    char[] text = {'0', '0', ':', '0', '0', ':', '0', '0'};
    int[] parts = {seconds / 3600, seconds / 60 % 60, seconds % 60};
    for (int i = 0; i < 3; i++) {
      text[i * 3] = (char) ('0' + parts[i] / 10);
      text[i * 3 + 1] = (char) ('0' + parts[i] % 10);
    }
    return new String(text);
  }

  private static long ceilDiv(long dividend, long divisor) {
    return -Math.floorDiv(-dividend, divisor);
  }
}
