package io.natalia.cloud.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.Error;
import com.networknt.schema.InputFormat;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import io.natalia.cloud.analytics.AnalyticsFixture;
import io.natalia.cloud.auth.Role;
import io.natalia.cloud.store.TestDatabase;
import io.natalia.oxo.traffic.TrafficGenerator;
import io.natalia.oxo.traffic.TrafficSettings;
import io.swagger.v3.parser.OpenAPIV3Parser;
import io.swagger.v3.parser.core.models.ParseOptions;
import io.swagger.v3.parser.core.models.SwaggerParseResult;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Keeps the served OpenAPI document true: it is valid OpenAPI 3.1 (swagger-parser), every
 * route is in it and every path in it is a route, and each path responds with the documented
 * JSON shape (the documented schema, with no undocumented field, checked by a JSON Schema
 * 2020-12 validator).
 */
class OpenApiDocumentTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final ZoneId PARIS = ZoneId.of("Europe/Paris");
  private static final String RANGE = "from=2026-03-23&to=2026-03-30";

  @RegisterExtension static final TestDatabase db = new TestDatabase();
  private static ApiServer api;
  private static String adminToken;
  private static JsonNode document;

  @BeforeAll
  static void start() throws Exception {
    AnalyticsFixture fixture = new AnalyticsFixture(db.dataSource(), "OpenAPI", PARIS,
        Instant.parse("2026-04-15T00:00:00Z"));
    fixture.load(new TrafficGenerator(7, TrafficSettings.builder().build())
        .ticketsWritten(Instant.parse("2026-03-20T00:00:00Z"),
            Instant.parse("2026-04-02T00:00:00Z")));
    api = new ApiServer(fixture);
    adminToken = api.token(Role.ADMIN);
    document = JSON.readTree(api.get(ApiRoutes.OPENAPI, null).body());
  }

  @AfterAll
  static void stop() {
    api.close();
  }

  @Test
  void documentIsValidOpenApi31() throws Exception {
    HttpResponse<String> response = api.get(ApiRoutes.OPENAPI, null);

    ParseOptions options = new ParseOptions();
    options.setResolve(true);
    SwaggerParseResult result = new OpenAPIV3Parser().readContents(response.body(), null,
        options);
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(result.getMessages()).isEmpty();
    assertThat(result.getOpenAPI().getOpenapi()).startsWith("3.1");
  }

  @Test
  void routesMatchDocumentedPaths() {
    TreeSet<String> documented = new TreeSet<>();
    document.path("paths").fieldNames().forEachRemaining(documented::add);

    TreeSet<String> served = new TreeSet<>(api.routes().paths());
    assertThat(served).isNotEmpty();
    assertThat(documented).containsExactlyInAnyOrderElementsOf(served);
  }

  @Test
  void everyDocumentedJsonAnswerHasItsDocumentedShape() throws Exception {
    List<String> checked = new ArrayList<>();
    Iterator<Map.Entry<String, JsonNode>> paths = document.path("paths").fields();
    while (paths.hasNext()) {
      Map.Entry<String, JsonNode> path = paths.next();
      JsonNode ok = path.getValue().path("get").path("responses").path("200").path("content");
      JsonNode schema = ok.path("application/json").path("schema");
      if (schema.isMissingNode()) {
        continue;
      }
      String query = requiresRange(path.getValue()) ? "?" + RANGE : "";
      HttpResponse<String> response = api.get(path.getKey() + query, adminToken);

      assertThat(response.statusCode()).as(path.getKey() + ": " + response.body())
          .isEqualTo(200);
      List<Error> errors = validator(schema).validate(response.body(), InputFormat.JSON);
      assertThat(errors).as(path.getKey()).isEmpty();
      ObjectNode widened = (ObjectNode) JSON.readTree(response.body());
      widened.put("undocumented", 1);
      assertThat(validator(schema).validate(widened.toString(), InputFormat.JSON))
          .as("an undocumented field in " + path.getKey()).isNotEmpty();
      checked.add(path.getKey());
    }
    assertThat(checked).hasSizeGreaterThanOrEqualTo(11);
  }

  @Test
  void documentedErrorAnswersHaveTheErrorShape() throws Exception {
    HttpResponse<String> unauthorized = api.get("/api/v1/summary?" + RANGE, null);
    HttpResponse<String> badRequest = api.get("/api/v1/summary?from=yesterday&to=2026-03-30",
        adminToken);

    Schema error = validator(JSON.readTree("{\"$ref\": \"#/components/schemas/Error\"}"));
    assertThat(unauthorized.statusCode()).isEqualTo(401);
    assertThat(error.validate(unauthorized.body(), InputFormat.JSON)).isEmpty();
    assertThat(badRequest.statusCode()).isEqualTo(400);
    assertThat(error.validate(badRequest.body(), InputFormat.JSON)).isEmpty();
  }

  private static boolean requiresRange(JsonNode pathItem) {
    for (JsonNode parameter : pathItem.path("get").path("parameters")) {
      if (parameter.path("$ref").asText().endsWith("/from")) {
        return true;
      }
    }
    return false;
  }

  /** Builds a JSON Schema 2020-12 validator of one documented schema, references resolved. */
  private static Schema validator(JsonNode schema) {
    ObjectNode root = JSON.createObjectNode();
    root.put("$schema", "https://json-schema.org/draft/2020-12/schema");
    root.setAll((ObjectNode) schema);
    root.set("components", document.path("components"));
    return SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12)
        .getSchema(root.toString(), InputFormat.JSON);
  }
}
