package io.natalia.app;

import io.javalin.util.JavalinBindException;
import java.io.IOException;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;

/**
 * Checks that a port a command will listen on is free before the command starts anything, such
 * as the cloud's embedded PostgreSQL or the agent's disk buffer. A taken port becomes one line
 * naming the port, what needs it and the option that changes it.
 *
 * <p>A check is not a reservation: another process may take the port between the check and the
 * bind, so commands also pass a bind failure at start through {@link #isBindFailure}.
 */
final class PortCheck {
  /** Exit code of a command that cannot listen on its port. */
  static final int EXIT_CODE = 1;

  private PortCheck() {}

  /** A port taken by another process. */
  static final class PortInUseException extends Exception {
    private static final long serialVersionUID = 1L;

    PortInUseException(String message) {
      super(message);
    }
  }

  /**
   * Binds the port and releases it at once.
   *
   * @param host the address the server will listen on ({@code 0.0.0.0} for all)
   * @param port the port; 0 (any free port) is never in use
   * @param user what listens there, such as {@code the cloud's HTTPS server}
   * @param option how to choose another port, such as {@code --cloud-port}
   * @throws PortInUseException when something else listens on the port
   */
  static void requireFree(String host, int port, String user, String option)
      throws PortInUseException {
    if (port == 0) {
      return;
    }
    try (ServerSocket socket = new ServerSocket()) {
      // As Jetty binds: a port left in TIME_WAIT by a stopped server counts as free.
      socket.setReuseAddress(true);
      socket.bind(new InetSocketAddress(host, port));
    } catch (BindException e) {
      throw new PortInUseException(message(host, port, user, option));
    } catch (IOException e) {
      // Not a taken port (an unknown host, say): the server's own start reports it.
    }
  }

  /** Returns the line printed when a port is taken. */
  static String message(String host, int port, String user, String option) {
    return "port " + port + " on " + host + " is already in use; " + user + " needs it. Stop"
        + " the program that listens there, or choose another port with " + option
        + " (0 picks a free one).";
  }

  /** Returns whether a start failed because its port was taken after the check. */
  static boolean isBindFailure(Throwable failure) {
    for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
      if (cause instanceof BindException || cause instanceof JavalinBindException) {
        return true;
      }
    }
    return false;
  }
}
