package io.natalia.agent.web;

import io.natalia.agent.health.ErrorCode;

/**
 * The answer to the cloud connection's test.
 *
 * @param refusal why the form was refused before any connection, or null
 * @param code the failure, or null when the cloud accepted the key
 * @param message what happened, naming the URL (never the key)
 */
public record CloudTestView(String refusal, ErrorCode code, String message) {

  /** Returns whether the cloud accepted the key. */
  public boolean passed() {
    return refusal == null && code == null;
  }
}
