package io.natalia.agent.web;

import io.natalia.agent.health.ErrorCode;

/**
 * The result of the cloud connection's test.
 *
 * @param rejection why the form was rejected before any connection, or null
 * @param code the failure, or null when the cloud accepted the key
 * @param message what happened, naming the URL (never the key)
 */
public record CloudTestView(String rejection, ErrorCode code, String message) {

  /** Returns whether the cloud accepted the key. */
  public boolean passed() {
    return rejection == null && code == null;
  }
}
