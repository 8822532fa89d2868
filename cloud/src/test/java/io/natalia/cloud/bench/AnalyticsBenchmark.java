package io.natalia.cloud.bench;

import io.natalia.cloud.analytics.Analytics;
import io.natalia.cloud.analytics.AnalyticsFixture;
import io.natalia.cloud.analytics.Bucket;
import io.natalia.cloud.analytics.CallFilter;
import io.natalia.cloud.analytics.CostBy;
import io.natalia.cloud.analytics.TimeRange;
import io.natalia.cloud.analytics.TopBy;
import io.natalia.cloud.api.ApiServer;
import io.natalia.cloud.auth.Role;
import io.natalia.cloud.store.PostgresCpu;
import io.natalia.cloud.store.TestDatabase;
import io.natalia.cloud.tenant.Tenant;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import javax.net.ssl.SSLSocket;
import jdk.jfr.Configuration;
import jdk.jfr.Recording;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Dashboard query latency on a large tenant and the time of a 1 M-call CSV export over HTTPS.
 * Not part of the build (the class name does not end in Test); run it with
 *
 * <pre>
 * ./run-tests -pl cloud -am -Dtest=AnalyticsBenchmark -Dsurefire.failIfNoSpecifiedTests=false \
 *     -Dnatalia.benchmark.records=10000000
 * </pre>
 *
 * <p>It writes {@code records} tickets spread evenly over two years into {@code call_record}
 * with SQL (each also a one-leg call in {@code call}), then prints p50 / p95 of each query
 * over {@value #RUNS} runs after {@value #WARM_UPS} warm-ups, for the last 30 days and the
 * last 7 days. Prints a table; asserts nothing. {@code -Dnatalia.benchmark.queries=false} times
 * the export only; {@code -Dnatalia.benchmark.format=json} (or {@code parquet}) exports in
 * another format than CSV.
 */
class AnalyticsBenchmark {
  private static final ZoneId PARIS = ZoneId.of("Europe/Paris");
  private static final LocalDate FIRST = LocalDate.parse("2024-12-01");
  private static final LocalDate END = LocalDate.parse("2026-12-01");
  private static final int RUNS = 20;
  private static final int WARM_UPS = 3;
  private static final int EXPORT_RUNS = 3;

  @RegisterExtension static final TestDatabase db = new TestDatabase();

  @Test
  void run() throws Exception {
    long records = Long.getLong("natalia.benchmark.records", 1_000_000L);
    AnalyticsFixture fixture = new AnalyticsFixture(db.dataSource(), "Bench", PARIS,
        END.atStartOfDay(PARIS).toInstant());
    Tenant tenant = fixture.tenant();
    long loadStart = System.nanoTime();
    load(tenant.id(), records);
    System.out.printf("%nLoaded %,d tickets and calls in %.0f s%n", records,
        (System.nanoTime() - loadStart) / 1e9);

    if (Boolean.parseBoolean(System.getProperty("natalia.benchmark.queries", "true"))) {
      timeQueries(fixture, tenant);
    }
    export(fixture, records);
  }

  private static void timeQueries(AnalyticsFixture fixture, Tenant tenant) {
    Analytics analytics = fixture.analytics();
    List<String> lines = new ArrayList<>();
    for (int days : new int[] {30, 7}) {
      TimeRange range = TimeRange.ofDays(END.minusDays(days), END, PARIS);
      queries(analytics, tenant, range).forEach((name, query) -> {
        double[] millis = percentiles(query);
        lines.add(String.format("| %-34s | %4d d | %8.1f | %8.1f |", name, days, millis[0],
            millis[1]));
      });
    }
    System.out.println("\n| query | range | p50 ms | p95 ms |\n|---|---|---|---|");
    lines.forEach(System.out::println);
  }

  private static Map<String, Supplier<Object>> queries(Analytics analytics, Tenant tenant,
      TimeRange range) {
    CallFilter none = CallFilter.NONE;
    Map<String, Supplier<Object>> queries = new LinkedHashMap<>();
    queries.put("summary", () -> analytics.summary(tenant, range, none));
    queries.put("time series by day", () -> analytics.timeSeries(tenant, range, none,
        Bucket.DAY));
    queries.put("time series by hour", () -> analytics.timeSeries(tenant, range, none,
        Bucket.HOUR));
    queries.put("call log, first page", () -> analytics.calls(tenant, range, none, 0, 100));
    queries.put("call log, number ends with 42", () -> analytics.calls(tenant, range,
        new CallFilter(null, null, null, null, null, "42"), 0, 100));
    queries.put("missed calls, first page", () -> analytics.missed(tenant, range, none, false,
        0, 100));
    queries.put("unreturned calls, first page", () -> analytics.missed(tenant, range, none,
        true, 0, 100));
    queries.put("per extension", () -> analytics.byExtension(tenant, range));
    queries.put("per hunt group", () -> analytics.byHuntGroup(tenant, range));
    queries.put("per trunk (peak concurrency)", () -> analytics.byTrunk(tenant, range));
    queries.put("costs by extension", () -> analytics.costs(tenant, range, CostBy.EXTENSION));
    queries.put("top 10 longest", () -> analytics.top(tenant, range, none, TopBy.LONGEST, 10));
    queries.put("heatmap counts", () -> analytics.incomingPerQuarterHour(tenant, range));
    queries.put("time-to-answer histogram", () -> analytics.answeredPerTimeToAnswer(tenant,
        range));
    return queries;
  }

  /** Returns p50 and p95 in milliseconds (nearest rank). */
  private static double[] percentiles(Supplier<Object> query) {
    for (int i = 0; i < WARM_UPS; i++) {
      query.get();
    }
    double[] millis = new double[RUNS];
    for (int i = 0; i < RUNS; i++) {
      long start = System.nanoTime();
      query.get();
      millis[i] = (System.nanoTime() - start) / 1e6;
    }
    java.util.Arrays.sort(millis);
    return new double[] {millis[(int) Math.ceil(0.50 * RUNS) - 1],
        millis[(int) Math.ceil(0.95 * RUNS) - 1]};
  }

  /**
   * Exports the most recent days holding about a million calls over HTTPS, {@value
   * #EXPORT_RUNS} times in a row, and prints for each the lines and megabytes of the body, the
   * wall time and the CPU time of the JVM (server and client), of the client's thread and of
   * PostgreSQL. The first run also
   * compiles the code of the export, as the first export after a start does. {@code
   * -Dnatalia.benchmark.jfr=FILE} records a JFR profile of the last run.
   */
  private static void export(AnalyticsFixture fixture, long records) throws Exception {
    long days = Math.max(1, Math.round(1_000_000.0 * Duration.between(
        FIRST.atStartOfDay(PARIS), END.atStartOfDay(PARIS)).toDays() / records));
    String format = System.getProperty("natalia.benchmark.format", "csv");
    String query = "/api/v1/cdr/export?format=" + format + "&from=" + END.minusDays(days)
        + "&to=" + END;
    try (ApiServer api = new ApiServer(fixture)) {
      String token = api.token(Role.ANALYST);
      System.out.printf("%nExport as %s over HTTPS:%n", format);
      System.out.printf("%n| run | lines | MB | seconds | CPU s JVM | of which client"
          + " | CPU s PostgreSQL | heap MB after | load average |%n"
          + "|---|---|---|---|---|---|---|---|---|%n");
      for (int run = 1; run <= EXPORT_RUNS; run++) {
        String jfr = run == EXPORT_RUNS ? System.getProperty("natalia.benchmark.jfr") : null;
        exportOnce(api, query, token, run, jfr);
      }
    }
  }

  private static void exportOnce(ApiServer api, String query, String token, int run,
      String jfr) throws Exception {
    Runtime runtime = Runtime.getRuntime();
    System.gc();
    Recording recording = jfr == null ? null : profile();
    double[] cpuBefore = cpuSeconds();
    long start = System.nanoTime();
    long[] body = download(api, query, token);
    double seconds = (System.nanoTime() - start) / 1e9;
    double[] cpu = cpuSince(cpuBefore);
    long heapAfter = runtime.totalMemory() - runtime.freeMemory();
    if (recording != null) {
      recording.stop();
      recording.dump(Path.of(jfr));
      recording.close();
    }
    System.out.printf("| %d | %,d | %.1f | %.2f | %.2f | %.2f | %.2f | %d | %.1f |%n", run,
        body[1], body[0] / 1e6, seconds, cpu[0], cpu[1], cpu[2], heapAfter >> 20,
        ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
  }

  /**
   * GETs the export with HTTP/1.0 over TLS on this thread, so that the body ends with the
   * connection instead of being chunked, and reads it into a discarded buffer. The JDK's
   * HttpClient took a sixth to a quarter of the JVM's CPU time to hand the body over.
   *
   * @return the bytes and the lines of the body
   */
  private static long[] download(ApiServer api, String query, String token)
      throws IOException {
    try (SSLSocket socket = api.connect()) {
      OutputStream out = socket.getOutputStream();
      out.write(("GET " + query + " HTTP/1.0\r\nHost: 127.0.0.1\r\nAuthorization: Bearer "
          + token + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
      out.flush();
      InputStream in = socket.getInputStream();
      byte[] buffer = new byte[1 << 16];
      String head = readHead(in);
      if (!head.startsWith("HTTP/1.1 200") && !head.startsWith("HTTP/1.0 200")) {
        throw new IOException("the export failed: " + head);
      }
      long bytes = 0;
      long lines = 0;
      for (int n; (n = in.read(buffer)) > 0; ) {
        bytes += n;
        for (int i = 0; i < n; i++) {
          lines += buffer[i] == '\n' ? 1 : 0;
        }
      }
      return new long[] {bytes, lines};
    }
  }

  /** Reads the status line and headers, up to the empty line that ends them. */
  private static String readHead(InputStream in) throws IOException {
    StringBuilder head = new StringBuilder();
    while (!head.toString().endsWith("\r\n\r\n")) {
      int b = in.read();
      if (b < 0) {
        throw new IOException("the response ended in its headers: " + head);
      }
      head.append((char) b);
    }
    return head.toString();
  }

  private static Recording profile() throws Exception {
    Recording recording = new Recording(Configuration.getConfiguration("profile"));
    recording.start();
    return recording;
  }

  /**
   * Returns the CPU seconds used so far by this JVM, by this thread (the client) and by the
   * processes of the embedded PostgreSQL (Linux only: read from /proc).
   */
  private static double[] cpuSeconds() throws Exception {
    double jvm = ((com.sun.management.OperatingSystemMXBean)
        ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime() / 1e9;
    long clientNanos = ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime();
    return new double[] {jvm, clientNanos / 1e9, PostgresCpu.seconds(db.dataSource())};
  }

  private static double[] cpuSince(double[] before) throws Exception {
    double[] now = cpuSeconds();
    return new double[] {now[0] - before[0], now[1] - before[1], now[2] - before[2]};
  }

  private static void load(long tenantId, long records) throws SQLException {
    try (Connection connection = db.dataSource().getConnection();
        Statement statement = connection.createStatement()) {
      for (YearMonth month = YearMonth.from(FIRST).minusMonths(1);
          !month.isAfter(YearMonth.from(END));
          month = month.plusMonths(1)) {
        for (String table : new String[] {"call_record", "call"}) {
          statement.execute("SELECT natalia_ensure_month_partition('" + table + "', DATE '"
              + month.atDay(1) + "')");
        }
      }
      long span = Duration.between(FIRST.atStartOfDay(PARIS), END.atStartOfDay(PARIS))
          .toSeconds();
      Instant first = FIRST.atStartOfDay(PARIS).toInstant();
      // The bulk way of migration V90: rows without the per-statement triggers, then the sums
      // and first returns rebuilt once, with statistics in place.
      statement.execute("ALTER TABLE call_record DISABLE TRIGGER USER");
      statement.execute("ALTER TABLE call DISABLE TRIGGER USER");
      try (PreparedStatement insert = connection.prepareStatement(TICKETS)) {
        insert.setLong(1, tenantId);
        insert.setString(2, first.toString());
        insert.setDouble(3, (double) span / records);
        insert.setLong(4, records);
        insert.executeUpdate();
      }
      try (PreparedStatement insert = connection.prepareStatement(CALLS)) {
        insert.setLong(1, tenantId);
        insert.executeUpdate();
      }
      statement.execute("ALTER TABLE call_record ENABLE TRIGGER USER");
      statement.execute("ALTER TABLE call ENABLE TRIGGER USER");
      statement.execute("ANALYZE call_record");
      statement.execute("ANALYZE call");
      statement.execute("SELECT natalia_call_record_rollup_rebuild(" + tenantId + "),"
          + " natalia_call_rollup_rebuild(" + tenantId + "),"
          + " natalia_trunk_rollup_rebuild(" + tenantId + ")");
      // As autovacuum would after a bulk insert: statistics, and the visibility map that lets
      // the covering indexes answer without reading the table.
      statement.execute("VACUUM ANALYZE call_record");
      statement.execute("VACUUM ANALYZE call");
    }
  }

  /** Synthetic tickets: 60 % incoming (20 % of them missed), 30 % outgoing, 10 % internal. */
  private static final String TICKETS = """
      INSERT INTO call_record (tenant_id, id, pbx_id, ticket_id, direction, started_at,
        ended_at, ring_seconds, talk_seconds, answered, extension, extension_name,
        initial_target, trunk, number_pseudonym, number_last4, units, cost, business_code,
        batch_id)
      SELECT ?, 'r' || i, 'oxo-main', i, dir, st, st + (ring + talk) * interval '1 second',
        ring, talk, talk > 0, ext, 'User ' || ext,
        CASE WHEN dir = 'incoming' AND r % 5 < 2 THEN 'G' || (1 + i % 5) ELSE ext END,
        CASE WHEN dir <> 'internal' THEN 'V0' || (1 + i % 8) END,
        CASE WHEN dir <> 'internal' THEN md5(caller::text) END,
        CASE WHEN dir <> 'internal' THEN lpad((caller % 10000)::text, 4, '0') END,
        CASE WHEN dir = 'outgoing' THEN talk / 60 END,
        CASE WHEN dir = 'outgoing' THEN round(talk * 0.002, 2) END,
        CASE WHEN i % 20 = 0 THEN 'PRJ-' || (i % 7) END, 0
      FROM (
        SELECT i, st, r, caller, ext, dir,
          5 + r % 25 AS ring,
          CASE WHEN dir = 'incoming' AND r % 100 < 20 THEN 0 ELSE 20 + (r * 7) % 400 END AS talk
        FROM (
          SELECT i, ?::timestamptz + (i * ?) * interval '1 second' AS st,
            (i * 7919) % 1000 AS r, (i * 7) % 300000 AS caller, (100 + (i * 31) % 200)::text
            AS ext,
            CASE WHEN i % 10 < 6 THEN 'incoming' WHEN i % 10 < 9 THEN 'outgoing'
                 ELSE 'internal' END AS dir
          FROM generate_series(1, ?) i
        ) a
      ) b
      """;

  private static final String CALLS = """
      INSERT INTO call (tenant_id, id, pbx_id, direction, started_at, ended_at, answered,
        time_to_answer_seconds, ring_seconds, talk_seconds, cost, number_pseudonym,
        number_last4, trunk, initial_target, answering_extension, leg_count, leg_ids)
      SELECT tenant_id, id, pbx_id, direction, started_at, ended_at, answered,
        CASE WHEN answered THEN ring_seconds END, ring_seconds, talk_seconds, cost,
        number_pseudonym, number_last4, trunk, initial_target,
        CASE WHEN answered THEN extension END, 1, ARRAY[id]
      FROM call_record WHERE tenant_id = ?
      """;
}
