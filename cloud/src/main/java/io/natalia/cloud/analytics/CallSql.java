package io.natalia.cloud.analytics;

import java.sql.Array;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The SQL shared by the queries over {@code call}: the columns of a {@link CallRow}, and the
 * condition for a tenant, a range and a {@link CallFilter}, with its parameters in order.
 */
final class CallSql {
  /** Columns read by {@link #row}, for a {@code call} aliased {@code c}. */
  static final String ROW_COLUMNS = "c.id, c.pbx_id, c.direction, c.started_at, c.ended_at,"
      + " c.answered, c.time_to_answer_seconds, c.ring_seconds, c.talk_seconds, c.cost,"
      + " c.number_last4, c.trunk, c.initial_target, c.answering_extension, c.leg_count,"
      + " c.leg_ids";

  private final StringBuilder where = new StringBuilder();
  private final List<Object> parameters = new ArrayList<>();

  private CallSql() {}

  /** The condition on {@code call c} for a tenant's calls of a range that match a filter. */
  static CallSql where(long tenantId, TimeRange range, CallFilter filter) {
    CallSql sql = new CallSql();
    sql.add("c.tenant_id = ?", tenantId);
    sql.add("c.started_at >= ?", Timestamp.from(range.from()));
    sql.add("c.started_at < ?", Timestamp.from(range.to()));
    sql.filter(filter);
    return sql;
  }

  private void filter(CallFilter filter) {
    if (filter.direction() != null) {
      add("c.direction = ?", filter.direction());
    }
    if (filter.outcome() == CallFilter.Outcome.ANSWERED) {
      add("c.answered");
    } else if (filter.outcome() == CallFilter.Outcome.MISSED) {
      add("c.direction = 'incoming' AND NOT c.answered");
    }
    if (filter.extension() != null) {
      add("(c.answering_extension = ? OR c.initial_target = ?)", filter.extension(),
          filter.extension());
    }
    if (filter.huntGroup() != null) {
      add("c.initial_target = ?", filter.huntGroup());
    }
    if (filter.trunk() != null) {
      add("c.trunk = ?", filter.trunk());
    }
    if (filter.numberEndsWith() != null) {
      // Ends with the digits: the reversed number starts with the reversed digits, a range of
      // the index call_number_suffix (digits only, so the next prefix is the last digit + 1).
      String reversed = new StringBuilder(filter.numberEndsWith()).reverse().toString();
      String next = reversed.substring(0, reversed.length() - 1)
          + (char) (reversed.charAt(reversed.length() - 1) + 1);
      add("reverse(c.number_last4) COLLATE \"C\" >= ?", reversed);
      add("reverse(c.number_last4) COLLATE \"C\" < ?", next);
    }
  }

  /** Adds a condition joined with AND. */
  CallSql add(String condition, Object... values) {
    where.append(where.isEmpty() ? "" : " AND ").append(condition);
    parameters.addAll(Arrays.asList(values));
    return this;
  }

  /** Returns the condition, without the {@code WHERE} keyword. */
  String condition() {
    return where.toString();
  }

  /**
   * Returns the condition with each parameter written as an SQL literal, for a statement that
   * takes no parameters ({@code COPY}). Strings are quoted for {@code
   * standard_conforming_strings = on}, which the caller sets.
   */
  String literalCondition() {
    StringBuilder sql = new StringBuilder(where.length() + 64);
    int next = 0;
    for (int i = 0; i < where.length(); i++) {
      char c = where.charAt(i);
      if (c == '?') {
        sql.append(literal(parameters.get(next++)));
      } else {
        sql.append(c);
      }
    }
    return sql.toString();
  }

  private static String literal(Object value) {
    return switch (value) {
      case Long number -> number.toString();
      case Integer number -> number.toString();
      case Timestamp time -> "'" + time.toInstant() + "'::timestamptz";
      case String text -> "'" + text.replace("'", "''") + "'";
      default -> throw new IllegalArgumentException(
          "no SQL literal for a parameter of type " + value.getClass().getName());
    };
  }

  /** Sets the condition's parameters from position {@code first}; returns the next position. */
  int bind(PreparedStatement statement, int first) throws SQLException {
    int index = first;
    for (Object value : parameters) {
      statement.setObject(index++, value);
    }
    return index;
  }

  static CallRow row(ResultSet rows) throws SQLException {
    Array legs = rows.getArray(16);
    return new CallRow(
        rows.getString(1),
        rows.getString(2),
        rows.getString(3),
        rows.getObject(4, OffsetDateTime.class).toInstant(),
        rows.getObject(5, OffsetDateTime.class).toInstant(),
        rows.getBoolean(6),
        (Integer) rows.getObject(7),
        rows.getInt(8),
        rows.getInt(9),
        rows.getBigDecimal(10),
        rows.getString(11),
        rows.getString(12),
        rows.getString(13),
        rows.getString(14),
        rows.getInt(15),
        List.of((String[]) legs.getArray()));
  }
}
