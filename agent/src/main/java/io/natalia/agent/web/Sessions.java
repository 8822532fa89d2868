package io.natalia.agent.web;

import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Browser sessions of the web UI, held in memory (a restart signs everyone out).
 *
 * <p>Every visitor gets a session, signed in or not, because the setup and sign-in forms need
 * a CSRF token too. Signing in replaces the session with a new one, so that an id planted
 * before sign-in is worth nothing after it. A session ends after {@link #IDLE_TIMEOUT} without
 * a request or {@link #MAX_AGE} after it began. Thread-safe.
 */
// Limitation: see docs/known-limitations.md#web-sessions-in-memory
final class Sessions {
  /** Cookie name; the {@code __Host-} prefix makes browsers demand Secure and Path=/. */
  static final String COOKIE = "__Host-natalia-agent";
  static final Duration IDLE_TIMEOUT = Duration.ofMinutes(30);
  static final Duration MAX_AGE = Duration.ofHours(12);
  private static final int TOKEN_BYTES = 32;
  /** Bound on anonymous sessions, so that a flood of visits cannot fill the memory. */
  private static final int MAX_SESSIONS = 10_000;

  private final InstantSource clock;
  private final SecureRandom random;
  private final Map<String, Session> sessions = new ConcurrentHashMap<>();

  /**
   * One session.
   *
   * @param id the cookie value: 256 random bits
   * @param csrfToken the token every form of this session must send back
   * @param signedIn whether the admin signed in with it
   * @param createdAt when it began
   * @param lastSeenAt its last request
   */
  record Session(String id, String csrfToken, boolean signedIn, Instant createdAt,
      Instant lastSeenAt) {}

  Sessions(InstantSource clock, SecureRandom random) {
    this.clock = clock;
    this.random = random;
  }

  /** Returns the live session with this id, marking it seen, or {@code null}. */
  Session find(String id) {
    if (id == null) {
      return null;
    }
    Session session = sessions.get(id);
    if (session == null) {
      return null;
    }
    Instant now = clock.instant();
    if (expired(session, now)) {
      sessions.remove(id);
      return null;
    }
    Session seen = new Session(session.id(), session.csrfToken(), session.signedIn(),
        session.createdAt(), now);
    sessions.replace(id, session, seen);
    return seen;
  }

  /** Starts a new session. */
  Session create(boolean signedIn) {
    Instant now = clock.instant();
    if (sessions.size() >= MAX_SESSIONS) {
      // Limitation: see docs/known-limitations.md#web-anonymous-sessions
      sessions.values().removeIf(s -> expired(s, now) || !s.signedIn());
    }
    Session session = new Session(token(), token(), signedIn, now, now);
    sessions.put(session.id(), session);
    return session;
  }

  /** Ends the session with this id, if any. */
  void remove(String id) {
    if (id != null) {
      sessions.remove(id);
    }
  }

  /** Ends every signed-in session (the admin password changed). */
  void signOutEveryone() {
    sessions.values().removeIf(Session::signedIn);
  }

  private boolean expired(Session session, Instant now) {
    return !now.isBefore(session.lastSeenAt().plus(IDLE_TIMEOUT))
        || !now.isBefore(session.createdAt().plus(MAX_AGE));
  }

  private String token() {
    byte[] bytes = new byte[TOKEN_BYTES];
    random.nextBytes(bytes);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }
}
