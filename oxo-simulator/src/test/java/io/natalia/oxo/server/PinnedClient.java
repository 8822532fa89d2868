package io.natalia.oxo.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.natalia.oxo.tls.PinnedTls;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;

/** A JDK HTTP client that trusts exactly one certificate: the simulator's. */
final class PinnedClient {
  static final ObjectMapper JSON = new ObjectMapper();

  private final HttpClient http;
  private final URI base;

  PinnedClient(URI base, X509Certificate pinned) {
    this.base = base;
    this.http = HttpClient.newBuilder()
        .sslContext(PinnedTls.sslContext(pinned))
        .connectTimeout(Duration.ofSeconds(10))
        .build();
  }

  HttpResponse<String> login(String login, String password) throws Exception {
    String basic = Base64.getEncoder().encodeToString(
        (login + ":" + password).getBytes(StandardCharsets.UTF_8));
    return send(HttpRequest.newBuilder(base.resolve(OxoSimulator.LOGIN_PATH))
        .header("Authorization", "Basic " + basic)
        .POST(HttpRequest.BodyPublishers.noBody()));
  }

  /** Logs in and returns the token, failing the test when login does not answer 200. */
  String token(Account account) throws Exception {
    HttpResponse<String> response = login(account.login(), account.password());
    if (response.statusCode() != 200) {
      throw new AssertionError("login answered " + response.statusCode() + ": "
          + response.body());
    }
    return JSON.readTree(response.body()).get("token").asText();
  }

  HttpResponse<String> records(String token, String since) throws Exception {
    HttpRequest.Builder request = HttpRequest.newBuilder(recordsUri(since))
        .header("Accept", "application/json");
    if (token != null) {
      request.header("Authorization", "Bearer " + token);
    }
    return send(request.GET());
  }

  /** Reads one page and returns its records, failing the test unless it answers 200. */
  JsonNode page(String token, Instant since) throws Exception {
    HttpResponse<String> response = records(token, since.toString());
    if (response.statusCode() != 200) {
      throw new AssertionError("records answered " + response.statusCode() + ": "
          + response.body());
    }
    return JSON.readTree(response.body());
  }

  HttpResponse<String> admin(String adminToken, String method, String pathAndQuery,
      String body) throws Exception {
    HttpRequest.Builder request = HttpRequest.newBuilder(base.resolve(pathAndQuery))
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
            : HttpRequest.BodyPublishers.ofString(body));
    if (adminToken != null) {
      request.header("Authorization", "Bearer " + adminToken);
    }
    return send(request);
  }

  HttpResponse<String> send(HttpRequest.Builder request) throws IOException,
      InterruptedException {
    return http.send(request.timeout(Duration.ofSeconds(20)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  URI recordsUri(String since) {
    return base.resolve(OxoSimulator.RECORDS_PATH + "?since="
        + URLEncoder.encode(since, StandardCharsets.UTF_8));
  }

  /** Parses a record's {@code hh:mm:ss} duration to seconds. */
  static long seconds(String hms) {
    String[] parts = hms.split(":");
    return Long.parseLong(parts[0]) * 3600 + Long.parseLong(parts[1]) * 60
        + Long.parseLong(parts[2]);
  }
}
