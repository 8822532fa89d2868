package io.natalia.agent.web;

import io.natalia.agent.health.ErrorCode;

/**
 * The result of the cloud connection's test.
 *
 * @param rejection why the form was rejected before any connection, or null
 * @param code the failure, or null when the cloud accepted the key
 * @param message what happened, naming the URL (never the key), without the code
 * @param fingerprint SHA-256 fingerprint of the certificate the cloud presented, or null when
 *     no handshake got that far
 * @param pinned whether the agent trusts the cloud by this fingerprint
 */
public record CloudTestView(String rejection, ErrorCode code, String message,
    String fingerprint, boolean pinned) {

  /** Returns a form rejected before any connection. */
  static CloudTestView rejected(String reason) {
    return new CloudTestView(reason, null, null, null, false);
  }

  /** Returns whether the cloud accepted the key. */
  public boolean passed() {
    return rejection == null && code == null;
  }

  /** Returns whether the page offers to pin the certificate the cloud presented. */
  public boolean offerTrust() {
    return fingerprint != null && !pinned && rejection == null
        && (code == null || code == ErrorCode.NAT_AGT_020 || code == ErrorCode.NAT_AGT_021);
  }
}
