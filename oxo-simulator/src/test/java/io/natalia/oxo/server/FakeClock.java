package io.natalia.oxo.server;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;

/** A wall clock that moves only when a test advances it. */
final class FakeClock implements InstantSource {
  private volatile Instant now;

  FakeClock(Instant start) {
    this.now = start;
  }

  @Override
  public Instant instant() {
    return now;
  }

  void advance(Duration duration) {
    now = now.plus(duration);
  }
}
