package io.natalia.cloud.web;

/** Ends a dashboard request with an HTTP status and a message shown on the error page. */
final class WebError extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final int status;

  WebError(int status, String message) {
    super(message);
    this.status = status;
  }

  int status() {
    return status;
  }

  static WebError badRequest(IllegalArgumentException cause) {
    return new WebError(400, cause.getMessage());
  }
}
