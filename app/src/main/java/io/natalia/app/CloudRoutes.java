package io.natalia.app;

import io.javalin.config.JavalinConfig;
import io.natalia.cloud.alert.Alerts;
import io.natalia.cloud.analytics.Analytics;
import io.natalia.cloud.api.ApiRoutes;
import io.natalia.cloud.export.CdrExport;
import io.natalia.cloud.service.CloudParts;
import io.natalia.cloud.web.Dashboard;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * The routes the cloud serves beside ingest: the JSON API (with exports and alerts) and the
 * dashboard. Both {@code natalia cloud} and {@code natalia demo} serve the same ones.
 */
final class CloudRoutes {
  private CloudRoutes() {}

  /** Returns the installers of the API and dashboard routes over the cloud's stores. */
  static List<Consumer<JavalinConfig>> over(CloudParts parts) {
    Analytics analytics = new Analytics(parts.dataSource());
    List<ApiRoutes.Route> extra = new ArrayList<>(
        new CdrExport(analytics, parts.auditLog()).routes());
    extra.add(new Alerts(parts.dataSource()).route());
    ApiRoutes api = new ApiRoutes(parts.apiKeys(), parts.tenants(), analytics, extra);
    Dashboard dashboard = new Dashboard(parts.dataSource(), parts.tenants(), parts.users(),
        parts.apiKeys(), parts.auditLog(), parts.clock());
    return List.of(api::install, dashboard::install);
  }
}
