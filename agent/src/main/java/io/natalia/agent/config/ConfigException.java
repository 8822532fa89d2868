package io.natalia.agent.config;

/** An invalid configuration: the message names the field, the value and the rule. */
public final class ConfigException extends Exception {
  private static final long serialVersionUID = 1L;

  private final String field;

  public ConfigException(String field, String message) {
    super(field + ": " + message);
    this.field = field;
  }

  public ConfigException(String field, String message, Throwable cause) {
    super(field + ": " + message, cause);
    this.field = field;
  }

  /** Returns the configuration field at fault, as in the file ({@code pbx.port}). */
  public String field() {
    return field;
  }
}
