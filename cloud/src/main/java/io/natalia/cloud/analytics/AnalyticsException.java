package io.natalia.cloud.analytics;

/** A query of {@link Analytics} failed on the database; the cause gives the reason. */
public final class AnalyticsException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  AnalyticsException(String message, Throwable cause) {
    super(message, cause);
  }
}
