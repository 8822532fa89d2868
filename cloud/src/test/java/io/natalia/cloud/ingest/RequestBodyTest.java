package io.natalia.cloud.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.natalia.cloud.server.ApiError;
import io.natalia.cloud.server.ApiException;
import io.natalia.cloud.service.Records;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class RequestBodyTest {
  private final RequestBody body = new RequestBody(1 << 20, 4 << 20);

  @Test
  void truncatedGzipIsMalformed() {
    byte[] gzip = Records.gzip(bytes("{\"records\":[]}"));
    byte[] truncated = Arrays.copyOf(gzip, gzip.length - 5);

    assertThatThrownBy(() -> read(truncated, "gzip"))
        .isInstanceOf(ApiException.class)
        .hasMessage("body is not valid gzip (Content-Encoding: gzip): the gzip stream ends"
            + " early, so the body was cut short; send the whole body")
        .extracting(e -> ((ApiException) e).error())
        .isEqualTo(ApiError.MALFORMED_JSON);
  }

  @Test
  void gzipWithoutHeaderIsMalformed() {
    assertThatThrownBy(() -> read(bytes("{\"records\":[]}"), "gzip"))
        .isInstanceOf(ApiException.class)
        .hasMessageStartingWith("body is not valid gzip (Content-Encoding: gzip): ")
        .extracting(e -> ((ApiException) e).error())
        .isEqualTo(ApiError.MALFORMED_JSON);
  }

  @Test
  void trailingWordIsMalformed() {
    assertThatThrownBy(() -> read(bytes("{\"records\":[]} trailing"), null))
        .isInstanceOf(ApiException.class)
        .hasMessageStartingWith("body is not valid JSON at line 1, column 16 (byte 15): ")
        .hasMessageContaining("'trailing'")
        .extracting(e -> ((ApiException) e).error())
        .isEqualTo(ApiError.MALFORMED_JSON);
  }

  @Test
  void secondJsonValueIsMalformed() {
    assertThatThrownBy(() -> read(bytes("{\"records\":[]} {}"), null))
        .isInstanceOf(ApiException.class)
        .hasMessage("body is not valid JSON at line 1, column 16 (byte 15): content after"
            + " the JSON object; send exactly one JSON object")
        .extracting(e -> ((ApiException) e).error())
        .isEqualTo(ApiError.MALFORMED_JSON);
  }

  @Test
  void trailingWhitespaceIsAccepted() throws Exception {
    JsonNode root = read(bytes("{\"records\":[]}\r\n \t"), null);

    assertThat(root.path("records").isArray()).isTrue();
  }

  @Test
  void duplicateTopLevelKeyIsMalformed() {
    assertThatThrownBy(() -> read(bytes("{\"records\":[],\"records\":[]}"), null))
        .isInstanceOf(ApiException.class)
        .hasMessageStartingWith("body is not valid JSON at line 1, column ")
        .hasMessageContaining("Duplicate field 'records'")
        .extracting(e -> ((ApiException) e).error())
        .isEqualTo(ApiError.MALFORMED_JSON);
  }

  @Test
  void duplicateKeyInRecordIsMalformed() {
    String json = "{\"records\":[{\"id\":\"a\"},{\"id\":\"b\",\"talkSeconds\":1,"
        + "\"talkSeconds\":2}]}";

    assertThatThrownBy(() -> read(bytes(json), null))
        .isInstanceOf(ApiException.class)
        .hasMessageContaining("Duplicate field 'talkSeconds'");
  }

  @Test
  void sameKeyInSiblingObjectsIsAccepted() throws Exception {
    JsonNode root = read(bytes("{\"records\":[{\"id\":\"a\"},{\"id\":\"b\"}]}"), null);

    assertThat(root.path("records").size()).isEqualTo(2);
  }

  @Test
  void numberAboveParserLimitRejectsBody() {
    String json = "{\"records\":[{\"raw\":{\"n\":" + "9".repeat(1001) + "}}]}";

    assertThatThrownBy(() -> read(bytes(json), null))
        .isInstanceOf(ApiException.class)
        .hasMessageContaining("Number value length (1001) exceeds the maximum allowed (1000");
  }

  @Test
  void nestingAboveParserLimitRejectsBody() {
    String json = "{\"records\":[{\"raw\":" + "[".repeat(1000) + "]".repeat(1000) + "}]}";

    assertThatThrownBy(() -> read(bytes(json), null))
        .isInstanceOf(ApiException.class)
        .hasMessageContaining("exceeds the maximum allowed (1000");
  }

  private JsonNode read(byte[] bytes, String encoding) throws Exception {
    return body.read(new ByteArrayInputStream(bytes), encoding, bytes.length);
  }

  private static byte[] bytes(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }
}
