package io.natalia.oxo.bench;

import io.natalia.oxo.server.Account;
import io.natalia.oxo.server.OxoSimulator;
import io.natalia.oxo.tls.PinnedTls;
import java.io.IOException;
import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * Measures how fast the simulator serves a large backlog: writes {@code tickets} tickets into
 * the buffer, then one client on loopback pages through all of them over HTTPS, as an agent
 * catching up would, and prints one table row per page cap.
 *
 * <p>Columns: tickets written into the buffer per second at start; records served per second
 * of wall time, per second of the whole process's CPU (client included) and per second of
 * the server threads' CPU; body megabytes per second; pages read; heap used in MB after a
 * full GC once the buffer is filled (heap-1) and once it is served (heap-2).
 */
public final class ServeBenchmark {
  private static final Instant FIRST_CALL = Instant.parse("2026-01-01T00:00:00Z");
  private static final byte[] RECORD_START = "{\"ticketId\":".getBytes(StandardCharsets.UTF_8);
  private static final byte[] START_TIME = "\"startTime\":\"".getBytes(StandardCharsets.UTF_8);

  private ServeBenchmark() {}

  /** Runs one measurement per page cap and prints the table to {@code out}. */
  public static void run(int tickets, List<Integer> pageCaps, PrintWriter out)
      throws IOException, InterruptedException {
    if (tickets < 1 || tickets > 20_000_000) {
      throw new IllegalArgumentException("tickets must be between 1 and 20000000: " + tickets);
    }
    out.printf("%-10s %-9s %-10s %-11s %-13s %-16s %-7s %-7s %-7s %-7s%n", "tickets",
        "page cap", "written/s", "records/s", "records/CPU-s", "records/server-s", "MB/s",
        "pages", "heap-1", "heap-2");
    for (int pageCap : pageCaps) {
      out.println(measure(tickets, pageCap).format());
      out.flush();
    }
  }

  public static void main(String[] args) throws Exception {
    int tickets = args.length > 0 ? Integer.parseInt(args[0]) : 5_000_000;
    run(tickets, List.of(500, 5000), new PrintWriter(System.out, true, StandardCharsets.UTF_8));
  }

  private static Row measure(int tickets, int pageCap) throws IOException, InterruptedException {
    Path stateDir = Files.createTempDirectory("oxo-bench-");
    Account account = new Account(Account.COLLECTOR_LOGIN, "bench-password-0123456789", true);
    // Call k starts at FIRST_CALL + k s and is written 63 s later, so the backlog has calls
    // 0 to tickets - 1.
    Duration backlog = Duration.ofSeconds(tickets);
    Instant now = FIRST_CALL.plus(backlog).plusSeconds(63);
    long writeStarted = System.nanoTime();
    try (OxoSimulator pbx = OxoSimulator.builder()
        .stateDir(stateDir).zone(ZoneOffset.UTC)
        .traffic(new SteadyTraffic(ZoneOffset.UTC, Duration.ofSeconds(1)))
        .clock(InstantSource.fixed(now))
        .backlog(backlog).bufferCapacity(tickets).pageCap(pageCap).account(account).start()) {
      double writeSeconds = (System.nanoTime() - writeStarted) / 1e9;
      long heapFilled = heapAfterGc();
      Client client = new Client(pbx, account);
      long started = System.nanoTime();
      long cpuStarted = processCpuNanos();
      long serverCpuStarted = serverThreadsCpuNanos();
      client.readAll();
      double serveSeconds = (System.nanoTime() - started) / 1e9;
      double serveCpuSeconds = (processCpuNanos() - cpuStarted) / 1e9;
      double serverCpuSeconds = (serverThreadsCpuNanos() - serverCpuStarted) / 1e9;
      if (client.records != tickets) {
        throw new IllegalStateException("served " + client.records + " records, expected "
            + tickets);
      }
      return new Row(tickets, pageCap, tickets / writeSeconds, tickets / serveSeconds,
          tickets / serveCpuSeconds, tickets / serverCpuSeconds,
          client.bytes / serveSeconds / 1e6, client.pages, heapFilled, heapAfterGc());
    } finally {
      deleteTree(stateDir);
    }
  }

  private static long heapAfterGc() {
    System.gc();
    return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
  }

  private static void deleteTree(Path root) throws IOException {
    try (Stream<Path> paths = Files.walk(root)) {
      for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(path);
      }
    }
  }

  /** Returns the CPU time of the whole process (server and client threads together). */
  private static long processCpuNanos() {
    return ((com.sun.management.OperatingSystemMXBean)
        ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
  }

  /**
   * Returns the CPU time of the server's threads alive now (Jetty runs its selectors and
   * handlers in its pool). A pool thread that ended during the run takes its time with it, so
   * this can only undercount, which makes the per-server-CPU rate an upper estimate.
   */
  private static long serverThreadsCpuNanos() {
    ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    long total = 0;
    for (ThreadInfo info : threads.getThreadInfo(threads.getAllThreadIds())) {
      if (info != null && info.getThreadName().startsWith("JettyServerThreadPool")) {
        total += Math.max(0, threads.getThreadCpuTime(info.getThreadId()));
      }
    }
    return total;
  }

  private record Row(int tickets, int pageCap, double writePerSecond, double recordsPerSecond,
      double recordsPerCpuSecond, double recordsPerServerCpuSecond, double megabytesPerSecond,
      long pages, long heapFilled, long heapServed) {
    String format() {
      return String.format("%-10d %-9d %-10.0f %-11.0f %-13.0f %-16.0f %-7.1f %-7d %-7d %-7d",
          tickets, pageCap, writePerSecond, recordsPerSecond, recordsPerCpuSecond,
          recordsPerServerCpuSecond, megabytesPerSecond, pages, heapFilled >> 20,
          heapServed >> 20);
    }
  }

  /** An agent-like client: pages with since = the last record's start + 1 s until empty. */
  private static final class Client {
    private final HttpClient http;
    private final URI base;
    private final String token;
    private long records;
    private long bytes;
    private long pages;

    Client(OxoSimulator pbx, Account account) throws IOException, InterruptedException {
      this.http = HttpClient.newBuilder().sslContext(PinnedTls.sslContext(pbx.certificate()))
          .version(HttpClient.Version.HTTP_1_1).build();
      this.base = pbx.baseUri();
      String basic = Base64.getEncoder().encodeToString((account.login() + ":"
          + account.password()).getBytes(StandardCharsets.UTF_8));
      HttpResponse<String> login = http.send(HttpRequest.newBuilder(
          base.resolve(OxoSimulator.LOGIN_PATH)).header("Authorization", "Basic " + basic)
          .POST(HttpRequest.BodyPublishers.noBody()).build(),
          HttpResponse.BodyHandlers.ofString());
      String body = login.body();
      int start = body.indexOf("\"token\":\"") + 9;
      this.token = body.substring(start, body.indexOf('"', start));
    }

    void readAll() throws IOException, InterruptedException {
      Instant since = FIRST_CALL.minusSeconds(1);
      while (true) {
        byte[] page = http.send(HttpRequest.newBuilder(base.resolve(
            OxoSimulator.RECORDS_PATH + "?since=" + since))
            .header("Authorization", "Bearer " + token)
            .header("Accept", "application/json").GET().build(),
            HttpResponse.BodyHandlers.ofByteArray()).body();
        int count = count(page, RECORD_START);
        if (count == 0) {
          return;
        }
        records += count;
        bytes += page.length;
        pages++;
        since = lastStart(page).plusSeconds(1);
      }
    }

    private static Instant lastStart(byte[] page) {
      int at = lastIndexOf(page, START_TIME) + START_TIME.length;
      String local = new String(page, at, 19, StandardCharsets.US_ASCII);
      return LocalDateTime.parse(local).toInstant(ZoneOffset.UTC);
    }

    private static int count(byte[] page, byte[] pattern) {
      int count = 0;
      for (int i = 0; i <= page.length - pattern.length; i++) {
        if (matches(page, i, pattern)) {
          count++;
          i += pattern.length - 1;
        }
      }
      return count;
    }

    private static int lastIndexOf(byte[] page, byte[] pattern) {
      for (int i = page.length - pattern.length; i >= 0; i--) {
        if (matches(page, i, pattern)) {
          return i;
        }
      }
      throw new IllegalStateException("page has no startTime");
    }

    private static boolean matches(byte[] page, int at, byte[] pattern) {
      for (int j = 0; j < pattern.length; j++) {
        if (page[at + j] != pattern[j]) {
          return false;
        }
      }
      return true;
    }
  }
}
