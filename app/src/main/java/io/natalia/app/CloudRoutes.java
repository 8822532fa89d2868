package io.natalia.app;

import io.javalin.config.JavalinConfig;
import io.natalia.cloud.alert.AlertMailer;
import io.natalia.cloud.api.CustomerApi;
import io.natalia.cloud.service.CloudParts;
import io.natalia.cloud.web.Dashboard;
import java.util.List;
import java.util.function.Consumer;

/**
 * The routes the cloud serves beside ingest: the customer JSON API (with exports and alerts)
 * and the dashboard. Both {@code natalia cloud} and {@code natalia demo} serve the same ones.
 */
final class CloudRoutes {
  private CloudRoutes() {}

  /**
   * Returns the installers of the API and dashboard routes over the cloud's stores.
   *
   * @param mailer sends the dashboard's notices to admins, or {@link AlertMailer#NONE}
   */
  static List<Consumer<JavalinConfig>> over(CloudParts parts, AlertMailer mailer) {
    Dashboard dashboard = new Dashboard(parts.dataSource(), parts.tenants(), parts.users(),
        parts.apiKeys(), parts.auditLog(), parts.clock(), mailer);
    return List.of(CustomerApi.routes(parts), dashboard::install);
  }
}
