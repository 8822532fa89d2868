package io.natalia.cloud.service;

import io.natalia.cloud.auth.ApiKeys;
import io.natalia.cloud.auth.ApiKeys.IssuedKey;
import io.natalia.cloud.auth.PasswordHasher;
import io.natalia.cloud.ingest.IngestSettings;
import io.natalia.cloud.store.TestDatabase;
import io.natalia.cloud.tenant.MasterKey;
import io.natalia.cloud.tenant.Tenant;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import javax.sql.DataSource;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A running cloud over a fresh database for one test class: real HTTPS on 127.0.0.1 with a
 * self-signed certificate, and a client that pins it.
 *
 * <pre>{@code
 * @RegisterExtension static final CloudFixture cloud = new CloudFixture();
 * }</pre>
 *
 * <p>The clock is a {@link FakeClock} starting at {@link #START}; records are checked against
 * it (no start more than a day ahead). Passwords are hashed at a low cost to keep tests fast.
 */
public final class CloudFixture implements BeforeAllCallback, AfterAllCallback {
  /** Where the fake clock starts. */
  public static final Instant START = Instant.parse("2026-06-15T12:00:00Z");
  private static final AtomicInteger TENANTS = new AtomicInteger();

  private final TestDatabase database = new TestDatabase(12);
  private final IngestSettings ingest;
  private final Duration stitchInterval;
  private final FakeClock clock = new FakeClock(START);
  private Path folder;
  private CloudService service;
  private HttpClient client;

  /** Creates a cloud with limits high enough never to get in a test's way. */
  public CloudFixture() {
    this(IngestSettings.defaults().withRate(10_000, 10_000));
  }

  public CloudFixture(IngestSettings ingest) {
    this(ingest, Duration.ZERO);
  }

  /** Creates a cloud whose stitcher runs every {@code stitchInterval}, or after each batch. */
  public CloudFixture(IngestSettings ingest, Duration stitchInterval) {
    this.ingest = ingest;
    this.stitchInterval = stitchInterval;
  }

  @Override
  public void beforeAll(ExtensionContext context) throws Exception {
    database.beforeAll(context);
    Path tmp = Path.of(System.getProperty("java.io.tmpdir"));
    Files.createDirectories(tmp);
    folder = Files.createTempDirectory(tmp, "cloud-");
    Properties properties = new Properties();
    properties.setProperty("listen.host", "127.0.0.1");
    properties.setProperty("listen.port", "0");
    CloudConfig defaults = CloudConfig.from(properties, folder, "test");
    CloudConfig config = new CloudConfig(defaults.host(), defaults.port(),
        defaults.dataDirectory(), defaults.database(), defaults.masterKeyFile(), null, null,
        ingest, defaults.stitchTolerance(), stitchInterval, null);
    CloudParts parts = CloudParts.over(database.dataSource(), null, MasterKey.random(),
        new PasswordHasher(1024, 1), clock);
    service = CloudService.start(config, parts, List.of());
    client = pinnedClient(service);
  }

  @Override
  public void afterAll(ExtensionContext context) throws Exception {
    if (service != null) {
      service.close();
    }
    database.afterAll(context);
  }

  public CloudService service() {
    return service;
  }

  public CloudParts parts() {
    return service.parts();
  }

  public DataSource dataSource() {
    return database.dataSource();
  }

  public FakeClock clock() {
    return clock;
  }

  /** Returns an HTTPS client that trusts only this cloud's certificate. */
  public HttpClient client() {
    return client;
  }

  /** Returns {@code https://127.0.0.1:<port><path>}. */
  public URI uri(String path) {
    return URI.create("https://127.0.0.1:" + service.port() + path);
  }

  /** Creates a tenant with a unique name. */
  public Tenant newTenant() {
    return parts().tenants().create("Tenant " + TENANTS.incrementAndGet(), "Europe/Paris",
        "EUR", 730, "test");
  }

  /** Creates an agent key for a tenant and returns its full text. */
  public String newAgentKey(Tenant tenant) {
    IssuedKey key = parts().apiKeys().create(tenant.id(), ApiKeys.Kind.AGENT, "test agent",
        null, "test");
    return key.key();
  }

  /** Posts a body to {@code /ingest/cdr} with the key and extra headers. */
  public HttpResponse<String> postIngest(String key, byte[] body, Map<String, String> headers)
      throws IOException, InterruptedException {
    HttpRequest.Builder request = HttpRequest.newBuilder(uri("/ingest/cdr"))
        .timeout(Duration.ofSeconds(120))
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofByteArray(body));
    if (key != null) {
      request.header("Authorization", "Bearer " + key);
    }
    headers.forEach(request::header);
    return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  private static HttpClient pinnedClient(CloudService service)
      throws GeneralSecurityException, IOException {
    KeyStore trusted = KeyStore.getInstance("PKCS12");
    trusted.load(null, null);
    trusted.setCertificateEntry("cloud", service.certificate());
    TrustManagerFactory trust =
        TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    trust.init(trusted);
    SSLContext ssl = SSLContext.getInstance("TLS");
    ssl.init(null, trust.getTrustManagers(), null);
    return HttpClient.newBuilder().sslContext(ssl).connectTimeout(Duration.ofSeconds(10))
        .build();
  }
}
