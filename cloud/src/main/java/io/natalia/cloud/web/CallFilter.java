package io.natalia.cloud.web;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * The call log's filters, all optional.
 *
 * @param direction {@code incoming}, {@code outgoing} or {@code internal}
 * @param outcome {@code answered} or {@code missed}
 * @param extension the extension that answered or placed the call, or was called first
 * @param huntGroup the hunt group called first ({@code G1})
 * @param trunk the trunk line ({@code V05})
 * @param last4 the last digits of the external number, 1 to 4
 */
public record CallFilter(String direction, String outcome, String extension, String huntGroup,
    String trunk, String last4) {
  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9*#._-]{1,32}");
  private static final Pattern DIGITS = Pattern.compile("[0-9]{1,4}");

  /** No filter. */
  static final CallFilter NONE = new CallFilter(null, null, null, null, null, null);

  /**
   * Reads the filters from request parameters; blank means absent.
   *
   * @throws IllegalArgumentException naming the parameter and the value
   */
  static CallFilter parse(Function<String, String> parameter) {
    return new CallFilter(
        oneOf("direction", parameter.apply("direction"), "incoming", "outgoing", "internal"),
        oneOf("outcome", parameter.apply("outcome"), "answered", "missed"),
        matching("extension", parameter.apply("extension"), NAME),
        matching("group", parameter.apply("group"), NAME),
        matching("trunk", parameter.apply("trunk"), NAME),
        matching("digits", parameter.apply("digits"), DIGITS));
  }

  /** Returns the filters as query parameters, without the leading {@code &}. */
  String query() {
    List<String> parts = new ArrayList<>();
    Map<String, String> values = new java.util.LinkedHashMap<>();
    values.put("direction", direction);
    values.put("outcome", outcome);
    values.put("extension", extension);
    values.put("group", huntGroup);
    values.put("trunk", trunk);
    values.put("digits", last4);
    values.forEach((name, value) -> {
      if (value != null) {
        parts.add(name + "=" + java.net.URLEncoder.encode(value,
            java.nio.charset.StandardCharsets.UTF_8));
      }
    });
    return String.join("&", parts);
  }

  /** Returns the filter as the analytics query layer takes it. */
  io.natalia.cloud.analytics.CallFilter analytics() {
    return new io.natalia.cloud.analytics.CallFilter(direction,
        outcome == null ? null : io.natalia.cloud.analytics.CallFilter.Outcome.parse(outcome),
        extension, huntGroup, trunk, last4);
  }

  private static String oneOf(String parameter, String value, String... allowed) {
    if (value == null || value.isBlank()) {
      return null;
    }
    for (String candidate : allowed) {
      if (candidate.equals(value)) {
        return value;
      }
    }
    throw new IllegalArgumentException(
        parameter + " must be one of " + String.join(", ", allowed) + ": '" + value + "'");
  }

  private static String matching(String parameter, String value, Pattern pattern) {
    if (value == null || value.isBlank()) {
      return null;
    }
    String stripped = value.strip();
    if (!pattern.matcher(stripped).matches()) {
      throw new IllegalArgumentException(parameter + " is not valid here: '" + value + "'"
          + (pattern == DIGITS ? " (1 to 4 digits)" : " (1 to 32 letters, digits or . _ - * #)"));
    }
    return stripped;
  }
}
