package io.natalia.agent.web;

import io.natalia.agent.config.AgentConfig;
import io.natalia.agent.crypto.TrustStores;
import io.natalia.agent.forward.CloudTrust;
import io.natalia.agent.health.ConnectFailures;
import io.natalia.agent.health.ErrorCode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * The cloud connection's own test: posts an empty batch to {@code <url>/ingest/cdr} with the
 * agent API key. The cloud returns 202 for a valid key and 401 for an invalid one. It stores
 * nothing. The result carries the fingerprint of the certificate the cloud presented, trusted
 * or not, so that the admin can pin it.
 */
public final class CloudCheck {
  private static final Duration TIMEOUT = Duration.ofSeconds(10);
  private static final int BODY_EXCERPT = 200;

  private CloudCheck() {}

  /** Runs the test against these settings and returns network failures as a result. */
  // Limitation: see docs/known-limitations.md#web-cloud-test-empty-batch
  public static CloudTestView run(AgentConfig.Cloud cloud, String pbxId) {
    URI target = URI.create(cloud.url() + "/ingest/cdr");
    RecordingTrustManager trust;
    try {
      trust = new RecordingTrustManager(CloudTrust.trustManager(cloud));
    } catch (IOException e) {
      return failed(ErrorCode.NAT_AGT_017, "cloud.caCertificateFile: " + e.getMessage(), null,
          false);
    }
    boolean pinned = cloud.certificateSha256() != null;
    try (HttpClient http = client(trust)) {
      HttpRequest request = HttpRequest.newBuilder(target)
          .timeout(TIMEOUT)
          .header("Authorization", "Bearer " + cloud.apiKey().value())
          .header("Content-Type", "application/json")
          .header("Accept", "application/json")
          .POST(HttpRequest.BodyPublishers.ofString("{\"agent\":{\"version\":\"test\"},"
              + "\"pbx\":{\"id\":\"" + pbxId + "\",\"type\":\"OXO\"},\"records\":[]}"))
          .build();
      HttpResponse<String> response = http.send(request,
          HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
      return answer(target, response.statusCode(), response.body(), trust.seenFingerprint(),
          pinned);
    } catch (IOException e) {
      CloudTrust.Refusal refused = CloudTrust.refusal(e, cloud);
      if (refused != null) {
        return failed(refused.code(), refused.reason() + " (" + target + ")",
            trust.seenFingerprint(), false);
      }
      ConnectFailures.Failure connect = ConnectFailures.describe(e, target);
      String reason = connect != null ? connect.reason()
          : e.getClass().getSimpleName() + (e.getMessage() == null ? "" : " " + e.getMessage());
      return failed(ErrorCode.NAT_AGT_018, "cannot reach the cloud at " + target + ": " + reason,
          trust.seenFingerprint(), pinned);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return failed(ErrorCode.NAT_AGT_018, "interrupted while asking " + target, null, pinned);
    }
  }

  private static CloudTestView answer(URI target, int status, String body, String fingerprint,
      boolean pinned) {
    if (status >= 200 && status < 300) {
      return new CloudTestView(null, null, "The cloud at " + target
          + " accepted the agent API key (HTTP " + status + ").", fingerprint, pinned);
    }
    if (status == 401 || status == 403) {
      return failed(ErrorCode.NAT_API_001, "the cloud at " + target
          + " refused the agent API key (HTTP " + status + ")", fingerprint, pinned);
    }
    String excerpt = body == null ? "" : body.strip();
    if (excerpt.length() > BODY_EXCERPT) {
      excerpt = excerpt.substring(0, BODY_EXCERPT) + "...";
    }
    return failed(ErrorCode.NAT_AGT_018, "the cloud at " + target + " responded with HTTP " + status
        + (excerpt.isEmpty() ? "" : ": " + excerpt), fingerprint, pinned);
  }

  private static CloudTestView failed(ErrorCode code, String message, String fingerprint,
      boolean pinned) {
    return new CloudTestView(null, code, message, fingerprint, pinned);
  }

  private static HttpClient client(RecordingTrustManager trust) {
    return HttpClient.newBuilder()
        .connectTimeout(TIMEOUT)
        .version(HttpClient.Version.HTTP_1_1)
        .sslContext(TrustStores.context(trust))
        .build();
  }
}
