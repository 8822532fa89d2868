package io.natalia.agent.web;

import io.javalin.http.Context;
import io.natalia.agent.config.AgentConfig;
import io.natalia.agent.config.PbxType;
import io.natalia.agent.config.Secret;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.ZoneId;
import java.util.Locale;

/**
 * The PBX configuration form as typed: the PBX name, the fields of the OXO setup guide (type,
 * IP, port, login, password, polling interval) and the PBX time zone.
 *
 * @param name the PBX name ({@code pbx.id}), or null when the request has no such field, which
 *     keeps the stored one
 * @param type {@code OXO}; {@code OXE} is listed as coming and rejected
 * @param host PBX IP address or host name
 * @param port CDR over IP port (443 or 30443 on a real OXO)
 * @param login PBX service account
 * @param password new password, or blank to keep the stored one
 * @param pollMinutes polling interval in minutes
 * @param timeZone PBX time zone id
 */
record PbxForm(String name, String type, String host, String port, String login, String password,
    String pollMinutes, String timeZone) {

  /** Reads the form fields of a request. */
  static PbxForm from(Context ctx) {
    String name = ctx.formParam("pbxId");
    return new PbxForm(name == null ? null : name.strip(), field(ctx, "type"),
        field(ctx, "host"), field(ctx, "port"), field(ctx, "login"), ctx.formParam("password"),
        field(ctx, "pollMinutes"), field(ctx, "timeZone"));
  }

  /**
   * Returns the PBX settings this form describes over the current ones: a blank password keeps
   * the stored one, and the trusted certificate is kept only while IP and port stay the same.
   *
   * @throws FormException naming the field, the value and the rule
   */
  AgentConfig.Pbx toPbx(AgentConfig.Pbx current) throws FormException {
    String id = name == null ? current.id() : name;
    if (!AgentConfig.PBX_ID.matcher(id).matches()) {
      throw new FormException("PBX name", "must be 1 to 64 letters, digits, '.', '_' or '-', "
          + "such as oxo-main: '" + id + "'");
    }
    PbxType pbxType = pbxType();
    if (host.isEmpty() || !host.matches("[A-Za-z0-9.:\\[\\]-]+")) {
      throw new FormException("PBX IP", "must be an IP address or a host name, such as "
          + "192.168.1.10: '" + host + "'");
    }
    int portNumber = portNumber();
    if (login.isEmpty()) {
      throw new FormException("Login", "is required (the guide names it natalia-collector)");
    }
    Duration interval = pollInterval();
    ZoneId zone = zone();
    Secret secret = password == null || password.isEmpty() ? current.password()
        : new Secret(password);
    if (secret == null) {
      throw new FormException("Password", "is required: enter the password of " + login);
    }
    boolean sameAddress = host.equalsIgnoreCase(current.host()) && portNumber == current.port();
    return new AgentConfig.Pbx(id, pbxType, host, portNumber, login, secret, zone,
        interval, current.overlap(), sameAddress ? current.certificateSha256() : null,
        current.caCertificateFile());
  }

  private PbxType pbxType() throws FormException {
    if ("OXE".equalsIgnoreCase(type)) {
      throw new FormException("PBX type", "OXE is coming in a later version; this one "
          + "collects from OXO only");
    }
    if (!"OXO".equalsIgnoreCase(type)) {
      throw new FormException("PBX type", "must be OXO: '" + type + "'");
    }
    return PbxType.OXO;
  }

  // Limitation: see docs/known-limitations.md#web-port-any
  private int portNumber() throws FormException {
    try {
      int value = Integer.parseInt(port);
      if (value >= 1 && value <= 65_535) {
        return value;
      }
    } catch (NumberFormatException e) {
      // Reported below with the rule.
    }
    throw new FormException("Port", "must be a port number, 443 or 30443 as chosen in WMC "
        + "under CDR over IP: '" + port + "'");
  }

  private Duration pollInterval() throws FormException {
    long minutes;
    try {
      minutes = Long.parseLong(pollMinutes);
    } catch (NumberFormatException e) {
      throw new FormException("Polling interval", "must be a whole number of minutes, such as "
          + "30: '" + pollMinutes + "'");
    }
    long lifetimeMinutes = AgentConfig.OXO_TOKEN_LIFETIME.toMinutes();
    if (minutes >= lifetimeMinutes) {
      throw new FormException("Polling interval", minutes + " min is too long: it must be below "
          + "the PBX token lifetime of " + lifetimeMinutes + " min (expires_in "
          + AgentConfig.OXO_TOKEN_LIFETIME.toSeconds() + " s), so that one login covers a "
          + "whole poll; 30 min is recommended");
    }
    if (minutes < 1) {
      throw new FormException("Polling interval", "must be at least 1 min: " + minutes);
    }
    return Duration.ofMinutes(minutes);
  }

  private ZoneId zone() throws FormException {
    try {
      return ZoneId.of(timeZone);
    } catch (DateTimeException e) {
      throw new FormException("PBX time zone", "must be a time zone such as Europe/Paris: '"
          + timeZone + "'");
    }
  }

  private static String field(Context ctx, String name) {
    String value = ctx.formParam(name);
    return value == null ? "" : value.strip();
  }

  /** A rejected form value; the message starts with the field's label. */
  static final class FormException extends Exception {
    private static final long serialVersionUID = 1L;

    FormException(String label, String message) {
      super(label + " " + message + (message.endsWith(".") ? "" : "."));
    }
  }

  /** Returns the form's type in upper case, for redisplay. */
  String typeUpper() {
    return type.toUpperCase(Locale.ROOT);
  }
}
