package io.natalia.cloud.alert;

import java.util.List;

/** Sends alert e-mails; {@link #NONE} when no SMTP server is configured. */
public interface AlertMailer {
  /** Sends nothing: alerts are stored and listed only. */
  AlertMailer NONE = new AlertMailer() {
    @Override
    public boolean enabled() {
      return false;
    }

    @Override
    public void send(List<String> to, String subject, String text) {
      // Nothing configured to send with.
    }
  };

  /** Returns whether mails go out; the monitor leaves alerts unsent when not. */
  default boolean enabled() {
    return true;
  }

  /**
   * Sends one plain-text mail.
   *
   * @throws RuntimeException when the server refuses it or cannot be reached; the alert is
   *     tried again on the next check
   */
  void send(List<String> to, String subject, String text);
}
