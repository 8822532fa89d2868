package io.natalia.agent.web;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import io.natalia.agent.crypto.SelfSignedCertificate;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.util.Base64;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.zip.GZIPInputStream;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;

/**
 * A recording cloud on 127.0.0.1: answers {@code POST /ingest/cdr} like the real one (202 with
 * ingested and duplicates, 401 for a wrong key) over HTTPS with its own self-signed certificate.
 */
final class FakeCloud implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final HttpsServer server;
  private final String apiKey;
  private final Set<String> ids = ConcurrentHashMap.newKeySet();
  private final AtomicInteger requests = new AtomicInteger();
  private final KeyStore keyStore;

  private FakeCloud(String apiKey) throws IOException, GeneralSecurityException {
    this.apiKey = apiKey;
    char[] password = "fake-cloud-store".toCharArray();
    keyStore = SelfSignedCertificate.create("fake cloud", List.of("localhost", "127.0.0.1"),
        password);
    KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
    keys.init(keyStore, password);
    SSLContext tls = SSLContext.getInstance("TLS");
    tls.init(keys.getKeyManagers(), null, null);
    server = HttpsServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.setHttpsConfigurator(new HttpsConfigurator(tls));
    server.createContext("/ingest/cdr", this::ingest);
    server.start();
  }

  static FakeCloud start(String apiKey) throws IOException, GeneralSecurityException {
    return new FakeCloud(apiKey);
  }

  URI url() {
    return URI.create("https://127.0.0.1:" + server.getAddress().getPort());
  }

  /** Writes the certificate as PEM, for the agent's {@code cloud.caCertificateFile}. */
  void writeCertificatePem(Path file) throws IOException, GeneralSecurityException {
    byte[] der = SelfSignedCertificate.certificate(keyStore).getEncoded();
    String pem = "-----BEGIN CERTIFICATE-----\n"
        + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der)
        + "\n-----END CERTIFICATE-----\n";
    Files.writeString(file, pem);
  }

  /** Returns how many distinct records the cloud holds. */
  int recordsHeld() {
    return ids.size();
  }

  /** Returns how many ingest requests arrived, accepted or not. */
  int requests() {
    return requests.get();
  }

  @Override
  public void close() {
    server.stop(0);
  }

  private void ingest(HttpExchange exchange) throws IOException {
    requests.incrementAndGet();
    if (!("Bearer " + apiKey).equals(exchange.getRequestHeaders().getFirst("Authorization"))) {
      answer(exchange, 401, "{\"code\":\"NAT-API-001\",\"message\":\"invalid API key\"}");
      return;
    }
    InputStream body = exchange.getRequestBody();
    if ("gzip".equals(exchange.getRequestHeaders().getFirst("Content-Encoding"))) {
      body = new GZIPInputStream(body);
    }
    JsonNode batch = JSON.readTree(body);
    int ingested = 0;
    int duplicates = 0;
    for (JsonNode record : batch.path("records")) {
      if (ids.add(record.path("id").asText())) {
        ingested++;
      } else {
        duplicates++;
      }
    }
    answer(exchange, 202, "{\"ingested\":" + ingested + ",\"duplicates\":" + duplicates
        + ",\"rejected\":[]}");
  }

  private static void answer(HttpExchange exchange, int status, String json) throws IOException {
    byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", "application/json");
    exchange.sendResponseHeaders(status, bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }
}
