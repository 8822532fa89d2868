package io.natalia.agent.pbx.oxo;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.natalia.agent.config.AgentConfig;
import io.natalia.agent.health.AgentException;
import io.natalia.agent.health.ErrorCode;
import io.natalia.agent.pbx.PbxFailures;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A session with the OXO's CDR over IP API: Basic login for a JWT, then Bearer requests.
 *
 * <p>The token is opaque. Its lifetime comes from the login response's {@code expires_in},
 * counted on the agent's monotonic clock, because the PBX clock may be wrong. The session logs
 * in again shortly before the token runs out. When the PBX still responds with 401 in the middle
 * of a poll, it logs in once more and retries, and a second 401 is NAT-AGT-006. The password
 * and the token never reach a log or an exception message.
 *
 * <p>Not thread-safe: one poll at a time.
 */
final class OxoSession {
  static final String LOGIN_PATH = "/api/oxo/authentication/v1.0/login";
  static final String RECORDS_PATH = "/api/oxo/cdr/v1.0/records";

  private static final Logger log = LoggerFactory.getLogger(OxoSession.class);
  /**
   * Largest PBX response read: a page of OXO tickets is well under 1 MiB per 1000 records, so
   * this leaves room for large page caps while a runaway response cannot exhaust the heap.
   */
  static final long MAX_RESPONSE_BYTES = 64L * 1024 * 1024;
  private static final ObjectMapper JSON = new ObjectMapper();
  /** A PBX that sends no response for this long is down; the simulator's slow mode stays below. */
  private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(60);
  /** Renew at most this long before expiry: enough for one more request. */
  private static final Duration MAX_RENEW_MARGIN = Duration.ofSeconds(60);

  private final AgentConfig.Pbx pbx;
  private final HttpClient http;
  private final LongSupplier nanoTime;
  private String token;
  private Duration lifetime = AgentConfig.OXO_TOKEN_LIFETIME;
  private long renewAtNanos;

  OxoSession(AgentConfig.Pbx pbx, HttpClient http, LongSupplier nanoTime) {
    this.pbx = pbx;
    this.http = http;
    this.nanoTime = nanoTime;
  }

  /** Returns the lifetime of the current token, as the PBX announced it. */
  Duration tokenLifetime() {
    return lifetime;
  }

  /** Logs in with Basic credentials and keeps the token. */
  void login() throws AgentException {
    String credentials = pbx.login() + ":" + pbx.password().value();
    HttpRequest request = HttpRequest.newBuilder(pbx.baseUri().resolve(LOGIN_PATH))
        .timeout(REQUEST_TIMEOUT)
        .header("Authorization", "Basic " + Base64.getEncoder()
            .encodeToString(credentials.getBytes(StandardCharsets.UTF_8)))
        .header("Accept", "application/json")
        .POST(HttpRequest.BodyPublishers.noBody())
        .build();
    HttpResponse<byte[]> response = send(request);
    if (response.statusCode() != 200) {
      throw loginFailure(response.statusCode());
    }
    readToken(response.body());
    log.debug("Logged in to PBX {}; token valid for {} s", pbx.id(), lifetime.toSeconds());
  }

  /**
   * Returns the records the PBX serves from {@code since} on, logging in first when needed.
   *
   * @param since a UTC instant, sent with {@code Z}
   */
  List<Ticket> fetchRecords(Instant since) throws AgentException {
    if (token == null || nanoTime.getAsLong() - renewAtNanos >= 0) {
      login();
    }
    HttpResponse<byte[]> response = send(recordsRequest(since));
    if (response.statusCode() == 401) {
      log.info("PBX {} rejected the token in the middle of a poll; logging in again", pbx.id());
      login();
      response = send(recordsRequest(since));
      if (response.statusCode() == 401) {
        token = null;
        throw new AgentException(ErrorCode.NAT_AGT_006, "PBX " + pbx.id()
            + " rejected a fresh token on " + RECORDS_PATH + " (HTTP 401 twice)");
      }
    }
    if (response.statusCode() != 200) {
      throw requestFailure(response, RECORDS_PATH);
    }
    return parseRecords(response.body());
  }

  /** Returns the Retry-After of a failure, when the PBX gave one in seconds. */
  static Optional<Duration> retryAfter(HttpResponse<?> response) {
    return response.headers().firstValue("Retry-After")
        .filter(value -> value.trim().matches("\\d{1,6}"))
        .map(value -> Duration.ofSeconds(Long.parseLong(value.trim())));
  }

  private HttpRequest recordsRequest(Instant since) {
    String query = "since=" + URLEncoder.encode(since.toString(), StandardCharsets.UTF_8);
    return HttpRequest.newBuilder(URI.create(pbx.baseUri() + RECORDS_PATH + "?" + query))
        .timeout(REQUEST_TIMEOUT)
        .header("Authorization", "Bearer " + token)
        .header("Accept", "application/json")
        .GET()
        .build();
  }

  private void readToken(byte[] body) throws AgentException {
    JsonNode answer;
    try {
      answer = JSON.readTree(body);
    } catch (IOException e) {
      throw new AgentException(ErrorCode.NAT_AGT_016,
          "PBX login response is not JSON (" + body.length + " bytes)", e);
    }
    JsonNode tokenNode = answer == null ? null : answer.get("token");
    if (tokenNode == null || !tokenNode.isTextual() || tokenNode.textValue().isBlank()) {
      throw new AgentException(ErrorCode.NAT_AGT_016,
          "PBX login response has no token field (fields: " + fieldNames(answer) + ")");
    }
    JsonNode expiresIn = answer.get("expires_in");
    if (expiresIn != null && expiresIn.canConvertToLong() && expiresIn.asLong() > 0) {
      lifetime = Duration.ofSeconds(expiresIn.asLong());
    } else {
      lifetime = AgentConfig.OXO_TOKEN_LIFETIME;
      log.warn("PBX {} login response has no valid expires_in ({}); assuming {} s", pbx.id(),
          expiresIn, lifetime.toSeconds());
    }
    token = tokenNode.textValue();
    Duration margin = min(MAX_RENEW_MARGIN, lifetime.dividedBy(10));
    renewAtNanos = nanoTime.getAsLong() + lifetime.minus(margin).toNanos();
  }

  private static List<Ticket> parseRecords(byte[] body) throws AgentException {
    try {
      return Ticket.readPage(body);
    } catch (JsonProcessingException e) {
      throw new AgentException(ErrorCode.NAT_AGT_016, "PBX response on " + RECORDS_PATH
          + " is not valid JSON (" + body.length + " bytes): "
          + e.getMessage().lines().findFirst().orElse(""), e);
    } catch (IOException e) {
      throw new AgentException(ErrorCode.NAT_AGT_016, "PBX response on " + RECORDS_PATH
          + " is " + e.getMessage());
    }
  }

  private AgentException loginFailure(int status) {
    return switch (status) {
      case 401 -> new AgentException(ErrorCode.NAT_AGT_011, "PBX " + pbx.id()
          + " rejected the login '" + pbx.login() + "' or its password (HTTP 401)");
      case 403 -> new AgentException(ErrorCode.NAT_AGT_003, "PBX " + pbx.id()
          + " rejected the login of '" + pbx.login() + "' (HTTP 403)");
      case 404 -> new AgentException(ErrorCode.NAT_AGT_002,
          "PBX " + pbx.id() + " has no " + LOGIN_PATH + " (HTTP 404)");
      default -> new AgentException(ErrorCode.NAT_AGT_016,
          "PBX " + pbx.id() + " responded with HTTP " + status + " on " + LOGIN_PATH);
    };
  }

  private AgentException requestFailure(HttpResponse<byte[]> response, String path) {
    int status = response.statusCode();
    return switch (status) {
      case 403 -> new AgentException(ErrorCode.NAT_AGT_003, "PBX " + pbx.id() + " rejected "
          + path + " to '" + pbx.login() + "' (HTTP 403): the account lacks the CDR operator "
          + "profile");
      case 404 -> new AgentException(ErrorCode.NAT_AGT_002,
          "PBX " + pbx.id() + " has no " + path + " (HTTP 404): CDR over IP is off");
      default -> new TransientPbxException("PBX " + pbx.id() + " responded with HTTP " + status
          + " on " + path, retryAfter(response).orElse(null));
    };
  }

  private HttpResponse<byte[]> send(HttpRequest request) throws AgentException {
    try {
      return http.send(request, BoundedBody.handler(MAX_RESPONSE_BYTES));
    } catch (BoundedBody.TooLargeException e) {
      throw new AgentException(ErrorCode.NAT_AGT_016, "PBX " + pbx.id() + " sent a response"
          + " larger than " + MAX_RESPONSE_BYTES / (1024 * 1024) + " MiB to "
          + request.uri().getPath() + "; check that the address points at the OXO's CDR"
          + " over IP service", e);
    } catch (IOException e) {
      throw PbxFailures.translate(e, pbx.baseUri() + request.uri().getPath());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AgentException(ErrorCode.NAT_AGT_016, "interrupted while asking PBX "
          + pbx.id(), e);
    }
  }

  private static String fieldNames(JsonNode node) {
    if (node == null || !node.isObject()) {
      return "none";
    }
    StringBuilder names = new StringBuilder();
    node.fieldNames().forEachRemaining(n -> names.append(names.isEmpty() ? "" : ", ").append(n));
    return names.toString();
  }

  private static Duration min(Duration a, Duration b) {
    return a.compareTo(b) <= 0 ? a : b;
  }
}
