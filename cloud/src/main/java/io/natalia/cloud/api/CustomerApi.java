package io.natalia.cloud.api;

import io.javalin.config.JavalinConfig;
import io.natalia.cloud.alert.Alerts;
import io.natalia.cloud.analytics.Analytics;
import io.natalia.cloud.export.CdrExport;
import io.natalia.cloud.service.CloudParts;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/** Assembles the customer API (figures, exports, alerts) over the cloud's stores. */
public final class CustomerApi {
  private CustomerApi() {}

  /** Returns the routes to pass to {@code CloudService.start}. */
  public static Consumer<JavalinConfig> routes(CloudParts parts) {
    Analytics analytics = new Analytics(parts.dataSource());
    List<ApiRoutes.Route> extra =
        new ArrayList<>(new CdrExport(analytics, parts.auditLog()).routes());
    extra.add(new Alerts(parts.dataSource()).route());
    return new ApiRoutes(parts.apiKeys(), parts.tenants(), analytics, extra)::install;
  }
}
