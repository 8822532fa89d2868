package io.natalia.cloud.server;

import java.time.Duration;

/**
 * Refuses a whole request with a code, an HTTP status and a message naming the cause; the
 * server turns it into {@code {"code", "message"}} with that status.
 */
public final class ApiException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final ApiError error;
  private final transient Duration retryAfter;

  public ApiException(ApiError error, String message) {
    this(error, message, null);
  }

  /** Creates a rejection the client may retry after {@code retryAfter}, sent as Retry-After. */
  public ApiException(ApiError error, String message, Duration retryAfter) {
    super(message);
    this.error = error;
    this.retryAfter = retryAfter;
  }

  public ApiError error() {
    return error;
  }

  /** Returns when the client may retry, or null when retrying the same request cannot help. */
  public Duration retryAfter() {
    return retryAfter;
  }
}
