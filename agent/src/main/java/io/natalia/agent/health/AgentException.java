package io.natalia.agent.health;

/**
 * A failure the admin can act on: carries its {@link ErrorCode} and a message naming the
 * cause and the value. The message does not repeat the code, since the status page, the log
 * and the command line print the code beside it.
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

  /** Returns the class, the code and the message, which stack traces print. */
  @Override
  public String toString() {
    return getClass().getName() + ": " + code.code() + " " + getMessage();
  }
}
