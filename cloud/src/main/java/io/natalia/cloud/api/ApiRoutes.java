package io.natalia.cloud.api;

import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import io.natalia.cloud.analytics.Analytics;
import io.natalia.cloud.analytics.Bucket;
import io.natalia.cloud.analytics.CallFilter;
import io.natalia.cloud.analytics.CostBy;
import io.natalia.cloud.analytics.TimeRange;
import io.natalia.cloud.analytics.TopBy;
import io.natalia.cloud.auth.ApiKeys;
import io.natalia.cloud.auth.ApiKeys.Kind;
import io.natalia.cloud.auth.ApiKeys.Principal;
import io.natalia.cloud.auth.Permission;
import io.natalia.cloud.server.ApiError;
import io.natalia.cloud.server.ApiException;
import io.natalia.cloud.tenant.Tenant;
import io.natalia.cloud.tenant.Tenants;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.slf4j.MDC;

/**
 * The customer JSON API under {@value #BASE}, read with API tokens
 * ({@code Authorization: Bearer nat_at_...}); docs/api.md describes it and
 * {@value #OPENAPI} serves its OpenAPI document.
 *
 * <p>Each request acts for the token's tenant with the permissions of the token's role; no
 * parameter can name another tenant. Thread-safe.
 */
public final class ApiRoutes {
  /** Prefix of every API path. */
  public static final String BASE = "/api/v1";
  /** Path of the OpenAPI document; served without a token. */
  public static final String OPENAPI = BASE + "/openapi.json";
  private static final int DEFAULT_PAGE_SIZE = 100;
  private static final int DEFAULT_TOP = 10;

  private final ApiKeys keys;
  private final Tenants tenants;
  private final Analytics analytics;
  private final List<Route> extra;
  private final List<String> paths = new ArrayList<>();

  /**
   * @param extra routes of other parts served under the API with the same authentication
   *     (exports, alerts)
   */
  public ApiRoutes(ApiKeys keys, Tenants tenants, Analytics analytics, List<Route> extra) {
    this.keys = keys;
    this.tenants = tenants;
    this.analytics = analytics;
    this.extra = List.copyOf(extra);
  }

  /** The tenant and token of an authenticated request. */
  public record Caller(Tenant tenant, Principal token) {
    /** Returns the audit actor of the request: {@code api-key:<prefix>}. */
    public String actor() {
      return "api-key:" + token.prefix();
    }
  }

  /** Handles an authenticated API request. */
  @FunctionalInterface
  public interface Handler {
    void handle(Context ctx, Caller caller) throws IOException;
  }

  /**
   * A route another part of the cloud adds to the API.
   *
   * @param path path below {@link #BASE}, such as {@code /cdr/export}
   * @param permission what the token's role must allow
   */
  public record Route(String path, Permission permission, Handler handler) {}

  /** Installs every route. */
  public void install(JavalinConfig config) {
    config.routes.get(OPENAPI, ctx -> {
      ctx.contentType("application/json");
      ctx.result(resource("openapi.json"));
    });
    get(config, "/summary", Permission.CDR_READ, this::summary);
    get(config, "/timeseries", Permission.CDR_READ, this::timeSeries);
    get(config, "/calls", Permission.CDR_READ, this::calls);
    get(config, "/calls/missed", Permission.CDR_READ, (ctx, caller) -> missed(ctx, caller,
        false));
    get(config, "/calls/unreturned", Permission.CDR_READ, (ctx, caller) -> missed(ctx, caller,
        true));
    get(config, "/extensions", Permission.CDR_READ, this::extensions);
    get(config, "/hunt-groups", Permission.CDR_READ, this::huntGroups);
    get(config, "/trunks", Permission.CDR_READ, this::trunks);
    get(config, "/costs", Permission.CDR_READ, this::costs);
    get(config, "/top", Permission.CDR_READ, this::top);
    for (Route route : extra) {
      get(config, route.path(), route.permission(), route.handler());
    }
  }

  /** Returns every path installed with a token check, in order; for the OpenAPI test. */
  public List<String> paths() {
    return List.copyOf(paths);
  }

  private void summary(Context ctx, Caller caller) {
    QueryParameters query = new QueryParameters(ctx);
    TimeRange range = query.range(caller.tenant().timeZone());
    json(ctx, analytics.summary(caller.tenant(), range, query.filter()));
  }

  private void timeSeries(Context ctx, Caller caller) {
    QueryParameters query = new QueryParameters(ctx);
    TimeRange range = query.range(caller.tenant().timeZone());
    Bucket bucket = query.value("bucket", Bucket::parse, Bucket.DAY);
    CallFilter filter = query.filter();
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("bucket", bucket.name().toLowerCase(Locale.ROOT));
    body.put("timeZone", caller.tenant().timeZone().getId());
    body.put("points", QueryParameters.parse("bucket", bucket.name(),
        ignored -> analytics.timeSeries(caller.tenant(), range, filter, bucket)));
    json(ctx, body);
  }

  private void calls(Context ctx, Caller caller) {
    QueryParameters query = new QueryParameters(ctx);
    TimeRange range = query.range(caller.tenant().timeZone());
    CallFilter filter = query.filter();
    int page = query.integer("page", 0);
    int size = query.integer("size", DEFAULT_PAGE_SIZE);
    json(ctx, QueryParameters.parse("page", page + "/" + size,
        ignored -> analytics.calls(caller.tenant(), range, filter, page, size)));
  }

  private void missed(Context ctx, Caller caller, boolean unreturnedOnly) {
    QueryParameters query = new QueryParameters(ctx);
    TimeRange range = query.range(caller.tenant().timeZone());
    CallFilter filter = query.filter();
    int page = query.integer("page", 0);
    int size = query.integer("size", DEFAULT_PAGE_SIZE);
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("page", page);
    body.put("size", size);
    body.put("callbackWindowSeconds", caller.tenant().callbackWindow().toSeconds());
    body.put("calls", QueryParameters.parse("page", page + "/" + size, ignored ->
        analytics.missed(caller.tenant(), range, filter, unreturnedOnly, page, size)));
    json(ctx, body);
  }

  private void extensions(Context ctx, Caller caller) {
    TimeRange range = new QueryParameters(ctx).range(caller.tenant().timeZone());
    json(ctx, Map.of("extensions", analytics.byExtension(caller.tenant(), range)));
  }

  private void huntGroups(Context ctx, Caller caller) {
    TimeRange range = new QueryParameters(ctx).range(caller.tenant().timeZone());
    json(ctx, Map.of("huntGroups", analytics.byHuntGroup(caller.tenant(), range)));
  }

  private void trunks(Context ctx, Caller caller) {
    TimeRange range = new QueryParameters(ctx).range(caller.tenant().timeZone());
    json(ctx, Map.of("trunks", analytics.byTrunk(caller.tenant(), range)));
  }

  private void costs(Context ctx, Caller caller) {
    QueryParameters query = new QueryParameters(ctx);
    TimeRange range = query.range(caller.tenant().timeZone());
    CostBy by = query.value("by", CostBy::parse, CostBy.EXTENSION);
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("by", by.name().toLowerCase(Locale.ROOT).replace('_', '-'));
    body.put("currency", caller.tenant().currency());
    body.put("lines", analytics.costs(caller.tenant(), range, by));
    json(ctx, body);
  }

  private void top(Context ctx, Caller caller) {
    QueryParameters query = new QueryParameters(ctx);
    TimeRange range = query.range(caller.tenant().timeZone());
    TopBy by = query.value("by", TopBy::parse, TopBy.LONGEST);
    int n = query.integer("n", DEFAULT_TOP);
    CallFilter filter = query.filter();
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("by", by.name().toLowerCase(Locale.ROOT));
    body.put("calls", QueryParameters.parse("n", Integer.toString(n),
        ignored -> analytics.top(caller.tenant(), range, filter, by, n)));
    json(ctx, body);
  }

  private void get(JavalinConfig config, String path, Permission permission, Handler handler) {
    paths.add(BASE + path);
    config.routes.get(BASE + path, ctx -> {
      Caller caller = authenticate(ctx.header("Authorization"), permission);
      MDC.put("tenant", Long.toString(caller.tenant().id()));
      MDC.put("key", caller.token().prefix());
      try {
        handler.handle(ctx, caller);
      } finally {
        MDC.remove("tenant");
        MDC.remove("key");
      }
    });
  }

  private Caller authenticate(String authorization, Permission permission) {
    String presented = authorization != null && authorization.regionMatches(true, 0, "Bearer ",
        0, 7) ? authorization.substring(7).strip() : null;
    Optional<Principal> token = keys.authenticate(presented, Kind.API_TOKEN);
    if (token.isEmpty()) {
      throw new ApiException(ApiError.KEY_INVALID, "invalid or revoked API token; send"
          + " Authorization: Bearer <API token> (an admin creates one on the API keys page)");
    }
    Principal principal = token.get();
    if (!principal.role().allows(permission)) {
      throw new ApiException(ApiError.PERMISSION_DENIED, "this token's role "
          + principal.role().name().toLowerCase(Locale.ROOT) + " lacks the permission "
          + permission.wireName());
    }
    Tenant tenant = tenants.find(principal.tenantId()).orElseThrow(() ->
        new ApiException(ApiError.KEY_INVALID, "the token's tenant no longer exists"));
    return new Caller(tenant, principal);
  }

  /** Writes a JSON response body. */
  static void json(Context ctx, Object body) {
    ctx.contentType("application/json");
    ctx.result(ApiJson.write(body));
  }

  private static byte[] resource(String name) {
    try (InputStream in = ApiRoutes.class.getResourceAsStream(name)) {
      if (in == null) {
        throw new IllegalStateException("resource " + name + " is missing from the cloud jar");
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
