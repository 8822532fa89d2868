package io.natalia.oxo.server;

import io.javalin.Javalin;
import io.javalin.compression.CompressionStrategy;
import io.javalin.config.JavalinConfig;
import io.natalia.oxo.tls.TlsIdentity;
import java.util.function.Consumer;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.SecureRequestCustomizer;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.util.ssl.SslContextFactory;

/** The HTTPS-only Javalin server and its key material, which can change while it runs. */
final class HttpsEndpoint {
  /** Password of the in-memory key store handed to Jetty; it never leaves the process. */
  private static final String KEY_STORE_PASSWORD = "in-memory";

  private final SslContextFactory.Server tls = new SslContextFactory.Server();
  private volatile TlsIdentity identity;

  HttpsEndpoint(TlsIdentity identity) {
    this.identity = identity;
    tls.setKeyStore(identity.keyStore(KEY_STORE_PASSWORD.toCharArray()));
    tls.setKeyStorePassword(KEY_STORE_PASSWORD);
  }

  TlsIdentity identity() {
    return identity;
  }

  /** Returns a Javalin server with one HTTPS connector (and no plain HTTP one). */
  Javalin create(String host, int port, Consumer<JavalinConfig> routes) {
    return Javalin.create(config -> {
      config.startup.showJavalinBanner = false;
      config.http.compressionStrategy = CompressionStrategy.NONE;
      config.jetty.addConnector((server, httpConfig) -> {
        // Clients reach the simulator by IP address, which TLS sends no SNI name for.
        httpConfig.addCustomizer(new SecureRequestCustomizer(false));
        ServerConnector connector = new ServerConnector(server,
            new SslConnectionFactory(tls, "http/1.1"), new HttpConnectionFactory(httpConfig));
        connector.setHost(host);
        connector.setPort(port);
        return connector;
      });
      routes.accept(config);
    });
  }

  /** Serves {@code next} to every new TLS handshake from now on. */
  void rotate(TlsIdentity next) {
    try {
      tls.reload(factory -> factory.setKeyStore(next.keyStore(KEY_STORE_PASSWORD.toCharArray())));
    } catch (Exception e) {
      throw new IllegalStateException("cannot load the new certificate into the server", e);
    }
    identity = next;
  }
}
