package io.natalia.cloud.server;

/**
 * The cloud API's error codes, documented in docs/error-codes.md with their fix.
 *
 * <p>Codes that reject a whole request carry their HTTP status. {@link #RECORD_INVALID} and
 * {@link #RECORD_TOO_OLD} only appear per record in the {@code rejected} list of a
 * {@code 202}.
 */
public enum ApiError {
  KEY_INVALID("NAT-API-001", 401),
  KEY_WRONG_KIND("NAT-API-002", 403),
  RATE_LIMITED("NAT-API-003", 429),
  BODY_TOO_LARGE("NAT-API-004", 413),
  MALFORMED_JSON("NAT-API-005", 400),
  INVALID_UTF8("NAT-API-006", 400),
  UNSUPPORTED_ENCODING("NAT-API-007", 415),
  INVALID_ENVELOPE("NAT-API-008", 400),
  TOO_MANY_RECORDS("NAT-API-009", 413),
  RECORD_INVALID("NAT-API-010", 0),
  RECORD_TOO_OLD("NAT-API-011", 0),
  DATABASE_UNAVAILABLE("NAT-API-012", 503),
  INTERNAL("NAT-API-013", 500),
  PERMISSION_DENIED("NAT-API-014", 403),
  INVALID_PARAMETER("NAT-API-015", 400),
  NO_SUCH_ENDPOINT("NAT-API-016", 404),
  METHOD_NOT_ALLOWED("NAT-API-017", 405),
  BAD_REQUEST("NAT-API-018", 400);

  private final String code;
  private final int status;

  ApiError(String code, int status) {
    this.code = code;
    this.status = status;
  }

  /**
   * Returns the error of a request that Javalin rejected with an HTTP status before any
   * handler of ours ran: an unknown path, a method the path does not take, a body above
   * Javalin's limit. Any other 4xx status becomes {@link #BAD_REQUEST} with that status.
   */
  public static ApiError ofRejectedRequest(int status) {
    return switch (status) {
      case 404 -> NO_SUCH_ENDPOINT;
      case 405 -> METHOD_NOT_ALLOWED;
      case 413 -> BODY_TOO_LARGE;
      case 415 -> UNSUPPORTED_ENCODING;
      default -> status >= 500 ? INTERNAL : BAD_REQUEST;
    };
  }

  /** Returns the code shown to clients, such as {@code NAT-API-001}. */
  public String code() {
    return code;
  }

  /** Returns the HTTP status of a request refused with this error; 0 for per-record codes. */
  public int status() {
    return status;
  }
}
