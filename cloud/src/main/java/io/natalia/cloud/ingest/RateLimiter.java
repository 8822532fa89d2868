package io.natalia.cloud.ingest;

import java.time.Duration;
import java.time.InstantSource;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * A token bucket per API key: {@code burst} requests at once, refilled at
 * {@code requestsPerSecond}. Local to one cloud node. Thread-safe.
 */
// Limitation: see docs/known-limitations.md#rate-limit-per-node
final class RateLimiter {
  private final double requestsPerSecond;
  private final double burst;
  private final InstantSource clock;
  private final ConcurrentMap<Long, Bucket> buckets = new ConcurrentHashMap<>();

  RateLimiter(double requestsPerSecond, int burst, InstantSource clock) {
    if (requestsPerSecond <= 0 || burst < 1) {
      throw new IllegalArgumentException("rate limit must be positive: " + requestsPerSecond
          + " requests/s, burst " + burst);
    }
    this.requestsPerSecond = requestsPerSecond;
    this.burst = burst;
    this.clock = clock;
  }

  /**
   * Takes one request from the key's bucket; returns empty when allowed, else how long until a
   * request is allowed again.
   */
  Optional<Duration> acquire(long keyId) {
    Bucket bucket = buckets.computeIfAbsent(keyId, id -> new Bucket(burst, nanos()));
    synchronized (bucket) {
      long now = nanos();
      bucket.tokens = Math.min(burst,
          bucket.tokens + (now - bucket.updatedNanos) / 1e9 * requestsPerSecond);
      bucket.updatedNanos = now;
      if (bucket.tokens >= 1) {
        bucket.tokens -= 1;
        return Optional.empty();
      }
      double waitSeconds = (1 - bucket.tokens) / requestsPerSecond;
      return Optional.of(Duration.ofNanos((long) Math.ceil(waitSeconds * 1e9)));
    }
  }

  private long nanos() {
    var now = clock.instant();
    return now.getEpochSecond() * 1_000_000_000L + now.getNano();
  }

  private static final class Bucket {
    double tokens;
    long updatedNanos;

    Bucket(double tokens, long updatedNanos) {
      this.tokens = tokens;
      this.updatedNanos = updatedNanos;
    }
  }
}
