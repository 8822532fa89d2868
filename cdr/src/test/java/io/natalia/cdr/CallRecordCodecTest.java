package io.natalia.cdr;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class CallRecordCodecTest {
  private static final Instant NOW = Instant.parse("2026-06-01T12:00:00Z");
  private static final String START = "2026-05-24T06:31:12Z";
  private final CallRecordCodec codec = new CallRecordCodec(Clock.fixed(NOW, ZoneOffset.UTC));
  private final ObjectMapper mapper = new ObjectMapper();
  private final ObjectMapper exact = CallRecordCodec.exactNumbers(JsonMapper.builder()).build();

  @Test
  void roundTripKeepsEveryField() throws Exception {
    ObjectNode raw = JsonNodeFactory.instance.objectNode().put("ticketId", 48213);
    CallRecord record = new CallRecord("abc123", "oxo-1", 48213L, Direction.INCOMING,
        Instant.parse("2026-05-24T06:31:12Z"), 14, 160, true, "112", "Żaneta Ωmega",
        "G1", "V05", "0612345678", 6, new BigDecimal("1.20"), "PRJ-7", raw);

    String json = mapper.writeValueAsString(codec.toJson(record));
    CallRecord back = codec.fromJson(mapper.readTree(json));

    assertThat(back).isEqualTo(record);
    assertThat(back.endedAt()).isEqualTo(Instant.parse("2026-05-24T06:34:06Z"));
  }

  @Test
  void absentOptionalFieldsAreNull() throws Exception {
    CallRecord record = codec.fromJson(mapper.readTree(
        "{\"id\":\"x1\",\"pbxId\":\"p\",\"direction\":\"outgoing\","
            + "\"startedAt\":\"2026-05-24T06:31:12Z\"}"));

    assertThat(record.ticketId()).isNull();
    assertThat(record.cost()).isNull();
    assertThat(record.answered()).isFalse();
    assertThat(record.talkSeconds()).isZero();
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
    "'\"id\":\"\"'                        | id",
    "'\"id\":\"a b\"'                     | id",
    "'\"direction\":\"sideways\"'         | direction",
    "'\"startedAt\":\"2026-05-24 06:31\"' | startedAt",
    "'\"startedAt\":\"2026-06-03T12:00:01Z\"' | startedAt",
    "'\"startedAt\":\"1999-12-31T23:59:59Z\"' | startedAt",
    "'\"ringSeconds\":-1'                 | ringSeconds",
    "'\"talkSeconds\":86401'              | talkSeconds",
    "'\"talkSeconds\":\"12\"'             | talkSeconds",
    "'\"cost\":\"-0.01\"'                 | cost",
    "'\"cost\":\"abc\"'                   | cost",
    "'\"cost\":true'                      | cost",
    "'\"units\":1.5'                      | units",
    "'\"answered\":\"yes\"'               | answered",
    "'\"extension\":12'                   | extension",
    "'\"ticketId\":-4'                    | ticketId",
    "'\"raw\":[1]'                        | raw",
    "'\"raw\":{\"n\":[\"a\\u0000b\"]}'       | raw",
    "'\"raw\":{\"a\\u0000\":1}'            | raw",
    "'\"cost\":\"1e-999999999\"'           | cost",
    "'\"cost\":\"0.0000001\"'              | cost",
    "'\"cost\":\"1e+999999999\"'           | cost",
    "'\"talkSeconds\":18446744073709551676' | talkSeconds",
    "'\"ringSeconds\":-18446744073709551606' | ringSeconds",
    "'\"ticketId\":18446744073709551616'   | ticketId",
    "'\"units\":18446744073709551623'      | units",
  })
  void invalidFieldIsNamedInTheError(String override, String field) throws Exception {
    ObjectNode node = (ObjectNode) mapper.readTree(
        "{\"id\":\"x1\",\"pbxId\":\"p\",\"direction\":\"incoming\","
            + "\"startedAt\":\"2026-05-24T06:31:12Z\"}");
    node.setAll((ObjectNode) mapper.readTree("{" + override + "}"));

    assertThatThrownBy(() -> codec.fromJson(node))
        .isInstanceOf(InvalidRecordException.class)
        .hasMessageStartingWith(field + " ")
        .extracting(e -> ((InvalidRecordException) e).field())
        .isEqualTo(field);
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
    "cost        | 1e400                | 1E+400",
    "cost        | -1e400               | -1E+400",
    "cost        | '\"1e400\"'         | 1e400",
    "talkSeconds | 1e400                | 1E+400",
    "ringSeconds | 86401.0              | 86401.0",
    "ticketId    | 1e400                | 1E+400",
    "ticketId    | 9223372036854775808  | 9223372036854775808",
    "units       | 1e400                | 1E+400",
  })
  void hugeNumberIsOutOfRangeAsSent(String field, String json, String quoted) throws Exception {
    ObjectNode node = validRecord(exact);
    node.setAll((ObjectNode) exact.readTree("{\"" + field + "\":" + json + "}"));

    assertThatThrownBy(() -> codec.fromJson(node))
        .isInstanceOf(InvalidRecordException.class)
        .hasMessageStartingWith(field + " is out of range, must be between 0 and ")
        .hasMessageEndingWith(": '" + quoted + "'")
        .hasMessageNotContaining("Infinity");
  }

  @Test
  void infiniteDoubleIsOutOfRange() throws Exception {
    ObjectNode node = validRecord(mapper);
    node.setAll((ObjectNode) mapper.readTree("{\"cost\":1e400}"));

    assertThatThrownBy(() -> codec.fromJson(node))
        .hasMessage("cost is out of range, must be between 0 and 1000000: 'Infinity'");
  }

  @Test
  void tinyCostIsNotReadAsZero() throws Exception {
    ObjectNode node = validRecord(exact);
    node.setAll((ObjectNode) exact.readTree("{\"cost\":1e-400}"));

    assertThatThrownBy(() -> codec.fromJson(node))
        .hasMessage("cost must have at most 6 decimal places: '1E-400'");
  }

  @Test
  void wholeNumbersWithFractionOrExponentAreRead() throws Exception {
    ObjectNode node = validRecord(exact);
    node.setAll((ObjectNode) exact.readTree(
        "{\"talkSeconds\":30.0,\"ringSeconds\":3e1,\"ticketId\":12.00,\"units\":0.0}"));

    CallRecord record = codec.fromJson(node);

    assertThat(record.talkSeconds()).isEqualTo(30);
    assertThat(record.ringSeconds()).isEqualTo(30);
    assertThat(record.ticketId()).isEqualTo(12L);
    assertThat(record.units()).isZero();
  }

  @Test
  void fractionalSecondsAreNotWhole() throws Exception {
    ObjectNode node = validRecord(exact);
    node.setAll((ObjectNode) exact.readTree("{\"talkSeconds\":30.5}"));

    assertThatThrownBy(() -> codec.fromJson(node))
        .hasMessage("talkSeconds must be a whole number of seconds: '30.5'");
  }

  @Test
  void hugeNumberInRawIsRejected() throws Exception {
    ObjectNode node = validRecord(exact);
    node.setAll((ObjectNode) exact.readTree("{\"raw\":{\"a\":[1, {\"b\":1e999999999}]}}"));

    assertThatThrownBy(() -> codec.fromJson(node))
        .hasMessageStartingWith("raw must not hold a number with more than 1000 digits")
        .hasMessageEndingWith(": '1E+999999999'");
  }

  @Test
  void rawAboveSizeLimitIsRejected() throws Exception {
    ObjectNode node = validRecord(exact);
    node.set("raw", rawOfEmptyObjects(5460));

    assertThatThrownBy(() -> codec.fromJson(node))
        .isInstanceOf(InvalidRecordException.class)
        .hasMessage("raw must be at most 16384 bytes as compact JSON: '16387 bytes'");
  }

  @Test
  void rawAtSizeLimitIsAccepted() throws Exception {
    ObjectNode node = validRecord(exact);
    node.set("raw", rawOfEmptyObjects(5459));

    CallRecord record = codec.fromJson(node);

    assertThat(CallRecordCodec.compactJsonBytes(record.raw()))
        .isEqualTo(CallRecordCodec.MAX_RAW_BYTES);
  }

  @Test
  void compactJsonBytesCountsUtf8() throws Exception {
    assertThat(CallRecordCodec.compactJsonBytes(mapper.readTree("{\"name\": \"Żaneta\"}")))
        .isEqualTo("{\"name\":\"Żaneta\"}".getBytes(StandardCharsets.UTF_8).length);
  }

  /** Returns {@code {"x":[{},{},...]}} with {@code count} empty objects: 3 * count + 7 bytes. */
  private static ObjectNode rawOfEmptyObjects(int count) {
    ObjectNode raw = JsonNodeFactory.instance.objectNode();
    ArrayNode list = raw.putArray("x");
    for (int i = 0; i < count; i++) {
      list.addObject();
    }
    return raw;
  }

  private static ObjectNode validRecord(ObjectMapper reader) throws Exception {
    return (ObjectNode) reader.readTree(
        "{\"id\":\"x1\",\"pbxId\":\"p\",\"direction\":\"incoming\","
            + "\"startedAt\":\"2026-05-24T06:31:12Z\"}");
  }

  @ParameterizedTest
  @CsvSource({
    "2026-05-24T06:31:12Z", "2024-02-29T23:59:59Z", "2000-01-01T00:00:00Z",
    "2026-05-24T06:31:12.250Z", "2026-05-24T08:31:12+02:00", "1999-12-31T23:59:59Z",
    "2026-05-24T24:00:00Z"})
  void instantsMatchInstantParse(String text) {
    assertThat(CallRecordCodec.parseInstant(text)).isEqualTo(Instant.parse(text));
  }

  @ParameterizedTest
  @CsvSource({
    "2026-02-29T10:00:00Z", "2026-13-01T10:00:00Z", "2026-05-24T25:00:00Z",
    "2026-05-24T06:60:12Z", "2026-05-24T06:31:1xZ", "2026-05-24 06:31:12Z",
    "+026-05-24T06:31:12Z"})
  void invalidInstantsAreRejected(String text) {
    assertThatThrownBy(() -> Instant.parse(text)).isInstanceOf(DateTimeParseException.class);
    assertThatThrownBy(() -> CallRecordCodec.parseInstant(text))
        .isInstanceOf(DateTimeParseException.class);
  }

  @Test
  void quotedValueHasControlCharactersEscaped() throws Exception {
    ObjectNode node = (ObjectNode) mapper.readTree(
        "{\"id\":\"x1\",\"pbxId\":\"p\",\"startedAt\":\"2026-05-24T06:31:12Z\","
            + "\"direction\":\"x\\n2026-12-04 ERROR forged\\u0000\"}");

    assertThatThrownBy(() -> codec.fromJson(node))
        .hasMessageContaining("x\\u000a2026-12-04 ERROR forged\\u0000")
        .hasMessageNotContaining("\n")
        .hasMessageNotContaining("\0");
  }

  @Test
  void idIsStableAndSeparatesFields() {
    String first = CallRecordId.of("oxo-1", "48213", "2026-05-24T08:31:12", "112");
    String again = CallRecordId.of("oxo-1", "48213", "2026-05-24T08:31:12", "112");
    String shifted = CallRecordId.of("oxo-1", "4821", "32026-05-24T08:31:12", "112");
    String withNull = CallRecordId.of("oxo-1", null, "2026-05-24T08:31:12", "112");
    String withEmpty = CallRecordId.of("oxo-1", "", "2026-05-24T08:31:12", "112");

    assertThat(first).hasSize(32).isEqualTo(again);
    assertThat(shifted).isNotEqualTo(first);
    assertThat(withNull).isNotEqualTo(withEmpty);
  }

  @Test
  void idIsTheHexPrefixOfTheSha256OfTheFields() {
    // SHA-256 over 01 "oxo-1" 1f 01 "48213" 1f 01 "2026-05-24T08:31:12" 1f 01 "112" 1f 00 1f,
    // computed independently: ids must never change, or records read again get new ones.
    assertThat(CallRecordId.of("oxo-1", "48213", "2026-05-24T08:31:12", "112", null))
        .isEqualTo("3c30ab0c5b12d798c4df7c8e637ca726");
  }

  @Test
  void jsonBytesMatchTheTreeForm() throws Exception {
    ObjectNode raw = JsonNodeFactory.instance.objectNode().put("ticketId", 48213);
    CallRecord record = new CallRecord("abc123", "oxo-1", 48213L, Direction.INCOMING,
        Instant.parse("2026-05-24T06:31:12Z"), 14, 160, true, "112", "Żaneta \"Ωmega\"",
        "G1", "V05", "0612345678", 6, new BigDecimal("1.20"), "PRJ-7", raw);

    byte[] fromTree = codec.toJsonBytes(record);
    byte[] page = "[{\"ticketId\": 48213}]".getBytes(java.nio.charset.StandardCharsets.UTF_8);
    byte[] withRawText = codec.toJsonBytes(record, page, 1, page.length - 2);

    byte[] expected = mapper.writeValueAsBytes(codec.toJson(record));
    assertThat(fromTree).isEqualTo(expected);
    assertThat(mapper.readTree(withRawText)).isEqualTo(mapper.readTree(expected));
    assertThat(new String(withRawText, java.nio.charset.StandardCharsets.UTF_8))
        .endsWith("\"raw\":{\"ticketId\": 48213}}");
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
    "id            | a b",
    "startedAt     | 2026-06-03T12:00:01Z",
    "startedAt     | 1999-12-31T23:59:59Z",
    "ringSeconds   | -1",
    "talkSeconds   | 86401",
    "pbxId         | ' '",
    "ticketId      | -4",
    "extension     | 257",
    "units         | 1000001",
    "cost          | -0.01",
    "cost          | 0.0000001",
    "cost          | 1000000.01",
    "businessCode  | NUL",
    "raw           | NUL",
  })
  void checkRejectsWhatTheWireFormRejects(String field, String value) {
    CallRecord record = withField(field, value);

    assertThatThrownBy(() -> codec.check(record))
        .isInstanceOf(InvalidRecordException.class)
        .extracting(e -> ((InvalidRecordException) e).field())
        .isEqualTo(field);
    assertThatThrownBy(() -> codec.fromJson(mapper.readTree(codec.toJsonBytes(record))))
        .isInstanceOf(InvalidRecordException.class)
        .extracting(e -> ((InvalidRecordException) e).field())
        .isEqualTo(field);
  }

  @Test
  void checkAcceptsWhatTheWireFormAccepts() throws Exception {
    CallRecord record = withField("cost", "1000000");

    codec.check(record);

    assertThat(codec.fromJson(mapper.readTree(codec.toJsonBytes(record))))
        .isEqualTo(record);
  }

  /** Returns a valid record with one field set to {@code value} ("NUL" stands for a NUL). */
  private static CallRecord withField(String field, String value) {
    String text = "NUL".equals(value) ? "a\0b" : value;
    ObjectNode raw = JsonNodeFactory.instance.objectNode().put("n", 1);
    return switch (field) {
      case "id" -> record(text, "p", START, 3, 30, 7L, "112", 2, "0.5", null,
          raw);
      case "startedAt" -> record("x1", "p", text, 3, 30, 7L, "112", 2, "0.5", null, raw);
      case "ringSeconds" -> record("x1", "p", START, Integer.parseInt(text), 30, 7L, "112",
          2, "0.5", null, raw);
      case "talkSeconds" -> record("x1", "p", START, 3, Integer.parseInt(text), 7L, "112",
          2, "0.5", null, raw);
      case "pbxId" -> record("x1", text, START, 3, 30, 7L, "112", 2, "0.5", null, raw);
      case "ticketId" -> record("x1", "p", START, 3, 30, Long.parseLong(text), "112", 2,
          "0.5", null, raw);
      case "extension" -> record("x1", "p", START, 3, 30, 7L, "1".repeat(
          Integer.parseInt(text)), 2, "0.5", null, raw);
      case "units" -> record("x1", "p", START, 3, 30, 7L, "112", Integer.parseInt(text),
          "0.5", null, raw);
      case "cost" -> record("x1", "p", START, 3, 30, 7L, "112", 2, text, null, raw);
      case "businessCode" -> record("x1", "p", START, 3, 30, 7L, "112", 2, "0.5", text,
          raw);
      case "raw" -> record("x1", "p", START, 3, 30, 7L, "112", 2, "0.5", null,
          JsonNodeFactory.instance.objectNode().put("n", text));
      default -> throw new IllegalArgumentException(field);
    };
  }

  private static CallRecord record(String id, String pbxId, String startedAt, int ring,
      int talk, Long ticketId, String extension, Integer units, String cost,
      String businessCode, ObjectNode raw) {
    return new CallRecord(id, pbxId, ticketId, Direction.INCOMING, Instant.parse(startedAt),
        ring, talk, talk > 0, extension, null, null, null, null, units, new BigDecimal(cost),
        businessCode, raw);
  }
}
