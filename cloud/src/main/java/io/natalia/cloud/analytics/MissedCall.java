package io.natalia.cloud.analytics;

import java.time.Instant;

/**
 * A missed incoming call and what happened next.
 *
 * @param call the missed call
 * @param callbackDeadline the end of its callback window (start plus the tenant's window)
 * @param returnedAt start of the first return within the window: an outgoing call to the
 *     number, or an answered incoming call from it; null when none (unreturned)
 * @param returnedBy the extension that made or answered the return; null when none
 */
public record MissedCall(
    CallRow call, Instant callbackDeadline, Instant returnedAt, String returnedBy) {
  /** Returns whether the call was returned within the window. */
  public boolean returned() {
    return returnedAt != null;
  }
}
