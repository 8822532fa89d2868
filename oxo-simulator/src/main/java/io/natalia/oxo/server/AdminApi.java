package io.natalia.oxo.server;

import static io.natalia.oxo.server.Responses.JSON;
import static io.natalia.oxo.server.Responses.error;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import io.natalia.oxo.buffer.BufferStatus;
import io.natalia.oxo.truth.TruthJson;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.util.Map;

/**
 * Admin endpoints beside the PBX API, behind the admin bearer token: the ground truth, the
 * faults, the CDR over IP switch and the buffer status.
 */
final class AdminApi {
  static final String TRUTH_PATH = "/admin/truth";
  static final String FAULTS_PATH = "/admin/faults";
  static final String STATUS_PATH = "/admin/status";
  static final String CDR_SERVICE_PATH = "/admin/cdr-over-ip";

  private final OxoSimulator pbx;

  AdminApi(OxoSimulator pbx) {
    this.pbx = pbx;
  }

  void register(JavalinConfig config) {
    config.routes.get(TRUTH_PATH, ctx -> ifAdmin(ctx, this::truth));
    config.routes.get(FAULTS_PATH, ctx -> ifAdmin(ctx, this::faults));
    config.routes.post(FAULTS_PATH, ctx -> ifAdmin(ctx, this::setFaults));
    config.routes.get(STATUS_PATH, ctx -> ifAdmin(ctx, this::status));
    config.routes.post(CDR_SERVICE_PATH, ctx -> ifAdmin(ctx, this::setCdrService));
  }

  private void ifAdmin(Context ctx, AdminHandler handler) throws IOException {
    String header = ctx.header("Authorization");
    String expected = "Bearer " + pbx.adminToken();
    if (header == null || !MessageDigest.isEqual(header.getBytes(StandardCharsets.UTF_8),
        expected.getBytes(StandardCharsets.UTF_8))) {
      ctx.header("WWW-Authenticate", "Bearer");
      error(ctx, 401, "admin endpoints need 'Authorization: Bearer <admin token>', the token"
          + " the simulator printed at start");
      return;
    }
    try {
      handler.handle(ctx);
    } catch (IllegalArgumentException | DateTimeException e) {
      error(ctx, 400, e.getMessage());
    }
  }

  /** {@code GET /admin/truth?from=&to=&zone=}: instants, or local dates in {@code zone}. */
  private void truth(Context ctx) {
    String zoneParam = ctx.queryParam("zone");
    ZoneId zone = zoneParam == null ? pbx.zone() : zone(zoneParam);
    Instant from = instant("from", ctx.queryParam("from"), zone);
    Instant to = instant("to", ctx.queryParam("to"), zone);
    Responses.json(ctx, 200, TruthJson.toJson(pbx.truth(from, to, zone), JSON));
  }

  private void faults(Context ctx) {
    Responses.json(ctx, 200, JSON.valueToTree(pbx.faults().snapshot()));
  }

  /** {@code POST /admin/faults} with {@code {"fault-name": value, ...}}, applied in order. */
  private void setFaults(Context ctx) throws IOException {
    JsonNode body = JSON.readTree(ctx.bodyAsBytes());
    if (body == null || !body.isObject()) {
      throw new IllegalArgumentException("body must be a JSON object such as"
          + " {\"server-errors\": 3}");
    }
    for (Map.Entry<String, JsonNode> entry : body.properties()) {
      pbx.faults().set(entry.getKey(), entry.getValue().asText());
    }
    faults(ctx);
  }

  private void status(Context ctx) {
    BufferStatus buffer = pbx.bufferStatus();
    ObjectNode body = JSON.createObjectNode()
        .put("pbxTime", pbx.pbxTime().toString())
        .put("zone", pbx.zone().getId())
        .put("cdrOverIpEnabled", pbx.cdrOverIpEnabled())
        .put("fingerprintSha256", pbx.fingerprintSha256());
    body.putObject("buffer")
        .put("capacity", buffer.capacity())
        .put("size", buffer.size())
        .put("ticketsWritten", buffer.ticketsWritten())
        .put("ticketsDropped", buffer.ticketsDropped())
        .put("ticketsEvictedUnserved", buffer.ticketsEvictedUnserved());
    Responses.json(ctx, 200, body);
  }

  /** {@code POST /admin/cdr-over-ip} with {@code {"enabled": false}}. */
  private void setCdrService(Context ctx) throws IOException {
    JsonNode enabled = JSON.readTree(ctx.bodyAsBytes()).get("enabled");
    if (enabled == null || !enabled.isBoolean()) {
      throw new IllegalArgumentException("body must be {\"enabled\": true} or"
          + " {\"enabled\": false}");
    }
    pbx.cdrOverIpEnabled(enabled.booleanValue());
    status(ctx);
  }

  private static ZoneId zone(String value) {
    try {
      return ZoneId.of(value);
    } catch (DateTimeException e) {
      throw new IllegalArgumentException("invalid zone '" + value
          + "': expected a region id such as Europe/Paris", e);
    }
  }

  private static Instant instant(String name, String value, ZoneId zone) {
    if (value == null || value.isBlank()) {
      throw new IllegalArgumentException("missing query parameter " + name
          + ": expected an ISO-8601 instant (2026-05-24T00:00:00Z) or a date (2026-05-24)");
    }
    try {
      return value.length() == 10 ? LocalDate.parse(value).atStartOfDay(zone).toInstant()
          : Instant.parse(value);
    } catch (DateTimeParseException e) {
      throw new IllegalArgumentException("invalid " + name + " '" + value
          + "': expected an ISO-8601 instant (2026-05-24T00:00:00Z) or a date (2026-05-24)", e);
    }
  }

  @FunctionalInterface
  private interface AdminHandler {
    void handle(Context ctx) throws IOException;
  }
}
