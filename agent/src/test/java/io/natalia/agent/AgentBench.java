package io.natalia.agent;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.management.OperatingSystemMXBean;
import io.natalia.agent.config.ConfigStore;
import io.natalia.agent.testing.TestConfigs;
import io.natalia.agent.testing.TestTls;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

/**
 * Drains a simulator backlog through the agent into a counting fake cloud and prints records
 * per second, CPU time per record and the agent's heap. Arguments: backlog lengths in days of
 * the simulator's default company (about 225 tickets a day), for example {@code 45 445 4450}
 * for about 10 000, 100 000 and 1 000 000 tickets.
 *
 * <p>The simulator and the cloud run in a process of their own ({@link AgentBenchPeers}), on
 * 127.0.0.1, so that this JVM runs the agent alone: its heap is the agent's. The peers' CPU
 * time is counted separately, since they share the machine's cores with the agent. A run fails
 * unless every ticket of the backlog arrived exactly once.
 *
 * <p>System properties: {@code bench.pageCap} (tickets per PBX response, default 10 000: a
 * backlog is read in large pages, as an OXO configured for bulk export serves them), {@code
 * bench.batch} (records per cloud request, the agent's {@code cloud.batchMaxRecords}, default
 * 5 000), {@code bench.callsPerDayScale} (calls a day relative to the default company, default
 * 1: a larger company reaches 5 million tickets within the years the simulator and the record
 * rules allow) and {@code bench.peersHeap} (the peers' {@code -Xmx}, default {@code 2g}).
 */
public final class AgentBench {
  private static final int PAGE_CAP = Integer.getInteger("bench.pageCap", 10_000);
  private static final int BATCH = Integer.getInteger("bench.batch", 5_000);
  private static final double SCALE =
      Double.parseDouble(System.getProperty("bench.callsPerDayScale", "1"));
  private static final String PEERS_HEAP = System.getProperty("bench.peersHeap", "2g");
  private static final OperatingSystemMXBean OS =
      ManagementFactory.getPlatformMXBean(OperatingSystemMXBean.class);
  /** Linux counts thread CPU time in clock ticks of 10 ms. */
  private static final long NANOS_PER_TICK = 10_000_000L;

  private AgentBench() {}

  public static void main(String[] args) throws Exception {
    System.out.printf(Locale.ROOT, "page cap %d, batch %d, calls a day x%.1f, %d processors%n",
        PAGE_CAP, BATCH, SCALE, Runtime.getRuntime().availableProcessors());
    System.out.println("| backlog tickets | start and stop s | drain s | records/s "
        + "| CPU µs/record (agent JVM) | (agent threads) | (GC) | (JIT) | (rest) "
        + "| CPU µs/record (simulator and cloud) | peak heap MB | live heap at end MB |");
    System.out.println("|---|---|---|---|---|---|---|---|---|---|---|---|");
    for (String days : args) {
      run(Duration.ofMinutes((long) (Double.parseDouble(days) * 24 * 60)));
    }
  }

  private static void run(Duration backlog) throws Exception {
    Path dir = Files.createTempDirectory("agent-bench");
    try (Peers peers = Peers.start(dir.resolve("peers"), backlog)) {
      drain(dir, peers);
    } finally {
      deleteTree(dir);
    }
  }

  private static void drain(Path dir, Peers peers) throws Exception {
    ConfigStore store = ConfigStore.open(TestConfigs.write(dir, config(dir, peers)));

    System.gc();
    HeapSampler heap = new HeapSampler();
    heap.start();
    long startNanos = System.nanoTime();
    long drainNanos;
    long drainCpu;
    long peersCpu;
    Map<String, Long> threadCpu;
    long liveBytes;
    Peers.Counts counts;
    try (Agent agent = Agent.start(store, Clock.systemUTC(), c -> { })) {
      // Agent.start returns once the key, certificates and web server are ready; the polling
      // and forwarding threads run from here.
      drainNanos = System.nanoTime();
      drainCpu = OS.getProcessCpuTime();
      peersCpu = peers.cpuNanos();
      Map<String, Long> before = threadTicks(Path.of("/proc/self/task"));
      Map<String, Long> peersBefore = threadTicks(peers.tasks());
      counts = peers.awaitEveryTicket();
      drainNanos = System.nanoTime() - drainNanos;
      drainCpu = OS.getProcessCpuTime() - drainCpu;
      peersCpu = peers.cpuNanos() - peersCpu;
      threadCpu = byGroup(before, threadTicks(Path.of("/proc/self/task")));
      if (Boolean.getBoolean("bench.threads")) {
        System.err.println("agent JVM:");
        printByThreadName(before, threadTicks(Path.of("/proc/self/task")));
        System.err.println("simulator and cloud:");
        printByThreadName(peersBefore, threadTicks(peers.tasks()));
      }
      heap.stopSampling();
      // Everything the agent still references once the cloud has every ticket.
      System.gc();
      liveBytes = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }
    double startSeconds = (System.nanoTime() - startNanos - drainNanos) / 1e9;
    long tickets = peers.tickets;
    counts.checkEveryTicketOnce(tickets);
    long agentCpu = threadCpu.getOrDefault("agent", 0L);
    long gcCpu = threadCpu.getOrDefault("gc", 0L);
    long jitCpu = threadCpu.getOrDefault("jit", 0L);
    double seconds = drainNanos / 1e9;
    System.out.printf(Locale.ROOT, "| %d | %.1f | %.1f | %.0f | %.1f | %.1f | %.1f | %.1f "
        + "| %.1f | %.1f | %d | %d |%n", tickets, startSeconds, seconds, tickets / seconds,
        drainCpu / 1e3 / tickets, agentCpu / 1e3 / tickets, gcCpu / 1e3 / tickets,
        jitCpu / 1e3 / tickets, (drainCpu - agentCpu - gcCpu - jitCpu) / 1e3 / tickets,
        peersCpu / 1e3 / tickets, heap.peak.get() >> 20, liveBytes >> 20);
  }

  private static ObjectNode config(Path dir, Peers peers) throws IOException {
    ObjectNode json = TestConfigs.json(dir, new TestTls(), peers.pbxPort, peers.cloudUrl);
    ObjectNode pbxJson = (ObjectNode) json.get("pbx");
    pbxJson.put("password", peers.pbxPassword);
    pbxJson.put("certificateSha256", peers.pbxFingerprint);
    ((ObjectNode) json.get("buffer")).put("maxMegabytes", 8192);
    ((ObjectNode) json.get("cloud")).put("batchMaxRecords", BATCH)
        .put("batchMaxBytes", BATCH * 2048L)
        .put("caCertificateFile", peers.cloudCertificate);
    return json;
  }

  private static void deleteTree(Path dir) throws IOException {
    try (Stream<Path> files = Files.walk(dir)) {
      for (Path file : (Iterable<Path>) files.sorted(Comparator.reverseOrder())::iterator) {
        Files.deleteIfExists(file);
      }
    }
  }

  /** The process of {@link AgentBenchPeers}: the simulator and the counting cloud. */
  private static final class Peers implements AutoCloseable {
    private final Process process;
    private final BufferedReader output;
    private final Writer input;
    final int pbxPort;
    final String pbxFingerprint;
    final String pbxPassword;
    final long tickets;
    final String cloudUrl;
    final String cloudCertificate;

    private Peers(Process process, BufferedReader output, String[] ready) {
      this.process = process;
      this.output = output;
      this.input = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
      this.pbxPort = Integer.parseInt(ready[1]);
      this.pbxFingerprint = ready[2];
      this.pbxPassword = ready[3];
      this.tickets = Long.parseLong(ready[4]);
      this.cloudUrl = ready[5];
      this.cloudCertificate = ready[6];
    }

    /** Starts the peers with a backlog and waits until both listen. Their log is in dir. */
    static Peers start(Path dir, Duration backlog) throws IOException {
      Files.createDirectories(dir);
      Path log = dir.resolve("peers.log");
      Process process = new ProcessBuilder(
          Path.of(System.getProperty("java.home"), "bin", "java").toString(),
          "-Xmx" + PEERS_HEAP, "--enable-native-access=ALL-UNNAMED",
          "-Djava.io.tmpdir=" + System.getProperty("java.io.tmpdir"),
          "-cp", System.getProperty("java.class.path"), AgentBenchPeers.class.getName(),
          dir.toString(), Long.toString(backlog.toMinutes()), Integer.toString(PAGE_CAP),
          Double.toString(SCALE))
          .redirectError(log.toFile())
          .start();
      BufferedReader output = new BufferedReader(
          new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
      String line = output.readLine();
      if (line == null || !line.startsWith("ready ")) {
        process.destroyForcibly();
        throw new IllegalStateException("the benchmark's peers did not start (first line: "
            + line + "); see " + log);
      }
      return new Peers(process, output, line.split(" "));
    }

    /** Waits until the cloud has received every ticket and returns its counts. */
    Counts awaitEveryTicket() throws IOException {
      input.write("await\n");
      input.flush();
      String line = output.readLine();
      if (line == null || !line.startsWith("counts ")) {
        throw new IllegalStateException("the benchmark's peers stopped (line: " + line + ")");
      }
      String[] fields = line.split(" ");
      return new Counts(Long.parseLong(fields[1]), Long.parseLong(fields[2]),
          Long.parseLong(fields[3]), Long.parseLong(fields[4]), Long.parseLong(fields[5]));
    }

    /** Returns the folder of the peers' threads in {@code /proc}. */
    Path tasks() {
      return Path.of("/proc", Long.toString(process.pid()), "task");
    }

    /** Returns the CPU time the peers' process has used so far. */
    long cpuNanos() throws IOException {
      return cpuTicks(Files.readString(Path.of("/proc", Long.toString(process.pid()), "stat")))
          * NANOS_PER_TICK;
    }

    @Override
    public void close() throws IOException, InterruptedException {
      // The end of its input stops the process.
      input.close();
      if (!process.waitFor(60, TimeUnit.SECONDS)) {
        process.destroyForcibly();
      }
    }

    /**
     * What the counting cloud received.
     *
     * @param distinct distinct record ids
     * @param duplicates records whose id arrived before
     * @param distinctTicketIds distinct PBX ticket numbers
     * @param ticketIdRepeats records whose ticket number arrived before
     * @param firstMissingTicketId the lowest ticket number from 1 on that never arrived
     */
    record Counts(long distinct, long duplicates, long distinctTicketIds, long ticketIdRepeats,
        long firstMissingTicketId) {
      void checkEveryTicketOnce(long tickets) {
        if (distinct != tickets || duplicates != 0 || distinctTicketIds != tickets
            || ticketIdRepeats != 0 || firstMissingTicketId != tickets + 1) {
          throw new IllegalStateException("expected each of the " + tickets + " tickets "
              + "exactly once, the cloud counted " + this);
        }
      }
    }
  }

  /** Returns utime + stime, in clock ticks, of a {@code /proc/.../stat} line. */
  private static long cpuTicks(String stat) {
    // The name is in parentheses and may hold spaces; utime and stime follow it.
    String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
    return Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
  }

  /** Returns the CPU clock ticks of each live thread of this process, by thread id. */
  private static Map<String, Long> threadTicks(Path tasksDir) throws IOException {
    Map<String, Long> ticks = new HashMap<>();
    try (Stream<Path> tasks = Files.list(tasksDir)) {
      for (Path task : (Iterable<Path>) tasks::iterator) {
        try {
          String stat = Files.readString(task.resolve("stat"));
          String name = stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
          ticks.put(task.getFileName() + " " + name, cpuTicks(stat));
        } catch (IOException e) {
          // The thread ended meanwhile.
        }
      }
    }
    return ticks;
  }

  /**
   * Returns the CPU nanoseconds used between two samples by the agent's threads (its poll and
   * forward loops and its HTTP clients), the garbage collector (with the VM thread, which runs
   * the pauses of the serial collector), the JIT compilers and the rest.
   */
  private static Map<String, Long> byGroup(Map<String, Long> before, Map<String, Long> after) {
    Map<String, Long> groups = new HashMap<>();
    after.forEach((thread, ticks) -> {
      String name = thread.substring(thread.indexOf(' ') + 1);
      String group = name.startsWith("natalia-") || name.startsWith("HttpClient-") ? "agent"
          : name.startsWith("G1 ") || name.startsWith("GC ") || name.equals("VM Thread")
              ? "gc"
          : name.contains("CompilerThre") ? "jit" : "rest";
      long used = (ticks - before.getOrDefault(thread, 0L)) * NANOS_PER_TICK;
      groups.merge(group, used, Long::sum);
    });
    return groups;
  }

  /**
   * Prints the CPU seconds of each thread name (numbers at its end dropped) that used more than
   * 0.1 s, on standard error.
   */
  private static void printByThreadName(Map<String, Long> before, Map<String, Long> after) {
    Map<String, Long> byName = new TreeMap<>();
    after.forEach((thread, ticks) -> {
      String name = thread.substring(thread.indexOf(' ') + 1).replaceAll("[0-9]+$", "");
      byName.merge(name, (ticks - before.getOrDefault(thread, 0L)) * NANOS_PER_TICK,
          Long::sum);
    });
    byName.forEach((name, nanos) -> {
      if (nanos > 100_000_000L) {
        System.err.printf(Locale.ROOT, "  %-20s %6.2f s CPU%n", name, nanos / 1e9);
      }
    });
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
