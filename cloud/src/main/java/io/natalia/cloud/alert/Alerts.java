package io.natalia.cloud.alert;

import io.natalia.cloud.api.ApiJson;
import io.natalia.cloud.api.ApiRoutes;
import io.natalia.cloud.auth.Permission;
import io.natalia.cloud.server.ApiError;
import io.natalia.cloud.server.ApiException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;

/** The stored alerts of every tenant: listed by the API and the dashboard. Thread-safe. */
public final class Alerts {
  /** Path of the alert list below {@link ApiRoutes#BASE}. */
  public static final String PATH = "/alerts";
  private static final int MAX_LISTED = 500;
  private static final String COLUMNS = "id, kind, subject, code, message, opened_at,"
      + " last_seen_at, closed_at, emailed_at";

  private final DataSource dataSource;

  public Alerts(DataSource dataSource) {
    this.dataSource = dataSource;
  }

  /** Returns the API route listing a tenant's alerts. */
  public ApiRoutes.Route route() {
    return new ApiRoutes.Route(PATH, Permission.CDR_READ, (ctx, caller) -> {
      String state = ctx.queryParam("state");
      if (state != null && !state.equals("open") && !state.equals("all")) {
        throw new ApiException(ApiError.INVALID_PARAMETER,
            "state must be open or all: '" + state + "'");
      }
      boolean openOnly = state == null || state.equals("open");
      ctx.contentType("application/json");
      ctx.result(ApiJson.write(
          Map.of("alerts", list(caller.tenant().id(), openOnly))));
    });
  }

  /**
   * Returns a tenant's alerts: open ones first, newest first within each, at most
   * {@value #MAX_LISTED}.
   */
  public List<Alert> list(long tenantId, boolean openOnly) {
    String sql = "SELECT " + COLUMNS + " FROM alert WHERE tenant_id = ?"
        + (openOnly ? " AND closed_at IS NULL" : "")
        + " ORDER BY (closed_at IS NULL) DESC, opened_at DESC, id DESC LIMIT " + MAX_LISTED;
    try (Connection connection = dataSource.getConnection();
        PreparedStatement select = connection.prepareStatement(sql)) {
      select.setLong(1, tenantId);
      try (ResultSet rows = select.executeQuery()) {
        List<Alert> alerts = new ArrayList<>();
        while (rows.next()) {
          alerts.add(read(rows));
        }
        return alerts;
      }
    } catch (SQLException e) {
      throw new IllegalStateException("could not list the alerts of tenant " + tenantId, e);
    }
  }

  static Alert read(ResultSet rows) throws SQLException {
    return new Alert(rows.getLong(1), AlertKind.fromWire(rows.getString(2)), rows.getString(3),
        rows.getString(4), rows.getString(5), instant(rows, 6), instant(rows, 7),
        instant(rows, 8), instant(rows, 9));
  }

  private static Instant instant(ResultSet rows, int column) throws SQLException {
    Timestamp value = rows.getTimestamp(column);
    return value == null ? null : value.toInstant();
  }
}
