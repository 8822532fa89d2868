package io.natalia.agent.health;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.List;

/** Writes an {@link AgentStatus} as JSON for {@code /api/status} and the web UI. */
public final class StatusJson {
  private StatusJson() {}

  /** Returns the status as a JSON object; times are ISO-8601 UTC, durations in seconds. */
  public static ObjectNode toJson(AgentStatus status) {
    ObjectNode node = JsonNodeFactory.instance.objectNode();
    node.put("state", status.state().name());
    putInstant(node, "lastPollAt", status.lastPollAt());
    putInstant(node, "nextPollAt", status.nextPollAt());
    node.put("recordsRead", status.recordsRead());
    node.put("recordsForwarded", status.recordsForwarded());
    node.put("recordsPending", status.recordsPending());
    node.put("lagSeconds", status.lag().toSeconds());
    node.put("bufferUsedBytes", status.bufferUsedBytes());
    node.put("bufferMaxBytes", status.bufferMaxBytes());
    node.put("bufferPercent", Math.round(status.bufferPercent() * 10) / 10.0);
    node.put("quarantined", status.quarantined());
    node.put("recordsLostOnPbx", status.recordsLostOnPbx());
    node.set("currentErrors", errors(status.currentErrors()));
    node.set("recentErrors", errors(status.recentErrors()));
    return node;
  }

  private static ArrayNode errors(List<AgentStatus.ErrorEvent> events) {
    ArrayNode array = JsonNodeFactory.instance.arrayNode();
    for (AgentStatus.ErrorEvent event : events) {
      ObjectNode error = array.addObject();
      error.put("code", event.code().code());
      error.put("meaning", event.code().meaning());
      error.put("message", event.message());
      error.put("fix", event.code().fix());
      error.put("at", event.at().toString());
    }
    return array;
  }

  private static void putInstant(ObjectNode node, String field, Instant value) {
    if (value == null) {
      node.putNull(field);
    } else {
      node.put(field, value.toString());
    }
  }
}
