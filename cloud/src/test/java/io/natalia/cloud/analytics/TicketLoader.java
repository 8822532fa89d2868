package io.natalia.cloud.analytics;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.natalia.cdr.CallRecordId;
import io.natalia.cdr.IngestResponse;
import io.natalia.cloud.ingest.Ingest;
import io.natalia.cloud.stitch.Stitcher;
import io.natalia.oxo.traffic.GeneratedTicket;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.Iterator;

/**
 * Loads simulator tickets through the cloud's real ingest and stitching, converted to call
 * records the way the agent does: PBX local time to UTC in the PBX's zone, durations to
 * seconds, the number field to {@code externalNumber}, the ticket kept as {@code raw}.
 */
final class TicketLoader {
  static final String PBX_ID = "oxo-main";
  private static final int BATCH = 1_000;

  private final Ingest ingest;
  private final Stitcher stitcher;
  private final long tenantId;
  private final long agentKeyId;
  private final ZoneId pbxZone;

  TicketLoader(Ingest ingest, Stitcher stitcher, long tenantId, long agentKeyId,
      ZoneId pbxZone) {
    this.ingest = ingest;
    this.stitcher = stitcher;
    this.tenantId = tenantId;
    this.agentKeyId = agentKeyId;
    this.pbxZone = pbxZone;
  }

  /** Ingests every ticket, in batches, then stitches; returns how many records were stored. */
  long load(Iterator<GeneratedTicket> tickets) throws SQLException {
    long stored = 0;
    long sequence = 0;
    ArrayNode records = JsonNodeFactory.instance.arrayNode();
    while (tickets.hasNext()) {
      records.add(record(tickets.next().fields(), ++sequence));
      if (records.size() == BATCH || !tickets.hasNext()) {
        IngestResponse response = ingest.ingest(tenantId, agentKeyId, body(records));
        if (!response.rejected().isEmpty()) {
          throw new IllegalStateException("ingest rejected " + response.rejected());
        }
        stored += response.ingested();
        records = JsonNodeFactory.instance.arrayNode();
      }
    }
    stitcher.stitchPending();
    return stored;
  }

  private JsonNode body(ArrayNode records) {
    ObjectNode body = JsonNodeFactory.instance.objectNode();
    body.putObject("agent").put("version", "test").put("host", "loader");
    body.putObject("pbx").put("id", PBX_ID).put("type", "OXO").put("timeZone", pbxZone.getId());
    body.set("records", records);
    return body;
  }

  /** Converts one ticket as the agent would. */
  ObjectNode record(ObjectNode ticket, long ticketId) {
    ObjectNode raw = ticket.deepCopy();
    raw.put("ticketId", ticketId);
    String number = text(ticket, "callingNumber") != null
        ? text(ticket, "callingNumber") : text(ticket, "dialledNumber");
    ObjectNode record = JsonNodeFactory.instance.objectNode();
    record.put("id", CallRecordId.of(PBX_ID, text(ticket, "type"), text(ticket, "startTime"),
        text(ticket, "initialUser"), text(ticket, "chargedUser"), text(ticket, "line"),
        number, text(ticket, "ringDuration"), text(ticket, "duration")));
    record.put("pbxId", PBX_ID);
    record.put("ticketId", ticketId);
    record.put("direction", text(ticket, "type"));
    record.put("startedAt", utc(text(ticket, "startTime")).toString());
    record.put("ringSeconds", seconds(text(ticket, "ringDuration")));
    record.put("talkSeconds", seconds(text(ticket, "duration")));
    if (ticket.has("answered")) {
      record.put("answered", ticket.get("answered").booleanValue());
    }
    putText(record, "extension", text(ticket, "chargedUser"));
    putText(record, "extensionName", text(ticket, "subscriberName"));
    putText(record, "initialTarget", text(ticket, "initialUser"));
    putText(record, "trunk", text(ticket, "line"));
    putText(record, "externalNumber", number);
    if (ticket.has("units")) {
      record.put("units", ticket.get("units").intValue());
    }
    if (ticket.has("cost")) {
      record.put("cost", ticket.get("cost").decimalValue().toPlainString());
    }
    putText(record, "businessCode", text(ticket, "businessCode"));
    record.set("raw", raw);
    return record;
  }

  /** Local PBX time to UTC; in the repeated hour of a DST change back, the earlier offset. */
  private Instant utc(String localTime) {
    return ZonedDateTime.ofLocal(LocalDateTime.parse(localTime), pbxZone, null).toInstant();
  }

  private static int seconds(String hms) {
    String[] parts = hms.split(":");
    return Integer.parseInt(parts[0]) * 3600 + Integer.parseInt(parts[1]) * 60
        + Integer.parseInt(parts[2]);
  }

  private static void putText(ObjectNode node, String field, String value) {
    if (value != null) {
      node.put(field, value);
    }
  }

  private static String text(JsonNode node, String field) {
    JsonNode value = node.get(field);
    return value == null || value.isNull() ? null : value.asText();
  }
}
