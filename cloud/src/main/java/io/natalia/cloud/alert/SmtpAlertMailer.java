package io.natalia.cloud.alert;

import io.natalia.cloud.service.SmtpSettings;
import java.util.List;
import org.simplejavamail.api.email.Email;
import org.simplejavamail.api.mailer.Mailer;
import org.simplejavamail.api.mailer.config.TransportStrategy;
import org.simplejavamail.email.EmailBuilder;
import org.simplejavamail.mailer.MailerBuilder;

/**
 * Sends alert mails over SMTP with simple-java-mail (Jakarta Mail underneath), which handles
 * STARTTLS, SMTPS, authentication and header encoding that a hand-written client would get
 * wrong. Thread-safe.
 */
public final class SmtpAlertMailer implements AlertMailer {
  private final Mailer mailer;
  private final String from;
  private final String description;

  /**
   * @param host SMTP server
   * @param port its port (25, 465 or 587)
   * @param security {@code none}, {@code starttls} or {@code tls}
   * @param user login, or null for none
   * @param password password, or null
   * @param from sender address of the alerts
   */
  public SmtpAlertMailer(String host, int port, String security, String user, String password,
      String from) {
    TransportStrategy strategy = switch (security) {
      case "none" -> TransportStrategy.SMTP;
      case "starttls" -> TransportStrategy.SMTP_TLS;
      case "tls" -> TransportStrategy.SMTPS;
      default -> throw new IllegalArgumentException(
          "smtp.security must be none, starttls or tls: '" + security + "'");
    };
    this.mailer = MailerBuilder.withSMTPServer(host, port, user, password)
        .withTransportStrategy(strategy)
        .withSessionTimeout(10_000)
        .buildMailer();
    this.from = from;
    this.description = "smtp://" + host + ":" + port + " (" + security + ", "
        + (user == null ? "no login" : "login " + user) + ", from " + from + ")";
  }

  /** Returns a mailer for the settings, or {@link AlertMailer#NONE} when they are null. */
  public static AlertMailer of(SmtpSettings settings) {
    if (settings == null) {
      return AlertMailer.NONE;
    }
    return new SmtpAlertMailer(settings.host(), settings.port(), settings.security(),
        settings.user(), settings.password(), settings.from());
  }

  /** Returns the server and sender, without the password. */
  @Override
  public String toString() {
    return description;
  }

  @Override
  public void send(List<String> to, String subject, String text) {
    Email email = EmailBuilder.startingBlank()
        .from("Natalia alerts", from)
        .toMultiple(to)
        .withSubject(subject)
        .withPlainText(text)
        .buildEmail();
    mailer.sendMail(email);
  }
}
