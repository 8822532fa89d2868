package io.natalia.cloud.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class LoginThrottleTest {
  private final AtomicReference<Instant> now =
      new AtomicReference<>(Instant.parse("2026-03-30T14:00:00Z"));
  private final InstantSource clock = now::get;
  private final LoginThrottle throttle = new LoginThrottle(clock, 3);

  private void advance(Duration duration) {
    now.set(now.get().plus(duration));
  }

  @Test
  void waitDoublesAfterFreeAttempts() {
    for (int i = 0; i < 3; i++) {
      assertThat(throttle.waitFor("ann")).isEmpty();
      throttle.failed("ann");
    }

    assertThat(throttle.waitFor("ann")).contains(Duration.ofSeconds(2));
    advance(Duration.ofSeconds(2));
    assertThat(throttle.waitFor("ann")).isEmpty();
    throttle.failed("ann");
    assertThat(throttle.waitFor("ann")).contains(Duration.ofSeconds(4));
    assertThat(throttle.waitFor("bob")).isEmpty();
  }

  @Test
  void waitIsCappedAndASuccessClearsIt() {
    assertThat(LoginThrottle.delay(30)).isEqualTo(LoginThrottle.MAX_WAIT);
    for (int i = 0; i < 4; i++) {
      throttle.failed("ann");
    }

    throttle.succeeded("ann");

    assertThat(throttle.waitFor("ann")).isEmpty();
  }

  @Test
  void quietKeyStartsAfresh() {
    for (int i = 0; i < 5; i++) {
      throttle.failed("ann");
    }
    advance(LoginThrottle.FORGET_AFTER.plusSeconds(1));

    throttle.failed("ann");

    assertThat(throttle.waitFor("ann")).isEmpty();
  }
}
