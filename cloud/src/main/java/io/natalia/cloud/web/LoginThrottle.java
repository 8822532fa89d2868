package io.natalia.cloud.web;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * Slows down password guessing: after a number of free failed logins in a row for one key
 * (an account, or a client address), each further attempt must wait, the wait doubling from
 * {@link #FIRST_WAIT} up to {@link #MAX_WAIT}. A success clears the key.
 *
 * <p>Doubling keeps a person who mistypes a few times almost unhindered while an attacker
 * gets about a hundred guesses a day per key. A key quiet for {@link #FORGET_AFTER} starts
 * afresh. Thread-safe.
 */
// Limitation: see docs/known-limitations.md#login-throttle-per-node
final class LoginThrottle {
  /** Free failures per account: enough for a person who mistypes. */
  static final int ACCOUNT_FREE_ATTEMPTS = 3;
  /** Free failures per client address: a whole office may share one address. */
  static final int CLIENT_FREE_ATTEMPTS = 20;
  static final Duration FIRST_WAIT = Duration.ofSeconds(2);
  static final Duration MAX_WAIT = Duration.ofMinutes(15);
  static final Duration FORGET_AFTER = Duration.ofHours(1);
  /** Above this many keys, those quiet for {@link #FORGET_AFTER} are dropped. */
  private static final int MAX_KEYS = 100_000;

  private record Failures(int count, Instant last) {}

  private final InstantSource clock;
  private final int freeAttempts;
  private final ConcurrentMap<String, Failures> failures = new ConcurrentHashMap<>();

  LoginThrottle(InstantSource clock, int freeAttempts) {
    this.clock = clock;
    this.freeAttempts = freeAttempts;
  }

  /** Returns how long {@code key} must still wait before its next attempt, if at all. */
  Optional<Duration> waitFor(String key) {
    Failures entry = failures.get(key);
    if (entry == null || entry.count < freeAttempts) {
      return Optional.empty();
    }
    Instant now = clock.instant();
    Instant allowedAt = entry.last.plus(delay(entry.count - freeAttempts));
    return now.isBefore(allowedAt) ? Optional.of(Duration.between(now, allowedAt))
        : Optional.empty();
  }

  /** Records a failed attempt of {@code key}. */
  void failed(String key) {
    Instant now = clock.instant();
    if (failures.size() > MAX_KEYS) {
      failures.values().removeIf(f -> f.last.plus(FORGET_AFTER).isBefore(now));
    }
    failures.merge(key, new Failures(1, now), (old, one) ->
        old.last.plus(FORGET_AFTER).isBefore(now) ? one : new Failures(old.count + 1, now));
  }

  /** Clears the failures of {@code key} after a successful login. */
  void succeeded(String key) {
    failures.remove(key);
  }

  /** Returns the wait after {@code beyondFree} failures past the free ones (0: the first). */
  static Duration delay(int beyondFree) {
    int doublings = Math.min(beyondFree, 20);
    Duration wait = FIRST_WAIT.multipliedBy(1L << doublings);
    return wait.compareTo(MAX_WAIT) > 0 ? MAX_WAIT : wait;
  }
}
