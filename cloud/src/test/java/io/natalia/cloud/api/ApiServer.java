package io.natalia.cloud.api;

import io.natalia.cloud.alert.Alerts;
import io.natalia.cloud.analytics.AnalyticsFixture;
import io.natalia.cloud.auth.ApiKeys;
import io.natalia.cloud.auth.Role;
import io.natalia.cloud.export.CdrExport;
import io.natalia.cloud.server.CloudServer;
import io.natalia.cloud.server.TlsMaterial;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;

/**
 * The API over real HTTPS on 127.0.0.1 (ephemeral port, self-signed certificate pinned by the
 * client) on top of an {@link AnalyticsFixture}'s database.
 */
public final class ApiServer implements AutoCloseable {
  private final AnalyticsFixture fixture;
  private final ApiRoutes routes;
  private final CloudServer server;
  private final SSLContext ssl;
  private final HttpClient client;

  public ApiServer(AnalyticsFixture fixture) throws IOException, GeneralSecurityException {
    this.fixture = fixture;
    Path tmp = Path.of(System.getProperty("java.io.tmpdir"));
    Files.createDirectories(tmp);
    TlsMaterial tls = TlsMaterial.selfSigned(Files.createTempDirectory(tmp, "api-"));
    List<ApiRoutes.Route> extra = new ArrayList<>(
        new CdrExport(fixture.analytics(), fixture.auditLog()).routes());
    extra.add(new Alerts(fixture.dataSource()).route());
    this.routes = new ApiRoutes(fixture.apiKeys(), fixture.tenants(), fixture.analytics(),
        extra);
    this.server = CloudServer.start("127.0.0.1", 0, tls, List.of(routes::install));
    this.ssl = pinnedContext(tls);
    this.client = HttpClient.newBuilder().sslContext(ssl)
        .connectTimeout(Duration.ofSeconds(10)).build();
  }

  public ApiRoutes routes() {
    return routes;
  }

  /** Creates an API token of the fixture's tenant with a role; returns its full text. */
  public String token(Role role) {
    return fixture.apiKeys().create(fixture.tenant().id(), ApiKeys.Kind.API_TOKEN,
        "test " + role, role, "test").key();
  }

  /** GETs a path (with query) with a token, or none when null. */
  public HttpResponse<String> get(String pathAndQuery, String token)
      throws IOException, InterruptedException {
    return client.send(request(pathAndQuery, token), HttpResponse.BodyHandlers.ofString());
  }

  /** Sends a request without body with any method, with a token or none when null. */
  public HttpResponse<String> send(String method, String pathAndQuery, String token)
      throws IOException, InterruptedException {
    HttpRequest.Builder request = HttpRequest.newBuilder(
        URI.create("https://127.0.0.1:" + server.port() + pathAndQuery))
        .timeout(Duration.ofSeconds(120)).method(method, HttpRequest.BodyPublishers.noBody());
    if (token != null) {
      request.header("Authorization", "Bearer " + token);
    }
    return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  /** GETs a path as a stream, for large exports. */
  public HttpResponse<InputStream> stream(String pathAndQuery, String token)
      throws IOException, InterruptedException {
    return client.send(request(pathAndQuery, token), HttpResponse.BodyHandlers.ofInputStream());
  }

  /** GETs a path into a file. */
  public HttpResponse<Path> download(String pathAndQuery, String token, Path file)
      throws IOException, InterruptedException {
    return client.send(request(pathAndQuery, token), HttpResponse.BodyHandlers.ofFile(file));
  }

  private HttpRequest request(String pathAndQuery, String token) {
    HttpRequest.Builder request = HttpRequest.newBuilder(
        URI.create("https://127.0.0.1:" + server.port() + pathAndQuery))
        .timeout(Duration.ofSeconds(120)).GET();
    if (token != null) {
      request.header("Authorization", "Bearer " + token);
    }
    return request.build();
  }

  /**
   * Opens a TLS connection to the server that trusts only its certificate, for a client that
   * writes HTTP itself.
   */
  public SSLSocket connect() throws IOException {
    SSLSocket socket = (SSLSocket) ssl.getSocketFactory().createSocket("127.0.0.1",
        server.port());
    socket.startHandshake();
    return socket;
  }

  private static SSLContext pinnedContext(TlsMaterial tls) throws GeneralSecurityException,
      IOException {
    KeyStore trusted = KeyStore.getInstance("PKCS12");
    trusted.load(null, null);
    trusted.setCertificateEntry("cloud", tls.certificate());
    TrustManagerFactory trust =
        TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    trust.init(trusted);
    SSLContext ssl = SSLContext.getInstance("TLS");
    ssl.init(null, trust.getTrustManagers(), null);
    return ssl;
  }

  @Override
  public void close() {
    server.close();
  }
}
