package io.natalia.agent;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.management.OperatingSystemMXBean;
import io.natalia.agent.config.ConfigStore;
import io.natalia.agent.testing.FakeCloud;
import io.natalia.agent.testing.TestConfigs;
import io.natalia.agent.testing.TestTls;
import io.natalia.oxo.server.OxoSimulator;
import io.natalia.oxo.traffic.TrafficGenerator;
import io.natalia.oxo.traffic.TrafficSettings;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.time.ZoneId;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Drains a simulator backlog through the agent into the recording cloud and prints records per
 * second, CPU time per record and the peak heap. Arguments: backlog lengths in days of the
 * simulator's default company (about 290 tickets a day), for example {@code 35 345 3450} for
 * about 10 000, 100 000 and 1 000 000 tickets.
 *
 * <p>System properties: {@code bench.pageCap} (tickets per PBX response, default 10 000: a
 * backlog is read in large pages, as an OXO configured for bulk export serves them) and
 * {@code bench.batch} (records per cloud request, the agent's {@code cloud.batchMaxRecords},
 * default 5 000).
 */
public final class AgentBench {
  private static final ZoneId PARIS = ZoneId.of("Europe/Paris");
  private static final int PAGE_CAP = Integer.getInteger("bench.pageCap", 10_000);
  private static final int BATCH = Integer.getInteger("bench.batch", 5_000);
  private static final OperatingSystemMXBean OS =
      ManagementFactory.getPlatformMXBean(OperatingSystemMXBean.class);
  private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

  private AgentBench() {}

  public static void main(String[] args) throws Exception {
    System.out.printf(Locale.ROOT, "page cap %d, batch %d, %d processors%n", PAGE_CAP, BATCH,
        Runtime.getRuntime().availableProcessors());
    System.out.println("| backlog tickets | start and stop s | drain s | records/s "
        + "| CPU µs/record (process) | CPU µs/record (agent threads) | peak heap MB |");
    System.out.println("|---|---|---|---|---|---|---|");
    for (String days : args) {
      run(Duration.ofMinutes((long) (Double.parseDouble(days) * 24 * 60)));
    }
  }

  private static void run(Duration backlog) throws Exception {
    Path dir = Files.createTempDirectory("agent-bench");
    TestTls tls = new TestTls();
    InstantSource clock = InstantSource.fixed(Instant.parse("2026-06-26T18:00:00Z"));
    TrafficGenerator traffic = new TrafficGenerator(42, TrafficSettings.builder().zone(PARIS)
        .build());
    try (OxoSimulator pbx = OxoSimulator.builder().stateDir(dir.resolve("pbx")).zone(PARIS)
            .traffic(traffic).backlog(backlog).pageCap(PAGE_CAP).bufferCapacity(6_000_000)
            .clock(clock).start();
        FakeCloud cloud = new FakeCloud(tls)) {
      long tickets = pbx.bufferStatus().ticketsWritten();
      ObjectNode json = TestConfigs.json(dir, tls, pbx.port(), cloud.url());
      ObjectNode pbxJson = (ObjectNode) json.get("pbx");
      pbxJson.put("password", pbx.collectorAccount().password());
      pbxJson.put("certificateSha256", pbx.fingerprintSha256());
      ((ObjectNode) json.get("buffer")).put("maxMegabytes", 8192);
      ((ObjectNode) json.get("cloud")).put("batchMaxRecords", BATCH)
          .put("batchMaxBytes", BATCH * 2048L);
      ConfigStore store = ConfigStore.open(TestConfigs.write(dir, json));

      System.gc();
      HeapSampler heap = new HeapSampler();
      heap.start();
      long startNanos = System.nanoTime();
      long drainNanos;
      long drainCpu;
      long agentCpu;
      try (Agent agent = Agent.start(store, Clock.systemUTC(), c -> { })) {
        // Agent.start returns once the key, certificates and web server are ready; the polling
        // and forwarding threads run from here.
        drainNanos = System.nanoTime();
        drainCpu = OS.getProcessCpuTime();
        while (cloud.distinctRecords() < tickets) {
          Thread.sleep(20);
        }
        drainNanos = System.nanoTime() - drainNanos;
        drainCpu = OS.getProcessCpuTime() - drainCpu;
        agentCpu = agentThreadsCpu();
      }
      double startSeconds = (System.nanoTime() - startNanos - drainNanos) / 1e9;
      double seconds = drainNanos / 1e9;
      heap.interrupt();
      System.out.printf(Locale.ROOT, "| %d | %.1f | %.1f | %.0f | %.1f | %.1f | %d |%n",
          tickets, startSeconds, seconds, tickets / seconds, drainCpu / 1e3 / tickets,
          agentCpu / 1e3 / tickets, heap.peak.get() / (1024 * 1024));
    }
  }

  /** Returns the CPU nanoseconds of the agent's poll and forward threads. */
  private static long agentThreadsCpu() {
    long total = 0;
    for (ThreadInfo info : THREADS.dumpAllThreads(false, false)) {
      if (info.getThreadName().startsWith("natalia-")) {
        total += Math.max(0, THREADS.getThreadCpuTime(info.getThreadId()));
      }
    }
    return total;
  }

  /** Samples the used heap every 10 ms. */
  private static final class HeapSampler extends Thread {
    final AtomicLong peak = new AtomicLong();
    private final MemoryMXBean memory = ManagementFactory.getMemoryMXBean();

    HeapSampler() {
      setDaemon(true);
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
