package io.natalia.agent.web;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Slows down password and setup-code guessing, per client address.
 *
 * <p>The first {@link #FREE_FAILURES} failures cost nothing (typos). After that each failure
 * doubles the wait before the next attempt, from 1 s up to {@link #MAX_WAIT}; a success clears
 * the address. The waits are enforced, not slept: an early attempt is rejected at once. Failures
 * older than {@link #MAX_WAIT} are forgotten. Thread-safe.
 */
// Limitation: see docs/known-limitations.md#web-throttle-per-address
final class LoginThrottle {
  static final int FREE_FAILURES = 3;
  static final Duration MAX_WAIT = Duration.ofMinutes(15);
  /** Tracked addresses above which forgotten failures are dropped, to bound the memory. */
  static final int PRUNE_ABOVE = 10_000;

  private final InstantSource clock;
  private final Map<String, Failures> byAddress = new ConcurrentHashMap<>();

  private record Failures(int count, Instant lastAt, Instant blockedUntil) {}

  LoginThrottle(InstantSource clock) {
    this.clock = clock;
  }

  /** Returns how long this address must wait before its next attempt; zero when it may try. */
  Duration waitFor(String address) {
    Failures failures = byAddress.get(address);
    Instant now = clock.instant();
    if (failures == null || !now.isBefore(failures.blockedUntil())) {
      return Duration.ZERO;
    }
    return Duration.between(now, failures.blockedUntil());
  }

  /** Records a failed attempt from this address. */
  void failed(String address) {
    Instant now = clock.instant();
    if (byAddress.size() > PRUNE_ABOVE) {
      byAddress.values().removeIf(f -> !now.isBefore(f.lastAt().plus(MAX_WAIT)));
    }
    byAddress.compute(address, (key, old) -> {
      int count = old == null || !now.isBefore(old.lastAt().plus(MAX_WAIT)) ? 1
          : old.count() + 1;
      return new Failures(count, now, now.plus(wait(count)));
    });
  }

  /** Records a success: the address starts afresh. */
  void succeeded(String address) {
    byAddress.remove(address);
  }

  /** Returns how many addresses have failures on record. */
  int trackedAddresses() {
    return byAddress.size();
  }

  private static Duration wait(int failures) {
    if (failures <= FREE_FAILURES) {
      return Duration.ZERO;
    }
    int doublings = Math.min(failures - FREE_FAILURES - 1, 20);
    Duration wait = Duration.ofSeconds(1L << doublings);
    return wait.compareTo(MAX_WAIT) > 0 ? MAX_WAIT : wait;
  }
}
