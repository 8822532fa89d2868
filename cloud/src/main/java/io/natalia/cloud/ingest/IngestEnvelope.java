package io.natalia.cloud.ingest;

import com.fasterxml.jackson.databind.JsonNode;
import io.natalia.cdr.InvalidRecordException;
import io.natalia.cloud.server.ApiError;
import io.natalia.cloud.server.ApiException;
import java.nio.charset.StandardCharsets;
import java.time.DateTimeException;
import java.time.ZoneId;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The checked envelope of an ingest request: the {@code agent} object that describes the
 * sender, the {@code pbx} the records come from, and the {@code records} array, not yet
 * checked one by one.
 *
 * <p>A rule broken in {@code agent} or {@code pbx} refuses the whole request with
 * NAT-API-008, naming the field and the value. Fields the cloud does not know are ignored, so
 * that a newer agent can send more. Both objects are optional: without {@code pbx.id} the PBX
 * is the first stored record's {@code pbxId}.
 *
 * @param agent the {@code agent} object as sent, stored as the agent's reported health, or
 *     null when absent
 * @param agentHost {@code agent.host}, or null
 * @param agentVersion {@code agent.version}, or null
 * @param pbxId {@code pbx.id}, or null
 * @param pbxType {@code pbx.type}, or null
 * @param pbxTimeZone {@code pbx.timeZone}, or null
 * @param records the {@code records} array
 */
record IngestEnvelope(JsonNode agent, String agentHost, String agentVersion, String pbxId,
    String pbxType, String pbxTimeZone, JsonNode records) {

  /**
   * Maximum size of the {@code agent} or {@code pbx} object as compact JSON. The agent sends
   * about 200 bytes with its health; the cap keeps a stored health row small.
   */
  static final int MAX_OBJECT_BYTES = 4096;
  /** Maximum length of {@code agent.version}; a semantic version with a build suffix fits. */
  static final int MAX_VERSION_LENGTH = 64;
  /** Maximum length of {@code agent.host}: a fully qualified DNS name is at most 253. */
  static final int MAX_HOST_LENGTH = 253;
  /** The PBX id rule of the agent's configuration ({@code pbx.id}). */
  static final Pattern PBX_ID = Pattern.compile("[A-Za-z0-9._-]{1,64}");
  /** PBX types the agent can be configured with. */
  static final Set<String> PBX_TYPES = Set.of("OXO", "OXE");

  /**
   * Checks a parsed request body.
   *
   * @throws ApiException NAT-API-008 naming the first field that breaks a rule, or NAT-API-009
   *     when there are more than {@code maxRecords} records
   */
  static IngestEnvelope read(JsonNode body, int maxRecords) {
    if (!body.isObject()) {
      throw invalid("body must be a JSON object {\"agent\", \"pbx\", \"records\"}, got "
          + body.getNodeType());
    }
    JsonNode agent = section(body, "agent");
    JsonNode pbx = section(body, "pbx");
    JsonNode records = body.get("records");
    if (records == null || !records.isArray()) {
      throw invalid("\"records\" must be a JSON array, got "
          + (records == null ? "nothing" : records.getNodeType()));
    }
    if (records.size() > maxRecords) {
      throw new ApiException(ApiError.TOO_MANY_RECORDS, records.size() + " records in one"
          + " request, above the limit of " + maxRecords + "; send smaller batches");
    }
    String host = boundedText(agent, "agent", "host", MAX_HOST_LENGTH);
    String version = boundedText(agent, "agent", "version", MAX_VERSION_LENGTH);
    if (agent != null && agent.has("health") && !agent.get("health").isNull()
        && !agent.get("health").isObject()) {
      throw invalid("agent.health must be a JSON object, got "
          + agent.get("health").getNodeType());
    }
    return new IngestEnvelope(agent, host, version, pbxId(pbx), pbxType(pbx),
        pbxTimeZone(pbx), records);
  }

  /** Returns {@code body.name} when it is an object within the size cap, null when absent. */
  private static JsonNode section(JsonNode body, String name) {
    JsonNode value = body.get(name);
    if (value == null || value.isNull()) {
      return null;
    }
    if (!value.isObject()) {
      throw invalid("\"" + name + "\" must be a JSON object, got " + value.getNodeType());
    }
    String json = value.toString();
    // PostgreSQL text and jsonb cannot hold NUL, and the agent object is stored as jsonb.
    if (json.contains("\\u0000")) {
      throw invalid("\"" + name + "\" must not contain NUL characters");
    }
    int bytes = json.getBytes(StandardCharsets.UTF_8).length;
    if (bytes > MAX_OBJECT_BYTES) {
      throw invalid("\"" + name + "\" must be at most " + MAX_OBJECT_BYTES
          + " bytes of JSON: " + bytes + " bytes");
    }
    return value;
  }

  private static String pbxId(JsonNode pbx) {
    String id = text(pbx, "pbx", "id");
    if (id != null && !PBX_ID.matcher(id).matches()) {
      throw invalid("pbx.id must be 1 to 64 of [A-Za-z0-9._-]: " + quote(id));
    }
    return id;
  }

  private static String pbxType(JsonNode pbx) {
    String type = text(pbx, "pbx", "type");
    if (type != null && !PBX_TYPES.contains(type)) {
      throw invalid("pbx.type must be OXO or OXE: " + quote(type));
    }
    return type;
  }

  private static String pbxTimeZone(JsonNode pbx) {
    String zone = text(pbx, "pbx", "timeZone");
    if (zone == null) {
      return null;
    }
    try {
      return ZoneId.of(zone).getId();
    } catch (DateTimeException e) {
      throw invalid("pbx.timeZone must be a time zone id such as Europe/Paris: " + quote(zone));
    }
  }

  private static String boundedText(JsonNode section, String sectionName, String field,
      int maxLength) {
    String text = text(section, sectionName, field);
    if (text == null) {
      return null;
    }
    if (text.length() > maxLength) {
      throw invalid(sectionName + "." + field + " must be at most " + maxLength
          + " characters (" + text.length() + "): " + quote(text));
    }
    if (text.chars().anyMatch(Character::isISOControl)) {
      throw invalid(sectionName + "." + field + " must not contain control characters: "
          + quote(text));
    }
    return text;
  }

  /** Returns a string field, null when the section or the field is absent or null. */
  private static String text(JsonNode section, String sectionName, String field) {
    JsonNode value = section == null ? null : section.get(field);
    if (value == null || value.isNull()) {
      return null;
    }
    if (!value.isTextual()) {
      throw invalid(sectionName + "." + field + " must be a string, got " + value.getNodeType()
          + ": " + quote(value.toString()));
    }
    return value.textValue();
  }

  private static String quote(String value) {
    return InvalidRecordException.quote(value);
  }

  private static ApiException invalid(String message) {
    return new ApiException(ApiError.INVALID_ENVELOPE, message);
  }
}
