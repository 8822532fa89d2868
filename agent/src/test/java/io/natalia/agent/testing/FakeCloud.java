package io.natalia.agent.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import io.natalia.cdr.IngestResponse;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import java.util.zip.GZIPInputStream;

/**
 * A recording cloud over HTTPS: counts every record id it receives on {@code POST /ingest/cdr}
 * and answers 202 with the ingest counts, unless a scripted answer comes first (429 with
 * Retry-After, 5xx, 401, 413) or a record matches the reject rule.
 *
 * <p>A cloud made by {@link #counting} keeps no request: it streams each body through a
 * {@link RecordTally} and answers 202 with the counts, so benchmarks can send millions of
 * records into a small heap. Scripts, the reject rule and the record limit do not apply to it.
 */
public final class FakeCloud implements AutoCloseable {
  public static final String API_KEY = "nat_agent_key_0123456789abcdef";

  private static final ObjectMapper JSON = new ObjectMapper();

  private final HttpsServer server;
  private final TestTls tls;
  private final Map<String, AtomicInteger> received = new ConcurrentHashMap<>();
  private final Map<Long, Boolean> ticketIds = new ConcurrentHashMap<>();
  private final Map<Long, Instant> startsByTicketId = new ConcurrentHashMap<>();
  private final List<Integer> batchSizes = new CopyOnWriteArrayList<>();
  private final List<JsonNode> envelopes = new CopyOnWriteArrayList<>();
  private final Deque<Scripted> scripted = new ArrayDeque<>();
  private volatile Predicate<JsonNode> rejectRule = record -> false;
  private volatile int maxRecordsPerRequest = Integer.MAX_VALUE;
  private volatile boolean refuseKey;
  private volatile boolean down;
  private final RecordTally tally;

  /** A scripted response. */
  public record Scripted(int status, String retryAfter) {}

  public FakeCloud(TestTls tls) throws IOException {
    this(tls, null);
  }

  private FakeCloud(TestTls tls, RecordTally tally) throws IOException {
    this.tls = tls;
    this.tally = tally;
    server = HttpsServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.setHttpsConfigurator(new HttpsConfigurator(tls.serverContext()));
    server.createContext("/ingest/cdr", this::ingest);
    server.setExecutor(Executors.newFixedThreadPool(2));
    server.start();
  }

  /** Returns a cloud that only counts record ids into {@code tally}. */
  public static FakeCloud counting(TestTls tls, RecordTally tally) throws IOException {
    return new FakeCloud(tls, tally);
  }

  public String url() {
    return "https://127.0.0.1:" + server.getAddress().getPort();
  }

  /** Returns the SHA-256 fingerprint of the certificate this cloud presents. */
  public String fingerprint() {
    return tls.fingerprint();
  }

  public synchronized void script(int status, String retryAfter) {
    scripted.add(new Scripted(status, retryAfter));
  }

  public void rejectWhen(Predicate<JsonNode> rule) {
    rejectRule = rule;
  }

  /** Responds with 413 to requests with more records than this. */
  public void maxRecordsPerRequest(int max) {
    maxRecordsPerRequest = max;
  }

  /** Answers 503 with {@code Retry-After: 1} to every request while set. */
  public void down(boolean isDown) {
    down = isDown;
  }

  /** Answers 401 to every request while set. */
  public void refuseKey(boolean refuse) {
    refuseKey = refuse;
  }

  /** Returns how many times each record id arrived. */
  public Map<String, Integer> receivedCounts() {
    Map<String, Integer> counts = new java.util.HashMap<>();
    received.forEach((id, count) -> counts.put(id, count.get()));
    return counts;
  }

  /** Returns the PBX ticket numbers of the records received. */
  public java.util.Set<Long> ticketIds() {
    return java.util.Set.copyOf(ticketIds.keySet());
  }

  /** Returns the start time (UTC) of each record received, by PBX ticket number. */
  public Map<Long, Instant> startsByTicketId() {
    return Map.copyOf(startsByTicketId);
  }

  public int distinctRecords() {
    return received.size();
  }

  public List<Integer> batchSizes() {
    return List.copyOf(batchSizes);
  }

  public List<JsonNode> envelopes() {
    return List.copyOf(envelopes);
  }

  @Override
  public void close() {
    server.stop(0);
    ((java.util.concurrent.ExecutorService) server.getExecutor()).shutdownNow();
  }

  private void ingest(HttpExchange exchange) throws IOException {
    try (exchange) {
      String authorization = exchange.getRequestHeaders().getFirst("Authorization");
      if (tally != null && ("Bearer " + API_KEY).equals(authorization)) {
        count(exchange);
        return;
      }
      byte[] body = readBody(exchange);
      if (refuseKey || !("Bearer " + API_KEY).equals(authorization)) {
        send(exchange, 401, "{\"code\":\"NAT-API-001\",\"message\":\"invalid API key\"}", null);
        return;
      }
      if (down) {
        send(exchange, 503, "{\"error\":\"down\"}", "1");
        return;
      }
      Scripted next;
      synchronized (this) {
        next = scripted.poll();
      }
      if (next != null) {
        send(exchange, next.status(), "{\"error\":\"scripted\"}", next.retryAfter());
        return;
      }
      JsonNode envelope = JSON.readTree(body);
      JsonNode records = envelope.path("records");
      if (records.size() > maxRecordsPerRequest) {
        send(exchange, 413, "{\"error\":\"too many records\"}", null);
        return;
      }
      envelopes.add(((ObjectNode) envelope.deepCopy()).without("records"));
      send(exchange, 202, account(records).toString(), null);
    }
  }

  private void count(HttpExchange exchange) throws IOException {
    RecordTally.Counts counts;
    try (InputStream body = bodyStream(exchange)) {
      counts = tally.count(body);
    } catch (IOException e) {
      send(exchange, 400, JSON.createObjectNode().put("error", e.getMessage()).toString(), null);
      return;
    }
    IngestResponse response = new IngestResponse(counts.ingested(), counts.duplicates(),
        List.of());
    send(exchange, 202, JSON.writeValueAsString(response), null);
  }

  private ObjectNode account(JsonNode records) {
    int ingested = 0;
    int duplicates = 0;
    ArrayNode rejected = JSON.createArrayNode();
    for (int i = 0; i < records.size(); i++) {
      JsonNode record = records.get(i);
      if (rejectRule.test(record)) {
        rejected.addObject().put("index", i).put("code", "NAT-API-010")
            .put("reason", "record rejected by the test's rule");
        continue;
      }
      AtomicInteger count = received.computeIfAbsent(record.path("id").asText(),
          id -> new AtomicInteger());
      if (record.has("ticketId")) {
        ticketIds.put(record.get("ticketId").asLong(), true);
        startsByTicketId.put(record.get("ticketId").asLong(),
            Instant.parse(record.path("startedAt").asText()));
      }
      if (count.incrementAndGet() == 1) {
        ingested++;
      } else {
        duplicates++;
      }
    }
    batchSizes.add(records.size());
    ObjectNode answer = JSON.createObjectNode();
    answer.put("ingested", ingested).put("duplicates", duplicates).set("rejected", rejected);
    return answer;
  }

  private static byte[] readBody(HttpExchange exchange) throws IOException {
    try (InputStream in = bodyStream(exchange)) {
      return in.readAllBytes();
    }
  }

  private static InputStream bodyStream(HttpExchange exchange) throws IOException {
    InputStream in = exchange.getRequestBody();
    if ("gzip".equalsIgnoreCase(exchange.getRequestHeaders().getFirst("Content-Encoding"))) {
      in = new GZIPInputStream(in, 64 * 1024);
    }
    return in;
  }

  private static void send(HttpExchange exchange, int status, String body, String retryAfter)
      throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", "application/json");
    if (retryAfter != null) {
      exchange.getResponseHeaders().set("Retry-After", retryAfter);
    }
    exchange.sendResponseHeaders(status, bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }
}
