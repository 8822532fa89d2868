package io.natalia.cloud.web;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;

/**
 * The state an agent reports in the {@code agent} object of each ingest: disk buffer use and
 * current error code. Several field names are tried in order, so both
 * {@code bufferUsedPercent} and {@code buffer.usedPercent} are read.
 *
 * @param bufferPercent disk buffer use in percent, or null when not reported
 * @param errorCode the agent's current error code ({@code NAT-AGT-007}), or null
 */
record AgentHealth(Double bufferPercent, String errorCode) {
  private static final ObjectMapper JSON = new ObjectMapper();

  static AgentHealth parse(String json) {
    if (json == null || json.isBlank()) {
      return new AgentHealth(null, null);
    }
    try {
      JsonNode root = JSON.readTree(json);
      JsonNode buffer = first(root, "/bufferUsedPercent", "/bufferPercent",
          "/buffer/usedPercent", "/health/bufferUsedPercent");
      JsonNode error = first(root, "/errorCode", "/lastErrorCode", "/error/code",
          "/health/errorCode");
      return new AgentHealth(buffer != null && buffer.isNumber() ? buffer.asDouble() : null,
          error != null && error.isTextual() && !error.asText().isBlank() ? error.asText()
              : null);
    } catch (IOException e) {
      return new AgentHealth(null, null);
    }
  }

  private static JsonNode first(JsonNode root, String... pointers) {
    for (String pointer : pointers) {
      JsonNode node = root.at(pointer);
      if (!node.isMissingNode() && !node.isNull()) {
        return node;
      }
    }
    return null;
  }
}
