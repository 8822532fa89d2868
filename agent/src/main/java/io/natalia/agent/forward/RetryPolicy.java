package io.natalia.agent.forward;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.DoubleSupplier;

/**
 * The forwarder's one retry policy: what each response of the cloud means, and how long to wait.
 *
 * <p>Backoff is exponential from {@link #BASE_DELAY}, doubled per consecutive failure up to
 * {@link #MAX_DELAY}, with "equal jitter" (a random wait between half and all of it) so that
 * many agents cut off by one outage do not come back in step. A {@code Retry-After} from the
 * cloud wins over the computed wait, capped at {@link #MAX_RETRY_AFTER}.
 */
final class RetryPolicy {
  static final Duration BASE_DELAY = Duration.ofSeconds(1);
  /** Longest computed wait: an outage of hours is retried every five minutes. */
  static final Duration MAX_DELAY = Duration.ofMinutes(5);
  /** Maximum wait a Retry-After can impose, so that a wrong header cannot stall the agent. */
  static final Duration MAX_RETRY_AFTER = Duration.ofMinutes(15);

  private final DoubleSupplier random;

  RetryPolicy() {
    this(() -> ThreadLocalRandom.current().nextDouble());
  }

  RetryPolicy(DoubleSupplier random) {
    this.random = random;
  }

  /** The forwarder's action for a response. */
  enum Verdict {
    /** The cloud took the batch: acknowledge what its response accounts for. */
    DELIVERED,
    /** A transient failure: keep the batch and send it again after a backoff. */
    RETRY,
    /** The batch as a whole was refused: send it in halves until the culprit is alone. */
    SPLIT,
    /** Only the admin can fix it: stop forwarding, keep every record. */
    STOP
  }

  /** Classifies an HTTP status of {@code POST /ingest/cdr}; one rule per reason. */
  static Verdict classify(int status) {
    if (status == 202 || status == 200) {
      return Verdict.DELIVERED;
    }
    if (status == 401 || status == 403) {
      // The key is invalid or revoked: sending again cannot succeed until it is replaced.
      return Verdict.STOP;
    }
    if (status == 413 || status == 400) {
      // Too large, or a body the cloud cannot read: smaller batches isolate the record at fault.
      return Verdict.SPLIT;
    }
    // 408, 429, 5xx and anything unexpected: the cloud is overloaded, restarting or behind a
    // failing proxy. Data is safe in the buffer, so waiting and retrying costs nothing.
    return Verdict.RETRY;
  }

  /**
   * Returns the wait before attempt number {@code failures + 1}.
   *
   * @param failures consecutive failures so far, from 1
   * @param retryAfter the cloud's {@code Retry-After}, or {@code null}
   */
  Duration delay(int failures, Duration retryAfter) {
    if (retryAfter != null && !retryAfter.isNegative()) {
      return retryAfter.compareTo(MAX_RETRY_AFTER) > 0 ? MAX_RETRY_AFTER : retryAfter;
    }
    int doublings = Math.min(Math.max(failures - 1, 0), 20);
    Duration exponential = BASE_DELAY.multipliedBy(1L << doublings);
    Duration capped = exponential.compareTo(MAX_DELAY) > 0 ? MAX_DELAY : exponential;
    long halfMillis = capped.toMillis() / 2;
    return Duration.ofMillis(halfMillis + (long) (random.getAsDouble() * halfMillis));
  }
}
