package io.natalia.agent.forward;

import io.natalia.agent.config.AgentConfig;
import io.natalia.agent.crypto.TrustStores;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Optional;

/** Sends gzip-compressed batches to the cloud's {@code POST /ingest/cdr}. Thread-safe. */
final class CloudClient {
  static final String INGEST_PATH = "/ingest/cdr";
  private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);
  /** A batch of 1000 records is stored in well under a second; a minute means trouble. */
  private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(60);

  private final URI ingestUri;
  private final String authorization;
  private final HttpClient http;

  CloudClient(AgentConfig.Cloud cloud) throws IOException {
    this.ingestUri = URI.create(cloud.url() + INGEST_PATH);
    this.authorization = "Bearer " + cloud.apiKey().value();
    HttpClient.Builder builder = HttpClient.newBuilder()
        .connectTimeout(CONNECT_TIMEOUT)
        .version(HttpClient.Version.HTTP_1_1);
    this.http = builder.sslContext(TrustStores.context(CloudTrust.trustManager(cloud))).build();
  }

  /** The cloud's response: status, body and the requested wait. */
  record Answer(int status, byte[] body, Duration retryAfter) {}

  /** Posts one gzip-compressed JSON body, given as consecutive blocks. */
  Answer post(List<byte[]> gzippedJson) throws IOException, InterruptedException {
    HttpRequest request = HttpRequest.newBuilder(ingestUri)
        .timeout(REQUEST_TIMEOUT)
        .header("Authorization", authorization)
        .header("Content-Type", "application/json")
        .header("Content-Encoding", "gzip")
        .header("Accept", "application/json")
        .POST(HttpRequest.BodyPublishers.fromPublisher(
            HttpRequest.BodyPublishers.ofByteArrays(gzippedJson), length(gzippedJson)))
        .build();
    HttpResponse<byte[]> response = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
    return new Answer(response.statusCode(), response.body(),
        retryAfter(response.headers().firstValue("Retry-After")).orElse(null));
  }

  private static long length(List<byte[]> blocks) {
    long length = 0;
    for (byte[] block : blocks) {
      length += block.length;
    }
    return length;
  }

  /** Returns the URL of the ingest endpoint, for messages (it contains no secret). */
  URI ingestUri() {
    return ingestUri;
  }

  /** Reads {@code Retry-After} as seconds or as an HTTP date. */
  static Optional<Duration> retryAfter(Optional<String> header) {
    if (header.isEmpty()) {
      return Optional.empty();
    }
    String value = header.get().trim();
    if (value.matches("\\d{1,9}")) {
      return Optional.of(Duration.ofSeconds(Long.parseLong(value)));
    }
    try {
      Instant at = ZonedDateTime.parse(value, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
      Duration wait = Duration.between(Instant.now(), at);
      return Optional.of(wait.isNegative() ? Duration.ZERO : wait);
    } catch (DateTimeParseException e) {
      return Optional.empty();
    }
  }
}
