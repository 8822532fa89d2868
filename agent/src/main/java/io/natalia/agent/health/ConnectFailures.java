package io.natalia.agent.health;

import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.URI;
import java.net.UnknownHostException;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpTimeoutException;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.UnresolvedAddressException;
import javax.net.ssl.SSLException;

/**
 * Describes in plain words, with the host and port, why a connection to a server failed. The JDK's
 * HTTP client reports a closed port as a {@code ConnectException} or a bare
 * {@code ClosedChannelException}, and an unknown host as an {@code UnresolvedAddressException}
 * without a message, none of which an admin can act on as such.
 */
public final class ConnectFailures {
  private ConnectFailures() {}

  /** The kind of connection failure, which decides the error code. */
  public enum Kind { TIMED_OUT, UNREACHABLE }

  /**
   * A connection failure in words.
   *
   * @param kind whether it timed out or was refused, unresolved or unroutable
   * @param reason what failed, naming the host and port
   */
  public record Failure(Kind kind, String reason) {}

  /**
   * Returns the connection failure behind {@code e} on a request to {@code target}, or
   * {@code null} when {@code e} is another failure (TLS, protocol).
   */
  public static Failure describe(Throwable e, URI target) {
    String host = target.getHost();
    int port = target.getPort() == -1 ? 443 : target.getPort();
    String where = host + " port " + port;
    if (cause(e, HttpConnectTimeoutException.class) != null) {
      return new Failure(Kind.TIMED_OUT, "connection to " + where + " timed out: nothing "
          + "answered, a firewall may drop the packets");
    }
    if (cause(e, HttpTimeoutException.class) != null) {
      return new Failure(Kind.TIMED_OUT, "request to " + target + " timed out: connected, but "
          + "no response in time");
    }
    if (cause(e, UnresolvedAddressException.class) != null
        || cause(e, UnknownHostException.class) != null) {
      return new Failure(Kind.UNREACHABLE, "host " + host + " not found: the name does not "
          + "resolve (DNS)");
    }
    if (cause(e, NoRouteToHostException.class) != null) {
      return new Failure(Kind.UNREACHABLE, "no route to host " + host + ": check the "
          + "address and the network between the agent and it");
    }
    // A channel closed during the TLS handshake is the server hanging up, not a refusal.
    boolean closedBeforeTls = cause(e, ClosedChannelException.class) != null
        && cause(e, SSLException.class) == null;
    if (cause(e, ConnectException.class) != null || closedBeforeTls) {
      return new Failure(Kind.UNREACHABLE, "connection refused by " + where + ": nothing "
          + "listens on that port, or a firewall rejects the connection");
    }
    return null;
  }

  /** Returns the first throwable of {@code type} in the cause chain of {@code e}, or null. */
  public static <T extends Throwable> T cause(Throwable e, Class<T> type) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (type.isInstance(t)) {
        return type.cast(t);
      }
      if (t.getCause() == t) {
        break;
      }
    }
    return null;
  }
}
