package io.natalia.agent;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.natalia.agent.config.ConfigStore;
import io.natalia.agent.testing.FakeCloud;
import io.natalia.agent.testing.TestConfigs;
import io.natalia.agent.testing.TestTls;
import io.natalia.oxo.server.OxoSimulator;
import io.natalia.oxo.traffic.TrafficGenerator;
import io.natalia.oxo.traffic.TrafficSettings;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
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
 * second and the peak heap. Arguments: backlog lengths in days of the simulator's default
 * company (about 290 tickets a day), for example {@code 35 345 3450} for about 10 000,
 * 100 000 and 1 000 000 tickets.
 */
public final class AgentBench {
  private static final ZoneId PARIS = ZoneId.of("Europe/Paris");

  private AgentBench() {}

  public static void main(String[] args) throws Exception {
    System.out.println("| backlog tickets | seconds | records/s | peak heap MB |");
    System.out.println("|---|---|---|---|");
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
            .traffic(traffic).backlog(backlog).pageCap(1000).bufferCapacity(6_000_000)
            .clock(clock).start();
        FakeCloud cloud = new FakeCloud(tls)) {
      long tickets = pbx.bufferStatus().ticketsWritten();
      ObjectNode json = TestConfigs.json(dir, tls, pbx.port(), cloud.url());
      ObjectNode pbxJson = (ObjectNode) json.get("pbx");
      pbxJson.put("password", pbx.collectorAccount().password());
      pbxJson.put("certificateSha256", pbx.fingerprintSha256());
      ((ObjectNode) json.get("buffer")).put("maxMegabytes", 8192);
      ConfigStore store = ConfigStore.open(TestConfigs.write(dir, json));

      System.gc();
      HeapSampler heap = new HeapSampler();
      heap.start();
      long startNanos = System.nanoTime();
      try (Agent agent = Agent.start(store, Clock.systemUTC(), c -> { })) {
        while (cloud.distinctRecords() < tickets) {
          Thread.sleep(20);
        }
      }
      double seconds = (System.nanoTime() - startNanos) / 1e9;
      heap.interrupt();
      System.out.printf(Locale.ROOT, "| %d | %.1f | %.0f | %d |%n", tickets, seconds,
          tickets / seconds, heap.peak.get() / (1024 * 1024));
    }
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
