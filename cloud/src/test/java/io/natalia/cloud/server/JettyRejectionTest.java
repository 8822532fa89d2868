package io.natalia.cloud.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.natalia.cloud.service.CloudFixture;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Errors Jetty raises before Javalin runs: JSON on API paths, HTML elsewhere. A URI too long
 * or invalid leaves Jetty without a path, so it sends HTML (docs/known-limitations.md).
 */
class JettyRejectionTest {
  @RegisterExtension static final CloudFixture cloud = new CloudFixture();
  private static final ObjectMapper JSON = new ObjectMapper();
  /** Above Jetty's default request header size of 8 KiB. */
  private static final String HUGE = "a".repeat(20_000);

  @Test
  void headerTooLargeOnIngestIsJson() throws Exception {
    HttpResponse<String> answer = get(cloud.uri("/ingest/cdr"), HUGE);

    assertThat(answer.statusCode()).isEqualTo(431);
    assertApiError(answer, "NAT-API-018");
  }

  @Test
  void headerTooLargeOnDashboardIsHtml() throws Exception {
    HttpResponse<String> answer = get(cloud.uri("/overview"), HUGE);

    assertThat(answer.statusCode()).isEqualTo(431);
    assertThat(answer.headers().firstValue("Content-Type")).hasValueSatisfying(
        type -> assertThat(type).startsWith("text/html"));
  }

  private static HttpResponse<String> get(URI uri, String headerValue) throws Exception {
    HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(30));
    if (headerValue != null) {
      request.header("X-Filler", headerValue);
    }
    return cloud.client().send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  private static void assertApiError(HttpResponse<String> answer, String code)
      throws Exception {
    assertThat(answer.headers().firstValue("Content-Type")).hasValueSatisfying(
        type -> assertThat(type).startsWith("application/json"));
    JsonNode body = JSON.readTree(answer.body());
    assertThat(body.path("code").asText()).isEqualTo(code);
    assertThat(body.path("message").asText())
        .startsWith("the web server rejected the request before reading it (HTTP "
            + answer.statusCode() + "): ");
  }
}
