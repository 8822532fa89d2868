package io.natalia.agent.testing;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A scripted OXO over HTTPS (MockWebServer style). It serves the tickets it contains with
 * {@code startTime >= since} (inclusive), sorted by start time and ticket id, at most
 * {@link #pageCap} per response, and never drops any (unlike the OXO, see the simulator tests).
 * It records every request and sends scripted statuses first.
 */
public final class FakePbx implements AutoCloseable {
  public static final String LOGIN = "natalia-collector";
  public static final String PASSWORD = "pbx-secret-Passw0rd!-long-enough";

  private static final ObjectMapper JSON = new ObjectMapper();

  private final HttpsServer server;
  private final ZoneId zone;
  private final List<ObjectNode> tickets = new CopyOnWriteArrayList<>();
  private final List<Recorded> requests = new CopyOnWriteArrayList<>();
  private final Deque<Integer> scriptedRecordStatuses = new ArrayDeque<>();
  private final Set<String> validTokens = new HashSet<>();
  private final AtomicInteger tokenCounter = new AtomicInteger();
  private volatile int pageCap = 1000;
  private volatile long expiresInSeconds = 3600;
  private volatile long nextTicketId = 1;
  private volatile long delayMillis;

  /** One request as the PBX saw it. */
  public record Recorded(String method, String path, String query, String authorization) {}

  public FakePbx(TestTls tls, ZoneId zone) throws IOException {
    this.zone = zone;
    server = HttpsServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.setHttpsConfigurator(new HttpsConfigurator(tls.serverContext()));
    server.createContext("/", this::handle);
    server.setExecutor(Executors.newFixedThreadPool(4));
    server.start();
  }

  public int port() {
    return server.getAddress().getPort();
  }

  public FakePbx pageCap(int cap) {
    pageCap = cap;
    return this;
  }

  /** Delays every records response, as a slow PBX does. */
  public FakePbx delayMillis(long millis) {
    delayMillis = millis;
    return this;
  }

  public FakePbx expiresIn(long seconds) {
    expiresInSeconds = seconds;
    return this;
  }

  /** Adds a ticket; a {@code ticketId} is assigned unless the ticket has one. */
  public synchronized ObjectNode add(ObjectNode ticket) {
    if (!ticket.has("ticketId")) {
      ticket.put("ticketId", nextTicketId++);
    } else {
      nextTicketId = Math.max(nextTicketId, ticket.get("ticketId").asLong() + 1);
    }
    tickets.add(ticket);
    return ticket;
  }

  /** Skips ticket numbers, as a PBX whose buffer was full. */
  public synchronized void skipTicketIds(int count) {
    nextTicketId += count;
  }

  /** Responds to the next record requests with these statuses, in order. */
  public synchronized void scriptRecordStatuses(Integer... statuses) {
    scriptedRecordStatuses.addAll(List.of(statuses));
  }

  /** Makes every issued token invalid, as a PBX that restarted its session store. */
  public synchronized void revokeTokens() {
    validTokens.clear();
  }

  public List<Recorded> requests() {
    return List.copyOf(requests);
  }

  public long logins() {
    return requests.stream().filter(r -> r.path().endsWith("/login")).count();
  }

  /** Returns a typical ticket starting at this local time. */
  public static ObjectNode ticket(String localStart, String chargedUser) {
    ObjectNode ticket = JSON.createObjectNode();
    ticket.put("type", "incoming");
    ticket.put("initialUser", "G1");
    ticket.put("chargedUser", chargedUser);
    ticket.put("subscriberName", "Accueil");
    ticket.put("line", "V05");
    ticket.put("startTime", localStart);
    ticket.put("ringDuration", "00:00:14");
    ticket.put("duration", "00:02:40");
    ticket.put("callingNumber", "0612345678");
    ticket.put("units", 0);
    ticket.put("cost", "0.00");
    return ticket;
  }

  @Override
  public void close() {
    server.stop(0);
    ((java.util.concurrent.ExecutorService) server.getExecutor()).shutdownNow();
  }

  private void handle(HttpExchange exchange) throws IOException {
    String path = exchange.getRequestURI().getPath();
    String query = exchange.getRequestURI().getRawQuery();
    String authorization = exchange.getRequestHeaders().getFirst("Authorization");
    requests.add(new Recorded(exchange.getRequestMethod(), path, query, authorization));
    try (exchange) {
      if (path.equals("/api/oxo/authentication/v1.0/login")
          && exchange.getRequestMethod().equals("POST")) {
        login(exchange, authorization);
      } else if (path.equals("/api/oxo/cdr/v1.0/records")) {
        records(exchange, authorization, query);
      } else {
        send(exchange, 404, "{\"error\":\"not found\"}");
      }
    }
  }

  private void login(HttpExchange exchange, String authorization) throws IOException {
    String expected = "Basic " + Base64.getEncoder().encodeToString(
        (LOGIN + ":" + PASSWORD).getBytes(StandardCharsets.UTF_8));
    if (!expected.equals(authorization)) {
      send(exchange, 401, "{\"error\":\"invalid credentials\"}");
      return;
    }
    String token = "jwt-" + tokenCounter.incrementAndGet() + "-opaque";
    synchronized (this) {
      validTokens.add(token);
    }
    send(exchange, 200, "{\"token\":\"" + token + "\",\"expires_in\":" + expiresInSeconds + "}");
  }

  private void records(HttpExchange exchange, String authorization, String query)
      throws IOException {
    Integer scripted;
    synchronized (this) {
      scripted = scriptedRecordStatuses.poll();
      if (scripted == null && (authorization == null
          || !validTokens.contains(authorization.replace("Bearer ", "")))) {
        scripted = 401;
      }
    }
    if (scripted != null) {
      send(exchange, scripted, "{\"error\":\"scripted " + scripted + "\"}");
      return;
    }
    if (delayMillis > 0) {
      try {
        Thread.sleep(delayMillis);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    Instant since = Instant.parse(URLDecoder.decode(query.replace("since=", ""),
        StandardCharsets.UTF_8));
    List<ObjectNode> page = new ArrayList<>();
    for (ObjectNode ticket : tickets) {
      if (!startOf(ticket).isBefore(since)) {
        page.add(ticket);
      }
    }
    page.sort(Comparator.comparing(this::startOf)
        .thenComparing(t -> t.path("ticketId").asLong()));
    ArrayNode body = JSON.createArrayNode();
    page.stream().limit(pageCap).forEach(body::add);
    send(exchange, 200, body.toString());
  }

  private Instant startOf(ObjectNode ticket) {
    String text = ticket.path("startTime").asText();
    try {
      return ZonedDateTime.ofLocal(LocalDateTime.parse(text), zone, null).toInstant();
    } catch (RuntimeException e) {
      return Instant.MAX;
    }
  }

  private static void send(HttpExchange exchange, int status, String body) throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", "application/json");
    exchange.sendResponseHeaders(status, bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }
}
