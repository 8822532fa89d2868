package io.natalia.cloud.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.natalia.cdr.CallRecord;
import io.natalia.cdr.Direction;
import io.natalia.cloud.service.CloudFixture;
import io.natalia.cloud.service.Records;
import io.natalia.cloud.store.PostgresCpu;
import io.natalia.cloud.tenant.Tenant;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.math.BigDecimal;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.postgresql.PGConnection;

/**
 * Loads records through {@code POST /ingest/cdr} and then {@code COPY}s the same rows into the
 * same table, printing both rates and their ratio. Not part of the build (its name does not
 * end in Test); run it with
 * {@code ./run-tests -pl cloud -am -Dtest=IngestBenchmark -Dsurefire.failIfNoSpecifiedTests=false
 * -Dnatalia.benchmark.records=1000000}.
 */
class IngestBenchmark {
  /** The stitcher waits until the load is over, so that it is measured on its own. */
  @RegisterExtension
  static final CloudFixture cloud = new CloudFixture(
      IngestSettings.defaults().withRate(10_000, 10_000), Duration.ofHours(1));

  private static final int RECORDS = Integer.getInteger("natalia.benchmark.records", 100_000);
  private static final int BATCH = Integer.getInteger("natalia.benchmark.batch", 5_000);
  private static final int AGENTS = Integer.getInteger("natalia.benchmark.agents", 4);
  private static final Instant FIRST = Instant.parse("2026-03-01T07:00:00Z");
  private static final String COLUMNS = "id, pbx_id, ticket_id, direction, started_at,"
      + " ended_at, ring_seconds, talk_seconds, answered, extension, extension_name,"
      + " initial_target, trunk, number_pseudonym, number_last4, number_cipher, units, cost,"
      + " business_code, raw, received_at, batch_id";

  @Test
  void ingestAgainstCopy() throws Exception {
    Tenant viaIngest = cloud.newTenant();
    Tenant viaCopy = cloud.newTenant();
    List<String> keys = new ArrayList<>();
    for (int agent = 0; agent < AGENTS; agent++) {
      keys.add(cloud.newAgentKey(viaIngest));
    }
    List<byte[]> bodies = bodies();

    double[] cpuBefore = cpuSeconds();
    double ingestSeconds = ingest(bodies, keys);
    double[] ingestCpu = cpuSince(cpuBefore);
    long stored = count(viaIngest);
    Path dump = Files.createTempFile(Path.of(System.getProperty("java.io.tmpdir")), "rows",
        ".copy");
    System.out.printf("ingest: %d records in %.1f s%n", RECORDS, ingestSeconds);
    long stitchStarted = System.nanoTime();
    cpuBefore = cpuSeconds();
    cloud.service().stitcher().stitchPending();
    double stitchSeconds = Duration.ofNanos(System.nanoTime() - stitchStarted).toMillis() / 1e3;
    double[] stitchCpu = cpuSince(cpuBefore);
    dumpRows(viaIngest, viaCopy, dump);
    cpuBefore = cpuSeconds();
    double copySeconds = copy(dump, viaCopy);
    double[] copyCpu = cpuSince(cpuBefore);
    Files.delete(dump);

    assertThat(stored).isEqualTo(RECORDS);
    assertThat(count(viaCopy)).isEqualTo(RECORDS);
    double ingestRate = RECORDS / ingestSeconds;
    double copyRate = RECORDS / copySeconds;
    System.out.printf("%n| path | records | seconds | records/s | CPU s Java | CPU s PostgreSQL"
        + " | CPU ms per 1000 records |%n|---|---|---|---|---|---|---|%n");
    row(String.format("POST /ingest/cdr (%d agents, batches of %d, gzip)", AGENTS, BATCH),
        ingestSeconds, ingestCpu);
    row("COPY into call_record", copySeconds, copyCpu);
    row("stitching the ingested records into calls", stitchSeconds, stitchCpu);
    System.out.printf("ingest / COPY = %.2f (goal >= 0.50); load average %.1f%n%n",
        ingestRate / copyRate, ManagementFactory.getOperatingSystemMXBean()
            .getSystemLoadAverage());
  }

  private static void row(String path, double seconds, double[] cpu) {
    System.out.printf("| %s | %d | %.1f | %.0f | %.1f | %.1f | %.0f |%n", path, RECORDS,
        seconds, RECORDS / seconds, cpu[0], cpu[1], (cpu[0] + cpu[1]) * 1e6 / RECORDS);
  }

  /**
   * Returns the CPU seconds used so far by this JVM (the cloud and the agents posting to it)
   * and by the processes of the embedded PostgreSQL (Linux only: read from /proc).
   */
  private static double[] cpuSeconds() throws Exception {
    double javaSeconds = ((com.sun.management.OperatingSystemMXBean)
        ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime() / 1e9;
    return new double[] {javaSeconds, PostgresCpu.seconds(cloud.dataSource())};
  }

  private static double[] cpuSince(double[] before) throws Exception {
    double[] now = cpuSeconds();
    return new double[] {now[0] - before[0], now[1] - before[1]};
  }

  private static List<byte[]> bodies() {
    Random random = new Random(42);
    List<byte[]> bodies = new ArrayList<>();
    List<CallRecord> batch = new ArrayList<>(BATCH);
    for (int n = 0; n < RECORDS; n++) {
      batch.add(record(n, random));
      if (batch.size() == BATCH || n == RECORDS - 1) {
        bodies.add(Records.gzip(Records.bodyOf(batch)));
        batch.clear();
      }
    }
    return bodies;
  }

  /** Builds a ticket as an OXO writes it: about 20 raw fields, numbers from a pool. */
  private static CallRecord record(int n, Random random) {
    Instant start = FIRST.plusSeconds(n * 3L);
    boolean incoming = random.nextInt(3) > 0;
    int ring = random.nextInt(40);
    int talk = random.nextInt(5) == 0 ? 0 : random.nextInt(900);
    String extension = Integer.toString(100 + random.nextInt(60));
    String number = String.format("06%08d", random.nextInt(50_000));
    String trunk = String.format("V%02d", 1 + random.nextInt(8));
    ObjectNode raw = JsonNodeFactory.instance.objectNode();
    raw.put("ticketId", n);
    raw.put("type", incoming ? "incoming" : "outgoing");
    raw.put("initialUser", incoming ? "G1" : extension);
    raw.put("chargedUser", extension);
    raw.put("subscriberName", "Poste " + extension);
    raw.put("line", trunk);
    raw.put("startTime", start.toString().substring(0, 19));
    raw.put("ringDuration", String.format("00:00:%02d", ring));
    raw.put("duration", String.format("00:%02d:%02d", talk / 60, talk % 60));
    raw.put(incoming ? "callingNumber" : "dialledNumber", number);
    raw.put("units", talk / 60);
    raw.put("cost", String.format("%d.%02d", talk / 300, talk % 100));
    raw.put("businessCode", "");
    return new CallRecord(String.format("bench-%08d", n), "oxo-main", (long) n,
        incoming ? Direction.INCOMING : Direction.OUTGOING, start, ring, talk, talk > 0,
        extension, "Poste " + extension, incoming ? "G1" : extension, trunk, number, talk / 60,
        new BigDecimal(String.format("%d.%02d", talk / 300, talk % 100)), null, raw);
  }

  private static double ingest(List<byte[]> bodies, List<String> keys) throws Exception {
    AtomicInteger next = new AtomicInteger();
    AtomicLong accepted = new AtomicLong();
    ExecutorService agents = Executors.newFixedThreadPool(keys.size());
    long started = System.nanoTime();
    try {
      List<Future<?>> running = new ArrayList<>();
      for (String key : keys) {
        running.add(agents.submit(() -> {
          for (int i = next.getAndIncrement(); i < bodies.size(); i = next.getAndIncrement()) {
            HttpResponse<String> answer = cloud.postIngest(key, bodies.get(i),
                Map.of("Content-Encoding", "gzip"));
            assertThat(answer.statusCode()).as(answer.body()).isEqualTo(202);
            accepted.incrementAndGet();
          }
          return null;
        }));
      }
      for (Future<?> agent : running) {
        agent.get();
      }
    } finally {
      agents.shutdownNow();
    }
    return Duration.ofNanos(System.nanoTime() - started).toMillis() / 1000.0;
  }

  /** Writes the rows of tenant {@code from} as COPY text, as rows of tenant {@code to}. */
  private static void dumpRows(Tenant from, Tenant to, Path file) throws Exception {
    try (Connection c = cloud.dataSource().getConnection();
        OutputStream out = new BufferedOutputStream(Files.newOutputStream(file), 1 << 16)) {
      c.unwrap(PGConnection.class).getCopyAPI().copyOut("COPY (SELECT " + to.id() + ", "
          + COLUMNS + " FROM call_record WHERE tenant_id = " + from.id() + ") TO STDOUT", out);
    }
  }

  private static double copy(Path file, Tenant tenant) throws Exception {
    try (Connection c = cloud.dataSource().getConnection();
        InputStream in = new BufferedInputStream(Files.newInputStream(file), 1 << 16)) {
      long started = System.nanoTime();
      c.unwrap(PGConnection.class).getCopyAPI().copyIn("COPY call_record (tenant_id, "
          + COLUMNS + ") FROM STDIN", in);
      return Duration.ofNanos(System.nanoTime() - started).toMillis() / 1000.0;
    }
  }


  private static long count(Tenant tenant) throws Exception {
    try (Connection c = cloud.dataSource().getConnection();
        Statement s = c.createStatement();
        var rows = s.executeQuery(
            "SELECT count(*) FROM call_record WHERE tenant_id = " + tenant.id())) {
      rows.next();
      return rows.getLong(1);
    }
  }
}
