package io.natalia.agent.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class LoginThrottleTest {
  private static final String ADDRESS = "192.0.2.7";
  private final FakeClock clock = new FakeClock();
  private final LoginThrottle throttle = new LoginThrottle(clock);

  @Test
  void firstFailuresCostNothing() {
    for (int i = 0; i < LoginThrottle.FREE_FAILURES; i++) {
      throttle.failed(ADDRESS);
    }

    assertThat(throttle.waitFor(ADDRESS)).isZero();
  }

  @Test
  void eachFurtherFailureDoublesTheWait() {
    failTimes(LoginThrottle.FREE_FAILURES + 1);
    Duration first = throttle.waitFor(ADDRESS);
    clock.advance(first);
    throttle.failed(ADDRESS);

    assertThat(first).isEqualTo(Duration.ofSeconds(1));
    assertThat(throttle.waitFor(ADDRESS)).isEqualTo(Duration.ofSeconds(2));
  }

  @Test
  void waitStopsAtCap() {
    for (int i = 0; i < 40; i++) {
      throttle.failed(ADDRESS);
      clock.advance(Duration.ofSeconds(1));
    }

    assertThat(throttle.waitFor(ADDRESS)).isLessThanOrEqualTo(LoginThrottle.MAX_WAIT)
        .isGreaterThan(LoginThrottle.MAX_WAIT.minusSeconds(2));
  }

  @Test
  void successOrOtherAddressStartsAfresh() {
    failTimes(LoginThrottle.FREE_FAILURES + 3);

    assertThat(throttle.waitFor("192.0.2.8")).isZero();
    throttle.succeeded(ADDRESS);
    assertThat(throttle.waitFor(ADDRESS)).isZero();
  }

  @Test
  void oldFailuresAreForgotten() {
    failTimes(LoginThrottle.FREE_FAILURES + 3);
    clock.advance(LoginThrottle.MAX_WAIT.plusSeconds(1));

    throttle.failed(ADDRESS);

    assertThat(throttle.waitFor(ADDRESS)).isZero();
  }

  @Test
  void forgottenAddressesArePruned() {
    for (int i = 0; i <= LoginThrottle.PRUNE_ABOVE; i++) {
      throttle.failed("address-" + i);
    }
    clock.advance(LoginThrottle.MAX_WAIT);

    throttle.failed(ADDRESS);

    assertThat(throttle.trackedAddresses()).isEqualTo(1);
  }

  private void failTimes(int count) {
    for (int i = 0; i < count; i++) {
      throttle.failed(ADDRESS);
    }
  }
}
