package io.natalia.cloud.api;

import io.javalin.http.Context;
import io.natalia.cloud.analytics.CallFilter;
import io.natalia.cloud.analytics.TimeRange;
import io.natalia.cloud.server.ApiError;
import io.natalia.cloud.server.ApiException;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.util.function.Function;

/**
 * Reads the query parameters of an API request; a bad one is refused with
 * {@code NAT-API-015} naming the parameter and the value.
 */
public final class QueryParameters {
  private final Context ctx;

  public QueryParameters(Context ctx) {
    this.ctx = ctx;
  }

  /**
   * Reads {@code from} and {@code to}: a date means local midnight in the tenant's zone, or an
   * ISO-8601 instant with {@code Z} or an offset.
   */
  public TimeRange range(ZoneId zone) {
    Instant from = instant("from", zone);
    Instant to = instant("to", zone);
    return parse("from/to", ctx.queryParam("from") + ".." + ctx.queryParam("to"),
        ignored -> new TimeRange(from, to));
  }

  /** Reads the call filters: direction, outcome, extension, huntGroup, trunk, numberEndsWith. */
  public CallFilter filter() {
    String outcome = ctx.queryParam("outcome");
    return parse("filter", ctx.queryString(), ignored -> new CallFilter(
        ctx.queryParam("direction"),
        outcome == null ? null : CallFilter.Outcome.parse(outcome),
        ctx.queryParam("extension"),
        ctx.queryParam("huntGroup"),
        ctx.queryParam("trunk"),
        ctx.queryParam("numberEndsWith")));
  }

  /** Reads an integer parameter, or returns the default when it is absent. */
  public int integer(String name, int defaultValue) {
    String value = ctx.queryParam(name);
    if (value == null) {
      return defaultValue;
    }
    return parse(name, value, Integer::parseInt);
  }

  /** Reads a parameter through a parser, or returns the default when it is absent. */
  public <T> T value(String name, Function<String, T> parser, T defaultValue) {
    String value = ctx.queryParam(name);
    return value == null ? defaultValue : parse(name, value, parser);
  }

  private Instant instant(String name, ZoneId zone) {
    String value = ctx.queryParam(name);
    if (value == null || value.isBlank()) {
      throw new ApiException(ApiError.INVALID_PARAMETER, name + " is required: a date such as"
          + " 2026-03-01 (midnight in the tenant's time zone) or an instant such as"
          + " 2026-03-01T00:00:00Z");
    }
    return parse(name, value, text -> text.length() == 10
        ? LocalDate.parse(text).atStartOfDay(zone).toInstant()
        : OffsetDateTime.parse(text).toInstant());
  }

  /** Applies a parser and turns its failure into {@code NAT-API-015}. */
  public static <T> T parse(String name, String value, Function<String, T> parser) {
    try {
      return parser.apply(value);
    } catch (NumberFormatException e) {
      throw new ApiException(ApiError.INVALID_PARAMETER,
          name + " must be a whole number: '" + value + "'");
    } catch (IllegalArgumentException e) {
      throw new ApiException(ApiError.INVALID_PARAMETER, e.getMessage());
    } catch (DateTimeException e) {
      throw new ApiException(ApiError.INVALID_PARAMETER, name
          + " must be a date (2026-03-01) or an instant (2026-03-01T00:00:00Z): '" + value + "'");
    }
  }
}
