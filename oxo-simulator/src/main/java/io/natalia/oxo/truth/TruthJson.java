package io.natalia.oxo.truth;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.natalia.oxo.buffer.DroppedTicket;
import io.natalia.oxo.traffic.DailyTotals;
import io.natalia.oxo.traffic.TruthCall;
import java.time.ZoneId;
import java.util.HashMap;
import java.util.Map;

/** Writes a {@link TruthReport} as the JSON document of the admin truth endpoint. */
public final class TruthJson {
  private TruthJson() {}

  /** Returns the report as a JSON tree; times are ISO-8601 UTC instants and local dates. */
  public static ObjectNode toJson(TruthReport report, ObjectMapper mapper) {
    ObjectNode root = mapper.createObjectNode()
        .put("from", report.from().toString())
        .put("to", report.to().toString())
        .put("zone", report.zone().getId())
        .put("ticketsDroppedTotal", report.ticketsDroppedTotal())
        .put("ticketsEvictedUnservedTotal", report.ticketsEvictedUnservedTotal());
    ArrayNode days = root.putArray("days");
    report.days().forEach(day -> days.add(day(day, mapper)));
    Map<String, Integer> droppedPerCall = new HashMap<>();
    report.ticketsDropped().forEach(t -> droppedPerCall.merge(t.callId(), 1, Integer::sum));
    ArrayNode calls = root.putArray("calls");
    report.calls().forEach(call -> calls.add(call(call, report.zone(), droppedPerCall, mapper)));
    ArrayNode dropped = root.putArray("ticketsDropped");
    report.ticketsDropped().forEach(ticket -> dropped.add(dropped(ticket, mapper)));
    return root;
  }

  private static ObjectNode day(TruthDay day, ObjectMapper mapper) {
    DailyTotals totals = day.totals();
    return mapper.createObjectNode()
        .put("date", totals.date().toString())
        .put("calls", totals.calls())
        .put("incoming", totals.incomingAnswered() + totals.missed())
        .put("incomingAnswered", totals.incomingAnswered())
        .put("missed", totals.missed())
        .put("unreturnedMissed", totals.unreturnedMissed())
        .put("outgoing", totals.outgoing())
        .put("internal", totals.internal())
        .put("talkSeconds", totals.talkSeconds())
        .put("cost", totals.cost().toPlainString())
        .put("ticketsDropped", day.ticketsDropped());
  }

  private static ObjectNode call(TruthCall call, ZoneId zone, Map<String, Integer> dropped,
      ObjectMapper mapper) {
    ObjectNode node = mapper.createObjectNode()
        .put("callId", call.callId())
        .put("direction", call.direction())
        .put("startedAt", call.startedAt().toString())
        .put("localStart", call.startedAt().atZone(zone).toLocalDateTime().toString())
        .put("externalNumber", call.externalNumber())
        .put("trunk", call.trunk())
        .put("initialTarget", call.initialTarget())
        .put("answered", call.answered())
        .put("ringSeconds", call.ringSeconds())
        .put("talkSeconds", call.talkSeconds())
        .put("cost", call.cost() == null ? "0" : call.cost().toPlainString())
        .put("ticketsDropped", dropped.getOrDefault(call.callId(), 0));
    if (call.calledBack() == null) {
      node.putNull("calledBack");
    } else {
      node.put("calledBack", call.calledBack());
    }
    ArrayNode legs = node.putArray("legs");
    for (TruthCall.Leg leg : call.legs()) {
      legs.addObject()
          .put("extension", leg.extension())
          .put("startedAt", leg.startedAt().toString())
          .put("ringSeconds", leg.ringSeconds())
          .put("talkSeconds", leg.talkSeconds())
          .put("answered", leg.answered());
    }
    return node;
  }

  private static ObjectNode dropped(DroppedTicket ticket, ObjectMapper mapper) {
    return mapper.createObjectNode()
        .put("callId", ticket.callId())
        .put("legIndex", ticket.legIndex())
        .put("writtenAt", ticket.writtenAt().toString());
  }
}
