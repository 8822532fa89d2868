package io.natalia.agent;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.management.OperatingSystemMXBean;
import io.natalia.agent.config.ConfigStore;
import io.natalia.agent.testing.FakeCloud;
import io.natalia.agent.testing.RecordTally;
import io.natalia.agent.testing.TestConfigs;
import io.natalia.agent.testing.TestTls;
import io.natalia.oxo.server.OxoSimulator;
import io.natalia.oxo.traffic.TrafficGenerator;
import io.natalia.oxo.traffic.TrafficSettings;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.time.ZoneId;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

/**
 * Drains a simulator backlog through the agent into a counting fake cloud and prints records
 * per second, CPU time per record and the heap. Arguments: backlog lengths in days of the
 * simulator's default company (about 290 tickets a day), for example {@code 35 345 3450} for
 * about 10 000, 100 000 and 1 000 000 tickets.
 *
 * <p>The cloud only counts record ids, so the heap is mostly the agent's and the simulator's.
 * The live heap is measured after a full collection once the cloud holds every ticket. A run
 * fails unless every ticket of the backlog arrived exactly once.
 *
 * <p>System properties: {@code bench.pageCap} (tickets per PBX response, default 10 000: a
 * backlog is read in large pages, as an OXO configured for bulk export serves them) and
 * {@code bench.batch} (records per cloud request, the agent's {@code cloud.batchMaxRecords},
 * default 5 000) and {@code bench.callsPerDayScale} (calls a day relative to the default
 * company, default 1: a larger company reaches 5 million tickets within the years the
 * simulator and the record rules allow).
 */
public final class AgentBench {
  private static final ZoneId PARIS = ZoneId.of("Europe/Paris");
  private static final int PAGE_CAP = Integer.getInteger("bench.pageCap", 10_000);
  private static final int BATCH = Integer.getInteger("bench.batch", 5_000);
  private static final double SCALE =
      Double.parseDouble(System.getProperty("bench.callsPerDayScale", "1"));
  private static final OperatingSystemMXBean OS =
      ManagementFactory.getPlatformMXBean(OperatingSystemMXBean.class);
  /** Linux counts thread CPU time in clock ticks of 10 ms. */
  private static final long NANOS_PER_TICK = 10_000_000L;

  private AgentBench() {}

  public static void main(String[] args) throws Exception {
    System.out.printf(Locale.ROOT, "page cap %d, batch %d, calls a day x%.1f, %d processors%n",
        PAGE_CAP, BATCH, SCALE, Runtime.getRuntime().availableProcessors());
    System.out.println("| backlog tickets | start and stop s | drain s | records/s "
        + "| CPU µs/record (process) | (agent threads) | (GC) | (JIT) | (rest) "
        + "| peak heap MB | live heap at end MB |");
    System.out.println("|---|---|---|---|---|---|---|---|---|---|---|");
    for (String days : args) {
      run(Duration.ofMinutes((long) (Double.parseDouble(days) * 24 * 60)));
    }
  }

  private static void run(Duration backlog) throws Exception {
    Path dir = Files.createTempDirectory("agent-bench");
    TestTls tls = new TestTls();
    InstantSource clock = InstantSource.fixed(Instant.parse("2026-06-26T18:00:00Z"));
    TrafficGenerator traffic = new TrafficGenerator(42, TrafficSettings.builder().zone(PARIS)
        .callsPerDayScale(SCALE).build());
    try (OxoSimulator pbx = OxoSimulator.builder().stateDir(dir.resolve("pbx")).zone(PARIS)
            .traffic(traffic).backlog(backlog).pageCap(PAGE_CAP).bufferCapacity(6_000_000)
            .clock(clock).start()) {
      long tickets = pbx.bufferStatus().ticketsWritten();
      RecordTally tally = new RecordTally(tickets);
      try (FakeCloud cloud = FakeCloud.counting(tls, tally)) {
        drain(dir, tls, pbx, cloud, tally, tickets);
      }
    }
  }

  private static void drain(Path dir, TestTls tls, OxoSimulator pbx, FakeCloud cloud,
      RecordTally tally, long tickets) throws Exception {
    ConfigStore store = ConfigStore.open(TestConfigs.write(dir, config(dir, tls, pbx, cloud)));

    System.gc();
    HeapSampler heap = new HeapSampler();
    heap.start();
    long startNanos = System.nanoTime();
    long drainNanos;
    long drainCpu;
    Map<String, Long> threadCpu;
    long liveBytes;
    try (Agent agent = Agent.start(store, Clock.systemUTC(), c -> { })) {
      // Agent.start returns once the key, certificates and web server are ready; the polling
      // and forwarding threads run from here.
      drainNanos = System.nanoTime();
      drainCpu = OS.getProcessCpuTime();
      Map<String, Long> before = threadTicks();
      while (tally.distinct() < tickets) {
        Thread.sleep(20);
      }
      drainNanos = System.nanoTime() - drainNanos;
      drainCpu = OS.getProcessCpuTime() - drainCpu;
      threadCpu = byGroup(before, threadTicks());
      heap.stopSampling();
      // Everything still reachable with the agent, the simulator and the cloud running.
      System.gc();
      liveBytes = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }
    double startSeconds = (System.nanoTime() - startNanos - drainNanos) / 1e9;
    checkEveryTicketOnce(tally, tickets);
    long agentCpu = threadCpu.getOrDefault("agent", 0L);
    long gcCpu = threadCpu.getOrDefault("gc", 0L);
    long jitCpu = threadCpu.getOrDefault("jit", 0L);
    double seconds = drainNanos / 1e9;
    System.out.printf(Locale.ROOT, "| %d | %.1f | %.1f | %.0f | %.1f | %.1f | %.1f | %.1f "
        + "| %.1f | %d | %d |%n", tickets, startSeconds, seconds, tickets / seconds,
        drainCpu / 1e3 / tickets, agentCpu / 1e3 / tickets, gcCpu / 1e3 / tickets,
        jitCpu / 1e3 / tickets, (drainCpu - agentCpu - gcCpu - jitCpu) / 1e3 / tickets,
        heap.peak.get() >> 20, liveBytes >> 20);
  }

  private static ObjectNode config(Path dir, TestTls tls, OxoSimulator pbx, FakeCloud cloud)
      throws IOException {
    ObjectNode json = TestConfigs.json(dir, tls, pbx.port(), cloud.url());
    ObjectNode pbxJson = (ObjectNode) json.get("pbx");
    pbxJson.put("password", pbx.collectorAccount().password());
    pbxJson.put("certificateSha256", pbx.fingerprintSha256());
    ((ObjectNode) json.get("buffer")).put("maxMegabytes", 8192);
    ((ObjectNode) json.get("cloud")).put("batchMaxRecords", BATCH)
        .put("batchMaxBytes", BATCH * 2048L);
    return json;
  }

  private static void checkEveryTicketOnce(RecordTally tally, long tickets) {
    if (tally.distinct() != tickets || tally.duplicates() != 0
        || tally.distinctTicketIds() != tickets || tally.ticketIdRepeats() != 0
        || tally.firstMissingTicketId() != tickets + 1) {
      throw new IllegalStateException("expected each of the " + tickets + " tickets exactly "
          + "once, the cloud counted " + tally + ", first missing ticket number "
          + tally.firstMissingTicketId());
    }
  }

  /** Returns the CPU clock ticks of each live thread of this process, by thread id. */
  private static Map<String, Long> threadTicks() throws IOException {
    Map<String, Long> ticks = new HashMap<>();
    try (Stream<Path> tasks = Files.list(Path.of("/proc/self/task"))) {
      for (Path task : (Iterable<Path>) tasks::iterator) {
        try {
          String stat = Files.readString(task.resolve("stat"));
          // The name is in parentheses and may hold spaces; utime and stime follow it.
          int close = stat.lastIndexOf(')');
          String name = stat.substring(stat.indexOf('(') + 1, close);
          String[] fields = stat.substring(close + 2).split(" ");
          long cpu = Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
          ticks.put(task.getFileName() + " " + name, cpu);
        } catch (IOException e) {
          // The thread ended meanwhile.
        }
      }
    }
    return ticks;
  }

  /**
   * Returns the CPU nanoseconds used between two samples by the agent's threads (its poll and
   * forward loops and its HTTP clients), the garbage collector, the JIT compilers and the rest.
   */
  private static Map<String, Long> byGroup(Map<String, Long> before, Map<String, Long> after) {
    Map<String, Long> groups = new HashMap<>();
    Map<String, Long> detail = new java.util.TreeMap<>();
    after.forEach((thread, ticks) -> {
      String name = thread.substring(thread.indexOf(' ') + 1).replaceAll("[0-9]+$", "");
      detail.merge(name, (ticks - before.getOrDefault(thread, 0L)) * NANOS_PER_TICK, Long::sum);
    });
    detail.forEach((n, v) -> {
      if (v > 200_000_000L) {
        System.out.printf("  %-30s %6.2f s%n", n, v / 1e9);
      }
    });
    after.forEach((thread, ticks) -> {
      String name = thread.substring(thread.indexOf(' ') + 1);
      String group = name.startsWith("natalia-") || name.startsWith("HttpClient-") ? "agent"
          : name.startsWith("G1 ") || name.startsWith("GC ") ? "gc"
          : name.contains("CompilerThre") ? "jit" : "rest";
      long used = (ticks - before.getOrDefault(thread, 0L)) * NANOS_PER_TICK;
      groups.merge(group, used, Long::sum);
    });
    return groups;
  }

  /** Samples the used heap every 10 ms. */
  private static final class HeapSampler extends Thread {
    final AtomicLong peak = new AtomicLong();
    private final MemoryMXBean memory = ManagementFactory.getMemoryMXBean();

    HeapSampler() {
      setDaemon(true);
    }

    void stopSampling() throws InterruptedException {
      interrupt();
      join();
    }

    @Override
    public void run() {
      while (!isInterrupted()) {
        peak.accumulateAndGet(memory.getHeapMemoryUsage().getUsed(), Math::max);
        try {
          Thread.sleep(10);
        } catch (InterruptedException e) {
          return;
        }
      }
    }
  }
}
