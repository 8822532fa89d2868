package io.natalia.cloud.server;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.Javalin;
import io.javalin.config.JavalinConfig;
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
      config.routes.exception(ApiException.class, (e, ctx) -> {
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
      });
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
