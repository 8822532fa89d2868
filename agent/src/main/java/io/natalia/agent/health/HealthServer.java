package io.natalia.agent.health;

import io.javalin.Javalin;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import io.javalin.http.UnauthorizedResponse;
import io.natalia.agent.config.Secret;
import java.nio.charset.StandardCharsets;
import java.security.KeyStore;
import java.security.MessageDigest;
import java.util.function.Consumer;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.SecureRequestCustomizer;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.util.ssl.SslContextFactory;

/**
 * The agent's HTTPS server: {@code GET /health} for anyone; {@code GET /metrics}
 * (Prometheus), {@code GET /api/status} and {@code POST /api/collect-now} for callers that
 * present the configured bearer token. The web UI adds its pages and its own login on top.
 */
public final class HealthServer implements AutoCloseable {
  private final Javalin app;
  private final ServerConnector[] connector = new ServerConnector[1];

  /** Data sources of the endpoints. */
  public interface Endpoints {
    AgentStatus status();

    String metrics();

    void collectNow();

    /** Returns the bearer token protected endpoints require, or {@code null} to refuse all. */
    Secret apiToken();
  }

  private HealthServer(String address, int port, KeyStore keyStore, char[] password,
      Endpoints endpoints, Consumer<JavalinConfig> extension) {
    // Limitation: see docs/known-limitations.md#method-override-header
    app = Javalin.create(config -> {
      config.startup.showJavalinBanner = false;
      config.jetty.addConnector((server, http) -> {
        SslContextFactory.Server tls = new SslContextFactory.Server();
        tls.setKeyStore(keyStore);
        tls.setKeyStorePassword(new String(password));
        HttpConfiguration https = new HttpConfiguration(http);
        SecureRequestCustomizer secure = new SecureRequestCustomizer();
        // The agent is reached by IP as often as by name; the certificate is self-signed.
        secure.setSniHostCheck(false);
        https.addCustomizer(secure);
        ServerConnector created = new ServerConnector(server,
            new SslConnectionFactory(tls, "http/1.1"), new HttpConnectionFactory(https));
        created.setHost(address);
        created.setPort(port);
        connector[0] = created;
        return created;
      });
      config.routes.get("/health", ctx -> health(ctx, endpoints.status()));
      config.routes.get("/metrics", ctx -> {
        authorize(ctx, endpoints.apiToken());
        ctx.contentType("text/plain; version=0.0.4; charset=utf-8").result(endpoints.metrics());
      });
      config.routes.get("/api/status", ctx -> {
        authorize(ctx, endpoints.apiToken());
        ctx.contentType("application/json")
            .result(StatusJson.toJson(endpoints.status()).toString());
      });
      config.routes.post("/api/collect-now", ctx -> {
        authorize(ctx, endpoints.apiToken());
        endpoints.collectNow();
        ctx.status(HttpStatus.ACCEPTED).result("{\"collecting\":true}")
            .contentType("application/json");
      });
      extension.accept(config);
    });
  }

  /**
   * Starts the server on {@code address} and {@code port} (0 picks a free one) with this key
   * store's key; {@code extension} may add routes (the web UI's pages).
   */
  public static HealthServer start(String address, int port, KeyStore keyStore,
      char[] password, Endpoints endpoints, Consumer<JavalinConfig> extension) {
    HealthServer server =
        new HealthServer(address, port, keyStore, password, endpoints, extension);
    server.app.start();
    return server;
  }

  /** Returns the port the server listens on. */
  public int port() {
    return connector[0].getLocalPort();
  }

  @Override
  public void close() {
    app.stop();
  }

  private static void health(Context ctx, AgentStatus status) {
    boolean stopped = status.state() == AgentStatus.CollectionState.STOPPED;
    StringBuilder codes = new StringBuilder();
    for (AgentStatus.ErrorEvent event : status.currentErrors()) {
      codes.append(codes.isEmpty() ? "" : ",").append('"').append(event.code().code())
          .append('"');
    }
    String health = stopped ? "DOWN"
        : status.currentErrors().isEmpty() ? "UP" : "DEGRADED";
    ctx.status(stopped ? HttpStatus.SERVICE_UNAVAILABLE : HttpStatus.OK)
        .contentType("application/json")
        .result("{\"status\":\"" + health + "\",\"state\":\"" + status.state().name()
            + "\",\"errors\":[" + codes + "]}");
  }

  // Limitation: see docs/known-limitations.md#agent-api-text-errors
  private static void authorize(Context ctx, Secret token) {
    String header = ctx.header("Authorization");
    if (token == null || header == null || !header.startsWith("Bearer ")) {
      throw new UnauthorizedResponse("bearer token required");
    }
    byte[] given = header.substring("Bearer ".length()).getBytes(StandardCharsets.UTF_8);
    byte[] expected = token.value().getBytes(StandardCharsets.UTF_8);
    if (!MessageDigest.isEqual(given, expected)) {
      throw new UnauthorizedResponse("bearer token required");
    }
  }
}
