package io.natalia.cloud.export;

import io.javalin.http.Context;
import io.natalia.cloud.analytics.Analytics;
import io.natalia.cloud.analytics.CallFilter;
import io.natalia.cloud.analytics.TimeRange;
import io.natalia.cloud.api.ApiRoutes;
import io.natalia.cloud.api.ApiRoutes.Caller;
import io.natalia.cloud.audit.AuditLog;
import io.natalia.cloud.auth.Permission;
import io.natalia.cloud.server.ApiError;
import io.natalia.cloud.server.ApiException;
import io.natalia.cloud.tenant.Tenant;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Exports the calls of a range as CSV, JSON lines or Parquet, streamed from a database cursor
 * so that a million calls take no more memory than ten. Each export is written to the audit
 * log before its first byte leaves. Thread-safe.
 */
public final class CdrExport {
  private static final Logger log = LoggerFactory.getLogger(CdrExport.class);
  /** Path of the export below {@link ApiRoutes#BASE}. */
  public static final String PATH = "/cdr/export";
  /** Path of the JSON Schema of one exported line below {@link ApiRoutes#BASE}. */
  public static final String SCHEMA_PATH = "/cdr/export.schema.json";
  private static final DateTimeFormatter FILE_DATE = DateTimeFormatter.ofPattern("yyyyMMdd");

  private final Analytics analytics;
  private final AuditLog auditLog;

  public CdrExport(Analytics analytics, AuditLog auditLog) {
    this.analytics = analytics;
    this.auditLog = auditLog;
  }

  /** Returns the API routes of the export and its schema. */
  public List<ApiRoutes.Route> routes() {
    return List.of(
        new ApiRoutes.Route(PATH, Permission.CDR_EXPORT, this::handle),
        new ApiRoutes.Route(SCHEMA_PATH, Permission.CDR_READ, (ctx, caller) -> {
          ctx.contentType("application/schema+json");
          ctx.result(schema());
        }));
  }

  private void handle(Context ctx, Caller caller) throws IOException {
    Tenant tenant = caller.tenant();
    ExportRequest request = ExportRequest.read(ctx, tenant.timeZone());
    ctx.contentType(request.format().contentType());
    ctx.header("Content-Disposition", "attachment; filename=\"" + fileName(tenant, request)
        + "\"");
    long rows = write(tenant, request.range(), request.filter(), request.format(),
        ctx.outputStream(), caller.actor());
    log.info("Tenant {}: {} exported {} calls as {}", tenant.id(), caller.actor(), rows,
        request.format().extension());
  }

  /**
   * Audits the export, then streams the calls of the range that match the filter.
   *
   * @param actor who exports, for the audit log
   * @return how many calls were written
   */
  public long write(Tenant tenant, TimeRange range, CallFilter filter, ExportFormat format,
      OutputStream out, String actor) throws IOException {
    auditLog.append(tenant.id(), actor, "cdr.export", format.extension(),
        details(range, filter));
    if (format == ExportFormat.CSV) {
      try (CsvCallWriter writer = new CsvCallWriter(out, tenant.timeZone(), tenant.currency())) {
        return analytics.forEachCallColumns(tenant, range, filter, writer::write);
      }
    }
    try (CallWriter writer = writer(format, out, tenant)) {
      return analytics.forEachCall(tenant, range, filter, writer::write);
    }
  }

  private static CallWriter writer(ExportFormat format, OutputStream out, Tenant tenant)
      throws IOException {
    return switch (format) {
      case JSON -> new JsonLinesCallWriter(out, tenant.timeZone(), tenant.currency());
      case PARQUET -> new ParquetCallWriter(out, tenant.timeZone(), tenant.currency());
      case CSV -> throw new IllegalArgumentException("CSV has its own writer: CsvCallWriter");
    };
  }

  private static Map<String, Object> details(TimeRange range, CallFilter filter) {
    Map<String, Object> details = new LinkedHashMap<>();
    details.put("from", range.from().toString());
    details.put("to", range.to().toString());
    putIfSet(details, "direction", filter.direction());
    putIfSet(details, "outcome", filter.outcome() == null ? null
        : filter.outcome().name().toLowerCase(Locale.ROOT));
    putIfSet(details, "extension", filter.extension());
    putIfSet(details, "huntGroup", filter.huntGroup());
    putIfSet(details, "trunk", filter.trunk());
    putIfSet(details, "numberEndsWith", filter.numberEndsWith());
    return details;
  }

  private static void putIfSet(Map<String, Object> details, String key, String value) {
    if (value != null) {
      details.put(key, value);
    }
  }

  private static String fileName(Tenant tenant, ExportRequest request) {
    return "calls-" + FILE_DATE.format(request.range().from().atZone(tenant.timeZone())) + "-"
        + FILE_DATE.format(request.range().to().atZone(tenant.timeZone())) + "."
        + request.format().extension();
  }

  /** Returns the JSON Schema (2020-12) of one line of the JSON export. */
  public static byte[] schema() {
    try (InputStream in = CdrExport.class.getResourceAsStream("cdr-export.schema.json")) {
      if (in == null) {
        throw new ApiException(ApiError.INTERNAL, "the export schema is missing from the jar");
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
