package io.natalia.agent.config;

import java.util.Objects;

/**
 * A password or key from the configuration. {@link #toString()} never shows the value, so a
 * secret printed by mistake (a log line, an exception message) stays hidden.
 *
 * @param value the secret itself; read it only where it is sent
 */
public record Secret(String value) {

  public Secret {
    Objects.requireNonNull(value, "value");
  }

  /** Returns whether the secret is empty or blank. */
  public boolean isBlank() {
    return value.isBlank();
  }

  @Override
  public String toString() {
    return "[redacted]";
  }
}
