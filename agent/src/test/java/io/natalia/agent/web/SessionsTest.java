package io.natalia.agent.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.security.SecureRandom;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class SessionsTest {
  private final FakeClock clock = new FakeClock();
  private final Sessions sessions = new Sessions(clock, new SecureRandom());

  @Test
  void sessionIdsAreRandomAndDistinct() {
    Sessions.Session first = sessions.create(true);
    Sessions.Session second = sessions.create(true);

    assertThat(first.id()).hasSizeGreaterThanOrEqualTo(43);
    assertThat(first.id()).isNotEqualTo(second.id());
    assertThat(first.id()).isNotEqualTo(first.csrfToken());
    assertThat(sessions.find(first.id())).extracting(Sessions.Session::signedIn).isEqualTo(true);
  }

  @Test
  void sessionEndsWhenIdle() {
    Sessions.Session session = sessions.create(true);
    clock.advance(Sessions.IDLE_TIMEOUT.minusSeconds(1));
    assertThat(sessions.find(session.id())).isNotNull();

    clock.advance(Sessions.IDLE_TIMEOUT);

    assertThat(sessions.find(session.id())).isNull();
  }

  @Test
  void busySessionEndsAtMaxAge() {
    Sessions.Session session = sessions.create(true);
    for (Duration elapsed = Duration.ZERO; elapsed.compareTo(Sessions.MAX_AGE) < 0;
        elapsed = elapsed.plusMinutes(10)) {
      sessions.find(session.id());
      clock.advance(Duration.ofMinutes(10));
    }

    assertThat(sessions.find(session.id())).isNull();
  }

  @Test
  void unknownOrRemovedIdsFindNothing() {
    Sessions.Session session = sessions.create(false);

    sessions.remove(session.id());

    assertThat(sessions.find(session.id())).isNull();
    assertThat(sessions.find("made-up")).isNull();
    assertThat(sessions.find(null)).isNull();
  }
}
