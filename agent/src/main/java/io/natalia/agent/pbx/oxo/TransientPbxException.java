package io.natalia.agent.pbx.oxo;

import io.natalia.agent.health.AgentException;
import io.natalia.agent.health.ErrorCode;
import java.time.Duration;

/**
 * The PBX responded with a status worth retrying soon (429, 5xx): NAT-AGT-016, with the
 * {@code Retry-After} it gave, if any.
 */
final class TransientPbxException extends AgentException {
  private static final long serialVersionUID = 1L;

  private final transient Duration retryAfter;

  TransientPbxException(String message, Duration retryAfter) {
    super(ErrorCode.NAT_AGT_016, message);
    this.retryAfter = retryAfter;
  }

  /** Returns the wait the PBX asked for, or {@code null}. */
  Duration retryAfter() {
    return retryAfter;
  }
}
