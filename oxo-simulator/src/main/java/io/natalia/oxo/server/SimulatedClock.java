package io.natalia.oxo.server;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;

/**
 * The PBX's notion of now: starts at the wall clock's time and runs {@code speed} times as
 * fast as the wall clock (1 = real time).
 */
final class SimulatedClock implements InstantSource {
  private final InstantSource wall;
  private final Instant wallStart;
  private final double speed;

  SimulatedClock(InstantSource wall, double speed) {
    if (!(speed >= 1 && speed <= 1_000_000)) {
      throw new IllegalArgumentException("speed must be between 1 and 1000000: " + speed);
    }
    this.wall = wall;
    this.wallStart = wall.instant();
    this.speed = speed;
  }

  @Override
  public Instant instant() {
    Instant now = wall.instant();
    if (speed == 1) {
      return now;
    }
    long elapsedNanos = Duration.between(wallStart, now).toNanos();
    return wallStart.plusNanos((long) (elapsedNanos * speed));
  }
}
