package io.natalia.cloud.export;

import io.javalin.http.Context;
import io.natalia.cloud.analytics.CallFilter;
import io.natalia.cloud.analytics.TimeRange;
import io.natalia.cloud.api.QueryParameters;
import java.time.ZoneId;

/** The range, filters and format of an export request. */
record ExportRequest(TimeRange range, CallFilter filter, ExportFormat format) {
  static ExportRequest read(Context ctx, ZoneId zone) {
    QueryParameters query = new QueryParameters(ctx);
    return new ExportRequest(query.range(zone), query.filter(),
        query.value("format", ExportFormat::parse, ExportFormat.CSV));
  }
}
