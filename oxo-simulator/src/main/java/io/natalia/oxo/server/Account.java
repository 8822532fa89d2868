package io.natalia.oxo.server;

import java.util.Objects;

/**
 * A WMC service account that may log in to the PBX API.
 *
 * @param login the account name, for example {@code natalia-collector}
 * @param password the password checked by Basic authentication
 * @param cdrOperator whether the account has the CDR operator profile; without it, login
 *     works but reading records answers 403
 */
public record Account(String login, String password, boolean cdrOperator) {
  /** The account name the setup guide tells PBX administrators to create. */
  public static final String COLLECTOR_LOGIN = "natalia-collector";

  public Account {
    Objects.requireNonNull(login, "login");
    Objects.requireNonNull(password, "password");
    if (login.isEmpty() || login.contains(":")) {
      throw new IllegalArgumentException("login must be non-empty and without ':': '" + login
          + "'");
    }
  }

  @Override
  public String toString() {
    return "Account[login=" + login + ", password=<redacted>, cdrOperator=" + cdrOperator + "]";
  }
}
