package io.natalia.agent.web;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;

/** A clock that moves only when a test advances it. */
final class FakeClock implements InstantSource {
  private Instant now = Instant.parse("2026-12-02T10:00:00Z");

  @Override
  public Instant instant() {
    return now;
  }

  void advance(Duration duration) {
    now = now.plus(duration);
  }
}
