package io.natalia.cloud.web;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** A SQL statement built from a base and {@code AND} conditions, with its parameters in order. */
final class Sql {
  private final StringBuilder text;
  private final List<Object> parameters = new ArrayList<>();

  Sql(String base, Object... parameters) {
    this.text = new StringBuilder(base);
    Collections.addAll(this.parameters, parameters);
  }

  /** Appends {@code AND condition} with the condition's parameters. */
  Sql and(String condition, Object... values) {
    text.append(" AND ").append(condition);
    Collections.addAll(parameters, values);
    return this;
  }

  /** Appends text (ORDER BY, LIMIT, ...) with its parameters. */
  Sql append(String more, Object... values) {
    text.append(' ').append(more);
    Collections.addAll(parameters, values);
    return this;
  }

  /** Prepares the statement on a connection and binds every parameter. */
  PreparedStatement prepare(Connection connection) throws SQLException {
    PreparedStatement statement = connection.prepareStatement(text.toString());
    for (int i = 0; i < parameters.size(); i++) {
      Object value = parameters.get(i);
      statement.setObject(i + 1, value instanceof Instant instant ? Timestamp.from(instant)
          : value);
    }
    return statement;
  }

  @Override
  public String toString() {
    return text.toString();
  }
}
