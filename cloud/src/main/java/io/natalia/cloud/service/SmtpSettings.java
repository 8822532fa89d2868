package io.natalia.cloud.service;

import java.util.Set;

/**
 * The SMTP server the cloud sends e-mail through: alerts and reveal notices to each tenant's
 * admins. {@link #toString} leaves the password out, so the settings may be logged.
 *
 * @param host the SMTP server's host name or address
 * @param port its port: 25 (relay), 587 (submission with STARTTLS) or 465 (implicit TLS)
 * @param security {@code none}, {@code starttls} or {@code tls}
 * @param user login, or null to send without authentication
 * @param password password of {@code user}, or null
 * @param from sender address of the mails
 */
public record SmtpSettings(String host, int port, String security, String user,
    String password, String from) {

  /** Values of {@code security}. */
  public static final Set<String> SECURITY_VALUES = Set.of("none", "starttls", "tls");

  /**
   * Checks the settings.
   *
   * @throws IllegalArgumentException naming the setting and the value that is wrong
   */
  public SmtpSettings {
    if (host == null || host.isBlank()) {
      throw new IllegalArgumentException("smtp.host is required to send mail");
    }
    if (port < 1 || port > 65_535) {
      throw new IllegalArgumentException("smtp.port must be between 1 and 65535: " + port);
    }
    if (!SECURITY_VALUES.contains(security)) {
      throw new IllegalArgumentException(
          "smtp.security must be none, starttls or tls: '" + security + "'");
    }
    if (from == null || !from.matches("[^@\\s]+@[^@\\s]+")) {
      throw new IllegalArgumentException(
          "smtp.from must be the sender's e-mail address: '" + from + "'");
    }
    if ((user == null) != (password == null)) {
      throw new IllegalArgumentException(
          "smtp.user and smtp.password-file go together; set both or neither");
    }
  }

  /** Returns the usual port of a security mode: 25, 587 for STARTTLS, 465 for TLS. */
  public static int defaultPort(String security) {
    return switch (security) {
      case "starttls" -> 587;
      case "tls" -> 465;
      default -> 25;
    };
  }

  @Override
  public String toString() {
    return "smtp://" + host + ":" + port + " (" + security + ", "
        + (user == null ? "no login" : "login " + user + ", password set") + ", from " + from
        + ")";
  }
}
