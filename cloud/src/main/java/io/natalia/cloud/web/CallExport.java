package io.natalia.cloud.web;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.http.Context;
import io.natalia.cloud.audit.AuditLog;
import io.natalia.cloud.web.CallQueries.CallRow;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Streams the calls of the range and filters on screen as CSV or JSON lines, one row per
 * stitched call, without holding them in memory. Each export is written to the audit log
 * before the first byte leaves.
 *
 * <p>CSV: UTF-8 with a byte order mark (so Excel reads accents), CRLF, RFC 4180 quoting, and
 * a cell that a spreadsheet would run as a formula ({@code = + - @}, tab, CR) starts with an
 * apostrophe.
 */
// Limitation: see docs/known-limitations.md#dashboard-export-formats
final class CallExport {
  static final List<String> COLUMNS = List.of("call_id", "started_at", "direction",
      "answered", "number_last4", "trunk", "initial_target", "extension",
      "time_to_answer_seconds", "ring_seconds", "talk_seconds", "cost", "leg_count");
  private static final ObjectMapper JSON = new ObjectMapper()
      .disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);

  private final CallQueries calls;
  private final AuditLog auditLog;

  CallExport(CallQueries calls, AuditLog auditLog) {
    this.calls = calls;
    this.auditLog = auditLog;
  }

  void send(Context ctx, SignedIn user, DateRange range, CallFilter filter)
      throws IOException, SQLException {
    String format = ctx.pathParam("format");
    if (!format.equals("csv") && !format.equals("jsonl")) {
      throw new WebError(404, "export format must be csv or jsonl: '" + format + "'");
    }
    Map<String, Object> details = new LinkedHashMap<>();
    details.put("format", format);
    details.put("from", range.from().toString());
    details.put("to", range.to().toString());
    details.put("filters", filter.query());
    auditLog.append(user.tenant().id(), user.actor(), "cdr.export", "calls." + format,
        details);
    String name = "natalia-calls-" + range.firstDay() + "-to-" + range.lastDay() + "." + format;
    Renderer.secureHeaders(ctx);
    ctx.header("Content-Disposition", "attachment; filename=\"" + name + "\"");
    ctx.contentType(format.equals("csv") ? "text/csv; charset=utf-8"
        : "application/x-ndjson; charset=utf-8");
    ZoneId zone = user.tenant().timeZone();
    try (Writer out = new BufferedWriter(new OutputStreamWriter(ctx.outputStream(),
        StandardCharsets.UTF_8), 64 * 1024)) {
      if (format.equals("csv")) {
        out.write('\uFEFF');
        writeCsvLine(out, COLUMNS);
        calls.eachCall(user.tenant().id(), range, filter,
            call -> writeCsvLine(out, values(call, zone)));
      } else {
        calls.eachCall(user.tenant().id(), range, filter, call -> {
          Map<String, Object> object = new LinkedHashMap<>();
          List<String> values = values(call, zone);
          for (int i = 0; i < COLUMNS.size(); i++) {
            object.put(COLUMNS.get(i), values.get(i));
          }
          JSON.writeValue(out, object);
          out.write('\n');
        });
      }
    }
  }

  static List<String> values(CallRow call, ZoneId zone) {
    return java.util.Arrays.asList(call.id(),
        DateTimeFormatter.ISO_OFFSET_DATE_TIME.format(call.startedAt().atZone(zone)),
        call.direction(), Boolean.toString(call.answered()), call.last4(), call.trunk(),
        call.initialTarget(), call.extension(),
        call.timeToAnswerSeconds() == null ? null : call.timeToAnswerSeconds().toString(),
        Integer.toString(call.ringSeconds()), Integer.toString(call.talkSeconds()),
        call.cost() == null ? null : call.cost().toPlainString(),
        Integer.toString(call.legCount()));
  }

  static void writeCsvLine(Writer out, List<String> values) throws IOException {
    for (int i = 0; i < values.size(); i++) {
      if (i > 0) {
        out.write(',');
      }
      out.write(csvCell(values.get(i)));
    }
    out.write("\r\n");
  }

  /** Quotes a cell per RFC 4180 and defuses text a spreadsheet would run as a formula. */
  static String csvCell(String value) {
    if (value == null) {
      return "";
    }
    String text = value;
    if (!text.isEmpty() && "=+-@\t\r".indexOf(text.charAt(0)) >= 0
        && !text.matches("-?[0-9]+(\\.[0-9]+)?")) {
      text = "'" + text;
    }
    if (text.indexOf(',') >= 0 || text.indexOf('"') >= 0 || text.indexOf('\n') >= 0
        || text.indexOf('\r') >= 0) {
      return '"' + text.replace("\"", "\"\"") + '"';
    }
    return text;
  }
}
