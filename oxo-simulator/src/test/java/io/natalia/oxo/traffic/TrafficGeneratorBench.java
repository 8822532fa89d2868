package io.natalia.oxo.traffic;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.time.Instant;
import java.util.Iterator;

/**
 * Measures how fast the generator produces tickets: 5 million tickets from one lazy range, for
 * a small and a large company, then once more serialising each ticket to JSON bytes. Prints a
 * table with wall time and the thread's CPU time, because CPU time stays meaningful on a shared
 * machine. Run it with the module's test classpath, as docs/benchmarks.md shows.
 */
public final class TrafficGeneratorBench {

  private static final int TICKETS = 5_000_000;
  private static final Instant FROM = Instant.parse("2020-01-01T00:00:00Z");
  private static final Instant TO = Instant.parse("2099-01-01T00:00:00Z");

  private TrafficGeneratorBench() {}

  public static void main(String[] args) throws Exception {
    TrafficSettings small = TrafficSettings.builder().build();
    TrafficSettings large = TrafficSettings.builder().extensions(300).callsPerDayScale(5).build();
    // One short run first, so the JIT has compiled the hot paths before measuring.
    run("warm-up", small, 500_000, false);
    System.out.printf("%-34s %10s %9s %9s %14s %8s%n",
        "company", "tickets", "wall s", "CPU s", "tickets/CPU s", "heap MB");
    run("40 extensions, scale 1", small, TICKETS, false);
    run("300 extensions, scale 5", large, TICKETS, false);
    run("40 extensions, scale 1, to JSON", small, TICKETS, true);
  }

  private static void run(String label, TrafficSettings settings, int count, boolean toJson)
      throws Exception {
    ObjectMapper mapper = new ObjectMapper();
    TrafficGenerator generator = new TrafficGenerator(42, settings);
    ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    long bytes = 0;
    long started = System.nanoTime();
    long startedCpu = threads.getCurrentThreadCpuTime();
    Iterator<GeneratedTicket> tickets = generator.ticketsWritten(FROM, TO);
    for (int i = 0; i < count; i++) {
      GeneratedTicket ticket = tickets.next();
      if (toJson) {
        bytes += mapper.writeValueAsBytes(ticket.fields()).length;
      }
    }
    double seconds = (System.nanoTime() - started) / 1e9;
    double cpuSeconds = (threads.getCurrentThreadCpuTime() - startedCpu) / 1e9;
    Runtime runtime = Runtime.getRuntime();
    long heapMegabytes = (runtime.totalMemory() - runtime.freeMemory()) >> 20;
    if (!label.equals("warm-up")) {
      System.out.printf("%-34s %10d %9.2f %9.2f %14.0f %8d%n",
          label, count, seconds, cpuSeconds, count / cpuSeconds, heapMegabytes);
    }
    if (toJson && bytes == 0) {
      throw new IllegalStateException("no JSON written");
    }
  }
}
