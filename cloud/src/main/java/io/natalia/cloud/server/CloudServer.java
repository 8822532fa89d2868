package io.natalia.cloud.server;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.Javalin;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;
import io.javalin.http.HttpStatus;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.SecureRequestCustomizer;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The cloud's HTTPS server: Javalin on one TLS connector, with the routes of each part of the
 * cloud (ingest, API, dashboard) installed by the caller and {@link ApiException}s sent as
 * {@code {"code", "message"}} JSON.
 */
public final class CloudServer implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(CloudServer.class);
  private static final ObjectMapper JSON = new ObjectMapper();

  private final Javalin javalin;
  private final ServerConnector[] connector;

  private CloudServer(Javalin javalin, ServerConnector[] connector) {
    this.javalin = javalin;
    this.connector = connector;
  }

  /**
   * Starts serving.
   *
   * @param host address to listen on ({@code 127.0.0.1}, {@code 0.0.0.0})
   * @param port port, or 0 for any free one
   * @param routes each installs its routes on the configuration
   */
  public static CloudServer start(String host, int port, TlsMaterial tls,
      List<Consumer<JavalinConfig>> routes) {
    ServerConnector[] connector = new ServerConnector[1];
    Javalin javalin = Javalin.create(config -> {
      config.startup.showJavalinBanner = false;
      config.jetty.addConnector((server, httpConfig) -> {
        connector[0] = httpsConnector(server, httpConfig, tls, host, port);
        return connector[0];
      });
      config.jetty.modifyServer(server -> server.setErrorHandler(new ApiErrorHandler()));
      // A path that exists for another method gets 405 with Allow, not 404.
      config.http.prefer405over404 = true;
      config.routes.exception(ApiException.class, CloudServer::sendApiError);
      config.routes.exception(HttpResponseException.class, CloudServer::sendRejection);
      config.routes.exception(Exception.class, (e, ctx) -> {
        log.error("Request {} {} failed [NAT-API-013]", ctx.method(), ctx.path(), e);
        ctx.status(500);
        ctx.contentType("application/json");
        ctx.result(json(Map.of("code", ApiError.INTERNAL.code(),
            "message", "internal error; the cloud's log has the details")));
      });
      routes.forEach(install -> install.accept(config));
    });
    javalin.start();
    log.info("Cloud listening on https://{}:{}", host, connector[0].getLocalPort());
    return new CloudServer(javalin, connector);
  }

  /** Returns whether a path belongs to the JSON API or ingest, whose errors are JSON. */
  public static boolean isApiPath(String path) {
    return path.startsWith("/api/") || path.startsWith("/ingest/");
  }

  /** Sends an {@link ApiException} as {@code {"code", "message"}} with its status. */
  public static void sendApiError(ApiException e, Context ctx) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("code", e.error().code());
    body.put("message", e.getMessage());
    if (e.retryAfter() != null) {
      long seconds = Math.max(1, (e.retryAfter().toMillis() + 999) / 1000);
      ctx.header("Retry-After", Long.toString(seconds));
    }
    ctx.status(e.error().status());
    ctx.contentType("application/json");
    ctx.result(json(body));
  }

  /**
   * Sends the error of a request Javalin rejected before any handler ran because no route
   * takes its path or method. Paths under {@code /api/} and {@code /ingest/} get the API's
   * JSON error, others a plain HTML page. The dashboard replaces this handler with one that
   * shows its own page.
   */
  public static void sendRejection(HttpResponseException e, Context ctx) {
    if (isApiPath(ctx.path())) {
      sendApiRejection(e, ctx);
      return;
    }
    String title = HttpStatus.forStatus(e.getStatus()).getMessage();
    ctx.status(e.getStatus());
    ctx.html("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>"
        + e.getStatus() + " " + title + " · Natalia</title></head><body><h1>" + e.getStatus()
        + " " + title + "</h1><p><a href=\"/overview\">Back to the overview</a></p>"
        + "</body></html>\n");
  }

  /** Sends the JSON error and code of a request Javalin rejected on an API path. */
  public static void sendApiRejection(HttpResponseException e, Context ctx) {
    ApiError error = ApiError.ofRejectedRequest(e.getStatus());
    String message = switch (error) {
      case NO_SUCH_ENDPOINT -> "no endpoint " + ctx.method() + " " + ctx.path()
          + "; docs/api.md lists the endpoints of /api/v1/, and agents post to /ingest/cdr";
      case METHOD_NOT_ALLOWED -> ctx.method() + " is not allowed on " + ctx.path()
          + "; allowed: " + allowedMethods(e);
      default -> e.getMessage();
    };
    if (error == ApiError.METHOD_NOT_ALLOWED) {
      ctx.header("Allow", allowedMethods(e));
    }
    sendApiError(new ApiException(error, message), ctx);
    // BAD_REQUEST and INTERNAL stand for several statuses: keep the one Javalin chose.
    ctx.status(e.getStatus());
  }

  private static String allowedMethods(HttpResponseException e) {
    String methods = e.getDetails().get("availableMethods");
    return methods == null ? "" : methods;
  }

  private static ServerConnector httpsConnector(org.eclipse.jetty.server.Server server,
      HttpConfiguration httpConfig, TlsMaterial tls, String host, int port) {
    SslContextFactory.Server ssl = new SslContextFactory.Server();
    ssl.setKeyStore(tls.keyStore());
    ssl.setKeyStorePassword(new String(TlsMaterial.KEY_STORE_PASSWORD));
    ssl.setIncludeProtocols("TLSv1.3", "TLSv1.2");
    HttpConfiguration https = new HttpConfiguration(httpConfig);
    // SNI checks refuse clients that connect by IP address, which agents on a LAN do.
    SecureRequestCustomizer secure = new SecureRequestCustomizer();
    secure.setSniHostCheck(false);
    https.addCustomizer(secure);
    https.setSendServerVersion(false);
    ServerConnector connector = new ServerConnector(server,
        new SslConnectionFactory(ssl, "http/1.1"), new HttpConnectionFactory(https));
    connector.setHost(host);
    connector.setPort(port);
    return connector;
  }

  static String json(Object value) {
    try {
      return JSON.writeValueAsString(value);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException("cannot serialise " + value.getClass(), e);
    }
  }

  /** Returns the port the server listens on. */
  public int port() {
    return connector[0].getLocalPort();
  }

  @Override
  public void close() {
    javalin.stop();
    log.info("Cloud server stopped");
  }
}
