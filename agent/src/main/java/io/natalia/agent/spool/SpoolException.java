package io.natalia.agent.spool;

/** The disk buffer cannot be read or written; the message names the file and the cause. */
public final class SpoolException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public SpoolException(String message, Throwable cause) {
    super(message, cause);
  }
}
