package io.natalia.cloud.ingest;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import io.natalia.cdr.IngestResponse;
import io.natalia.cloud.auth.ApiKeys;
import io.natalia.cloud.auth.ApiKeys.Kind;
import io.natalia.cloud.auth.ApiKeys.Principal;
import io.natalia.cloud.server.ApiError;
import io.natalia.cloud.server.ApiException;
import java.io.IOException;
import java.time.Duration;
import java.time.InstantSource;
import java.util.Optional;
import org.slf4j.MDC;

/**
 * {@code POST /ingest/cdr}: authenticates the agent key, applies its rate limit, reads the body
 * within the size limits and returns {@code 202} with the counts.
 */
public final class IngestEndpoint {
  /** Path of the endpoint. */
  public static final String PATH = "/ingest/cdr";
  private static final ObjectMapper JSON = new ObjectMapper();

  private final ApiKeys keys;
  private final Ingest ingest;
  private final RequestBody body;
  private final RateLimiter rateLimiter;

  public IngestEndpoint(ApiKeys keys, Ingest ingest, IngestSettings settings,
      InstantSource clock) {
    this.keys = keys;
    this.ingest = ingest;
    this.body = new RequestBody(settings.maxBodyBytes(), settings.maxDecodedBytes());
    this.rateLimiter = new RateLimiter(settings.requestsPerSecond(), settings.burst(), clock);
  }

  /** Installs the route. */
  public void install(JavalinConfig config) {
    config.routes.post(PATH, this::handle);
  }

  void handle(Context ctx) throws IOException {
    Principal agent = authenticate(ctx.header("Authorization"));
    MDC.put("tenant", Long.toString(agent.tenantId()));
    MDC.put("key", agent.prefix());
    try {
      Optional<Duration> wait = rateLimiter.acquire(agent.keyId());
      if (wait.isPresent()) {
        throw new ApiException(ApiError.RATE_LIMITED,
            "too many requests for key " + agent.prefix() + "; retry after the delay",
            wait.get());
      }
      JsonNode root = body.read(ctx.bodyInputStream(), ctx.header("Content-Encoding"),
          ctx.contentLength());
      IngestResponse response = ingest.ingest(agent.tenantId(), agent.keyId(), root);
      ctx.status(202);
      ctx.contentType("application/json");
      ctx.result(json(response));
    } finally {
      MDC.remove("tenant");
      MDC.remove("key");
    }
  }

  private Principal authenticate(String authorization) {
    String presented = bearer(authorization);
    Optional<Principal> agent = keys.authenticate(presented, Kind.AGENT);
    if (agent.isPresent()) {
      return agent.get();
    }
    if (keys.authenticate(presented, Kind.API_TOKEN).isPresent()) {
      throw new ApiException(ApiError.KEY_WRONG_KIND,
          "an API token cannot post records; use an agent key (natalia cloud agent-key create)");
    }
    throw new ApiException(ApiError.KEY_INVALID,
        "invalid or revoked agent key; send Authorization: Bearer <agent key>");
  }

  private static String bearer(String authorization) {
    if (authorization == null || !authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
      return null;
    }
    return authorization.substring(7).strip();
  }

  private static String json(IngestResponse response) {
    try {
      return JSON.writeValueAsString(response);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot serialise the ingest response", e);
    }
  }
}
