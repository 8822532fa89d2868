package io.natalia.cloud.ingest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.natalia.cloud.server.ApiError;
import io.natalia.cloud.server.ApiException;
import java.io.IOException;
import java.util.regex.Pattern;

/**
 * The health an agent reports in {@code agent.health} of each {@code POST /ingest/cdr}, empty
 * batches included: docs/api.md defines the format. Every field may be null: an agent of an
 * older version sends none. The cloud stores only these four fields, checked, so a stored
 * health never exceeds a few dozen bytes.
 *
 * @param bufferUsedPercent disk buffer use in percent of its bound, 0 to 1 000 000 (above 100
 *     when the admin lowered the bound below what the buffer holds)
 * @param errorCode the agent's most severe current error code, such as {@code NAT-AGT-018}
 * @param lagSeconds age of the oldest record waiting in the agent's disk buffer, in seconds
 * @param pendingRecords records waiting in the agent's disk buffer
 */
public record AgentHealth(Double bufferUsedPercent, String errorCode, Long lagSeconds,
    Long pendingRecords) {
  /** No health reported. */
  public static final AgentHealth NONE = new AgentHealth(null, null, null, null);

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Pattern ERROR_CODE = Pattern.compile("NAT-[A-Z]{3}-\\d{3}");
  private static final double MAX_PERCENT = 1_000_000;
  /** A century: a lag beyond it is no clock the agent could have. */
  private static final long MAX_LAG_SECONDS = 100L * 366 * 24 * 3600;
  private static final long MAX_PENDING = 1_000_000_000_000L;

  /**
   * Reads and checks {@code health} of an envelope's {@code agent} object.
   *
   * @param agent the {@code agent} object, or null when the request has none
   * @throws ApiException NAT-API-008 naming the first field of a wrong type or out of range,
   *     with its value
   */
  public static AgentHealth fromEnvelope(JsonNode agent) {
    JsonNode health = agent == null ? null : agent.get("health");
    if (health == null || health.isNull()) {
      return NONE;
    }
    if (!health.isObject()) {
      throw invalid("agent.health", "must be a JSON object", health);
    }
    return new AgentHealth(percent(health.get("bufferUsedPercent")),
        errorCode(health.get("errorCode")),
        whole("agent.health.lagSeconds", health.get("lagSeconds"), MAX_LAG_SECONDS),
        whole("agent.health.pendingRecords", health.get("pendingRecords"), MAX_PENDING));
  }

  /**
   * Reads a health as {@link #toJson()} stored it. Anything else, such as a row written before
   * this format, reads as {@link #NONE} field by field.
   */
  public static AgentHealth fromStored(String json) {
    if (json == null || json.isBlank()) {
      return NONE;
    }
    try {
      JsonNode node = JSON.readTree(json);
      JsonNode percent = node.path("bufferUsedPercent");
      JsonNode code = node.path("errorCode");
      JsonNode lag = node.path("lagSeconds");
      JsonNode pending = node.path("pendingRecords");
      return new AgentHealth(percent.isNumber() ? percent.doubleValue() : null,
          code.isTextual() ? code.textValue() : null,
          lag.canConvertToLong() && lag.isIntegralNumber() ? lag.longValue() : null,
          pending.canConvertToLong() && pending.isIntegralNumber() ? pending.longValue() : null);
    } catch (IOException e) {
      return NONE;
    }
  }

  /** Returns the JSON stored in {@code agent.health}, absent fields as null. */
  public String toJson() {
    ObjectNode node = JSON.createObjectNode();
    node.put("bufferUsedPercent", bufferUsedPercent);
    node.put("errorCode", errorCode);
    node.put("lagSeconds", lagSeconds);
    node.put("pendingRecords", pendingRecords);
    return node.toString();
  }

  private static Double percent(JsonNode value) {
    if (value == null || value.isNull()) {
      return null;
    }
    if (!value.isNumber() || !(value.doubleValue() >= 0 && value.doubleValue() <= MAX_PERCENT)) {
      throw invalid("agent.health.bufferUsedPercent", "must be a number from 0 to 1000000",
          value);
    }
    return value.doubleValue();
  }

  private static String errorCode(JsonNode value) {
    if (value == null || value.isNull()) {
      return null;
    }
    if (!value.isTextual() || !ERROR_CODE.matcher(value.textValue()).matches()) {
      throw invalid("agent.health.errorCode", "must be null or a code such as NAT-AGT-018",
          value);
    }
    return value.textValue();
  }

  private static Long whole(String field, JsonNode value, long max) {
    if (value == null || value.isNull()) {
      return null;
    }
    if (!value.isIntegralNumber() || !value.canConvertToLong() || value.longValue() < 0
        || value.longValue() > max) {
      throw invalid(field, "must be a whole number from 0 to " + max, value);
    }
    return value.longValue();
  }

  private static ApiException invalid(String field, String rule, JsonNode value) {
    String excerpt = value.toString();
    if (excerpt.length() > 80) {
      excerpt = excerpt.substring(0, 80) + "...";
    }
    return new ApiException(ApiError.INVALID_ENVELOPE, field + " " + rule + ": " + excerpt);
  }
}
