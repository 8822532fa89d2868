package io.natalia.oxo.server;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.http.Context;

/** JSON answers shared by the PBX and admin endpoints. */
final class Responses {
  static final ObjectMapper JSON = new ObjectMapper();
  static final String JSON_TYPE = "application/json; charset=utf-8";

  private Responses() {}

  /** Answers {@code status} with {@code {"status": status, "message": message}}. */
  static void error(Context ctx, int status, String message) {
    json(ctx, status, JSON.createObjectNode().put("status", status).put("message", message));
  }

  static void json(Context ctx, int status, JsonNode body) {
    try {
      ctx.status(status).contentType(JSON_TYPE).result(JSON.writeValueAsBytes(body));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot serialize a response body", e);
    }
  }
}
