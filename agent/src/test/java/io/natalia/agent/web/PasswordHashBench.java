package io.natalia.agent.web;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.security.SecureRandom;
import java.util.Locale;

/**
 * Measures the cost of one admin password hash (Argon2id, 19 MiB, 2 passes, 1 lane): the time
 * a sign-in takes and a guess costs. Prints a Markdown table row; run it as
 * {@code docs/benchmarks.md} shows.
 */
public final class PasswordHashBench {
  private static final int WARM_UP = 5;
  private static final int RUNS = 30;

  private PasswordHashBench() {}

  public static void main(String[] args) {
    SecureRandom random = new SecureRandom();
    for (int i = 0; i < WARM_UP; i++) {
      PasswordHash.hash("warm-up password " + i, random);
    }
    ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    long wallStart = System.nanoTime();
    long cpuStart = threads.getCurrentThreadCpuTime();
    String hash = null;
    for (int i = 0; i < RUNS; i++) {
      hash = PasswordHash.hash("measured password " + i, random);
    }
    double wallMillis = (System.nanoTime() - wallStart) / 1e6 / RUNS;
    double cpuMillis = (threads.getCurrentThreadCpuTime() - cpuStart) / 1e6 / RUNS;
    System.out.println("| hashes | wall ms per hash | CPU ms per hash |");
    System.out.println("|---|---|---|");
    System.out.printf(Locale.ROOT, "| %d | %.1f | %.1f |%n", RUNS, wallMillis, cpuMillis);
    if (!PasswordHash.verify("measured password " + (RUNS - 1), hash)) {
      throw new IllegalStateException("the last hash does not verify");
    }
  }
}
