package io.natalia.agent.health;

/**
 * A failure the admin can act on: carries its {@link ErrorCode} and a message naming the
 * cause and the value.
 */
public class AgentException extends Exception {
  private static final long serialVersionUID = 1L;

  private final ErrorCode code;

  public AgentException(ErrorCode code, String message) {
    super(message);
    this.code = code;
  }

  public AgentException(ErrorCode code, String message, Throwable cause) {
    super(message, cause);
    this.code = code;
  }

  public ErrorCode code() {
    return code;
  }

  @Override
  public String getMessage() {
    return code.code() + ": " + super.getMessage();
  }
}
