package io.natalia.cdr;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.JsonNodeFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;

/**
 * Converts call records to and from their JSON wire form, checking every field.
 *
 * <p>The wire form is one JSON object per record with the field names of {@link CallRecord};
 * {@code direction} is lower case, {@code startedAt} an ISO-8601 instant with {@code Z} and
 * {@code cost} a decimal string. Reading is strict, because both ends are ours: a record that
 * breaks a rule raises {@link InvalidRecordException} naming the field and the value.
 *
 * <p>Thread-safe.
 */
public final class CallRecordCodec {
  /** A ticket longer than a day is a PBX or parser fault, not a call. */
  public static final Duration MAX_DURATION = Duration.ofDays(1);
  /** Start times beyond now plus this are rejected; it covers a PBX clock that runs fast. */
  public static final Duration MAX_CLOCK_AHEAD = Duration.ofDays(1);
  /** No OXO R10 ticket predates this. */
  public static final Instant EARLIEST_START = Instant.parse("2000-01-01T00:00:00Z");
  /** Upper bound of {@code cost}: far above any single call, low enough to catch garbage. */
  public static final BigDecimal MAX_COST = new BigDecimal("1000000");

  /** Decimal places kept for {@code cost}: currencies use 0 to 3, metering tariffs up to 6. */
  public static final int MAX_COST_SCALE = 6;
  private static final int MAX_COST_TEXT_LENGTH = 32;

  /** Upper bound of {@code units}, the PBX's metering pulses of one call. */
  public static final int MAX_UNITS = 1_000_000;
  /** Digits a number in {@code raw} may have on each side of the point, far below jsonb's. */
  public static final int MAX_RAW_NUMBER_DIGITS = 1000;
  /**
   * Maximum size of {@code raw} as compact UTF-8 JSON. An OXO ticket takes about 300 bytes
   * (13 fields), so the cap leaves room for a PBX that prints more. It stops one record from
   * costing the cloud seconds of work and its call page megabytes of HTML.
   */
  public static final int MAX_RAW_BYTES = 16 * 1024;
  private static final ObjectMapper COMPACT = new ObjectMapper();

  private static final int MAX_ID_LENGTH = 128;
  private static final int MAX_TEXT_LENGTH = 256;
  private static final int MAX_SECONDS = (int) MAX_DURATION.toSeconds();
  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final JsonFactory FACTORY = MAPPER.getFactory();
  private static final byte[] RAW_FIELD = ",\"raw\":".getBytes(StandardCharsets.UTF_8);
  /** A buffer grown beyond this by an unusual record is not kept for the next one. */
  private static final int MAX_KEPT_BUFFER = 64 * 1024;
  /** The buffer each thread writes records into before copying them out. */
  private static final ThreadLocal<ByteArrayOutputStream> BUFFER =
      ThreadLocal.withInitial(() -> new ByteArrayOutputStream(2048));

  private final Clock clock;

  public CallRecordCodec(Clock clock) {
    this.clock = clock;
  }

  /**
   * Configures a JSON mapper to read records as this codec expects: floating-point numbers
   * become exact decimals with their trailing zeros. A cost of 1e400 is then rejected as out
   * of range with its value instead of as infinity, and 1e-400 is not read as 0.
   */
  public static JsonMapper.Builder exactNumbers(JsonMapper.Builder builder) {
    return builder.enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
        .disable(JsonNodeFeature.STRIP_TRAILING_BIGDECIMAL_ZEROES);
  }

  /** Returns the wire form of a record. */
  public ObjectNode toJson(CallRecord record) {
    ObjectNode node = JsonNodeFactory.instance.objectNode();
    node.put("id", record.id());
    node.put("pbxId", record.pbxId());
    putIfPresent(node, "ticketId", record.ticketId());
    node.put("direction", record.direction().wireName());
    node.put("startedAt", record.startedAt().toString());
    node.put("ringSeconds", record.ringSeconds());
    node.put("talkSeconds", record.talkSeconds());
    node.put("answered", record.answered());
    putIfPresent(node, "extension", record.extension());
    putIfPresent(node, "extensionName", record.extensionName());
    putIfPresent(node, "initialTarget", record.initialTarget());
    putIfPresent(node, "trunk", record.trunk());
    putIfPresent(node, "externalNumber", record.externalNumber());
    if (record.units() != null) {
      node.put("units", record.units());
    }
    if (record.cost() != null) {
      node.put("cost", record.cost().toPlainString());
    }
    putIfPresent(node, "businessCode", record.businessCode());
    if (record.raw() != null) {
      node.set("raw", record.raw());
    }
    return node;
  }

  /** Returns the wire form of a record as UTF-8 JSON, the same as {@link #toJson} writes. */
  public byte[] toJsonBytes(CallRecord record) {
    return toJsonBytes(record, null, 0, 0);
  }

  /**
   * Returns the wire form of a record as UTF-8 JSON, the same fields in the same order as
   * {@link #toJson}. {@code raw[rawOffset, rawOffset + rawLength)}, when {@code raw} is not
   * {@code null}, is written as the {@code raw} object in place of {@link CallRecord#raw()}:
   * the caller guarantees that it is one valid JSON object in UTF-8, such as the PBX's ticket
   * exactly as received.
   */
  public byte[] toJsonBytes(CallRecord record, byte[] raw, int rawOffset, int rawLength) {
    ByteArrayOutputStream out = BUFFER.get();
    out.reset();
    // The generator leaves the object open: raw bytes are appended to the stream after it.
    try (JsonGenerator json = FACTORY.createGenerator(out)
        .disable(JsonGenerator.Feature.AUTO_CLOSE_JSON_CONTENT)) {
      writeFields(record, json);
      if (raw == null && record.raw() != null) {
        json.writeFieldName("raw");
        MAPPER.writeTree(json, record.raw());
      }
      json.flush();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write record " + record.id() + " as JSON", e);
    }
    if (raw != null) {
      out.write(RAW_FIELD, 0, RAW_FIELD.length);
      out.write(raw, rawOffset, rawLength);
    }
    out.write('}');
    byte[] bytes = out.toByteArray();
    if (out.size() > MAX_KEPT_BUFFER) {
      BUFFER.remove();
    }
    return bytes;
  }

  private static void writeFields(CallRecord record, JsonGenerator json) throws IOException {
    json.writeStartObject();
    json.writeStringField("id", record.id());
    json.writeStringField("pbxId", record.pbxId());
    if (record.ticketId() != null) {
      json.writeNumberField("ticketId", record.ticketId());
    }
    json.writeStringField("direction", record.direction().wireName());
    json.writeStringField("startedAt", record.startedAt().toString());
    json.writeNumberField("ringSeconds", record.ringSeconds());
    json.writeNumberField("talkSeconds", record.talkSeconds());
    json.writeBooleanField("answered", record.answered());
    writeIfPresent(json, "extension", record.extension());
    writeIfPresent(json, "extensionName", record.extensionName());
    writeIfPresent(json, "initialTarget", record.initialTarget());
    writeIfPresent(json, "trunk", record.trunk());
    writeIfPresent(json, "externalNumber", record.externalNumber());
    if (record.units() != null) {
      json.writeNumberField("units", record.units());
    }
    if (record.cost() != null) {
      json.writeStringField("cost", record.cost().toPlainString());
    }
    writeIfPresent(json, "businessCode", record.businessCode());
  }

  /**
   * Checks a record in memory against the rules {@link #fromJson} applies to its wire form,
   * without writing and reading it: a record that passes is one that {@code
   * fromJson(toJson(record))} accepts. The {@code raw} tree, when present, is checked for NUL
   * characters too; a caller that sends its own raw JSON checks that itself.
   *
   * @throws InvalidRecordException naming the first field that breaks a rule
   */
  public void check(CallRecord record) throws InvalidRecordException {
    if (!isValidId(record.id())) {
      throw new InvalidRecordException("id", record.id(), "must be 1 to 128 of [A-Za-z0-9._:-]");
    }
    checkStartedAt(record.startedAt(), record.startedAt());
    checkSeconds("ringSeconds", record.ringSeconds());
    checkSeconds("talkSeconds", record.talkSeconds());
    checkRequired("pbxId", record.pbxId());
    if (record.ticketId() != null && record.ticketId() < 0) {
      throw new InvalidRecordException("ticketId", record.ticketId(),
          "must be a non-negative integer");
    }
    checkText("extension", record.extension());
    checkText("extensionName", record.extensionName());
    checkText("initialTarget", record.initialTarget());
    checkText("trunk", record.trunk());
    checkText("externalNumber", record.externalNumber());
    if (record.units() != null && (record.units() < 0 || record.units() > MAX_UNITS)) {
      throw new InvalidRecordException("units", record.units(),
          "is out of range, must be between 0 and " + MAX_UNITS);
    }
    if (record.cost() != null) {
      checkCost(record.cost(), record.cost());
    }
    checkText("businessCode", record.businessCode());
    if (record.raw() != null) {
      String withNul = firstTextWithNul(record.raw());
      if (withNul != null) {
        throw new InvalidRecordException("raw", withNul, "must not contain NUL characters");
      }
      JsonNode huge = firstHugeNumber(record.raw());
      if (huge != null) {
        throw new InvalidRecordException("raw", shown(huge), "must not hold a number with more"
            + " than " + MAX_RAW_NUMBER_DIGITS + " digits before or after the decimal point");
      }
    }
  }

  /**
   * Reads and checks one record in wire form.
   *
   * @throws InvalidRecordException naming the first field that breaks a rule
   */
  public CallRecord fromJson(JsonNode node) throws InvalidRecordException {
    if (node == null || !node.isObject()) {
      throw new InvalidRecordException("record", node, "must be a JSON object");
    }
    String id = requiredText(node, "id");
    if (!isValidId(id)) {
      throw new InvalidRecordException("id", id, "must be 1 to 128 of [A-Za-z0-9._:-]");
    }
    Instant startedAt = startedAt(node);
    int ringSeconds = seconds(node, "ringSeconds");
    int talkSeconds = seconds(node, "talkSeconds");
    return new CallRecord(
        id,
        requiredText(node, "pbxId"),
        ticketId(node),
        direction(node),
        startedAt,
        ringSeconds,
        talkSeconds,
        bool(node, "answered", talkSeconds > 0),
        optionalText(node, "extension"),
        optionalText(node, "extensionName"),
        optionalText(node, "initialTarget"),
        optionalText(node, "trunk"),
        optionalText(node, "externalNumber"),
        units(node),
        cost(node),
        optionalText(node, "businessCode"),
        raw(node));
  }

  private Instant startedAt(JsonNode node) throws InvalidRecordException {
    String text = requiredText(node, "startedAt");
    Instant startedAt;
    try {
      startedAt = parseInstant(text);
    } catch (DateTimeParseException e) {
      throw new InvalidRecordException(
          "startedAt", text, "must be an ISO-8601 UTC instant such as 2026-05-24T08:31:12Z");
    }
    checkStartedAt(startedAt, text);
    return startedAt;
  }

  /** Checks the range of a start time; {@code shown} is the value for the message. */
  private void checkStartedAt(Instant startedAt, Object shown) throws InvalidRecordException {
    if (startedAt.isBefore(EARLIEST_START)) {
      throw new InvalidRecordException("startedAt", shown,
          "must not be before " + EARLIEST_START);
    }
    Instant latest = clock.instant().plus(MAX_CLOCK_AHEAD);
    if (startedAt.isAfter(latest)) {
      throw new InvalidRecordException("startedAt", shown,
          "must not be more than 1 day in the future (latest " + latest + ")");
    }
  }

  /**
   * Parses an ISO-8601 instant as {@link Instant#parse} does. The form every agent sends,
   * {@code 2026-05-24T08:31:12Z}, is read directly: the general parser took an eighth of the
   * cloud's ingest CPU in a profile. Any other form goes to {@link Instant#parse}.
   */
  static Instant parseInstant(String text) {
    if (text.length() == 20 && text.charAt(19) == 'Z') {
      try {
        LocalDateTime time = IsoLocalDateTime.parse(text, false);
        if (time != null) {
          return time.toInstant(ZoneOffset.UTC);
        }
      } catch (DateTimeException e) {
        // Out of range, or hour 24 which Instant.parse accepts: it decides below.
      }
    }
    return Instant.parse(text);
  }

  private static Direction direction(JsonNode node) throws InvalidRecordException {
    String text = requiredText(node, "direction");
    try {
      return Direction.parse(text);
    } catch (IllegalArgumentException e) {
      throw new InvalidRecordException("direction", text, "must be incoming, outgoing or internal");
    }
  }

  private static int seconds(JsonNode node, String field) throws InvalidRecordException {
    JsonNode value = node.get(field);
    if (value == null || value.isNull()) {
      return 0;
    }
    return (int) wholeNumber(value, field, MAX_SECONDS, "seconds");
  }

  private static void checkSeconds(String field, long seconds) throws InvalidRecordException {
    if (seconds < 0 || seconds > MAX_SECONDS) {
      throw new InvalidRecordException(
          field, seconds, "is out of range, must be between 0 and " + MAX_SECONDS + " seconds");
    }
  }

  private static Long ticketId(JsonNode node) throws InvalidRecordException {
    JsonNode value = node.get("ticketId");
    if (value == null || value.isNull()) {
      return null;
    }
    return wholeNumber(value, "ticketId", Long.MAX_VALUE, null);
  }

  private static Integer units(JsonNode node) throws InvalidRecordException {
    JsonNode value = node.get("units");
    if (value == null || value.isNull()) {
      return null;
    }
    return (int) wholeNumber(value, "units", MAX_UNITS, null);
  }

  /**
   * Reads a JSON number that must be a whole number from 0 to {@code max}. The range is
   * checked on the exact value first, so 1e400 is out of range rather than a wrapped or
   * infinite number, and an integral value written with a fraction or exponent (30.0, 3e1)
   * is accepted.
   *
   * @param unit the unit named in messages, or null
   */
  private static long wholeNumber(JsonNode value, String field, long max, String unit)
      throws InvalidRecordException {
    String whole = "must be a whole number" + (unit == null ? "" : " of " + unit);
    if (!value.isNumber()) {
      throw new InvalidRecordException(field, shown(value), whole);
    }
    BigDecimal exact = exactValue(value);
    if (exact == null || exact.signum() < 0 || exact.compareTo(BigDecimal.valueOf(max)) > 0) {
      throw new InvalidRecordException(field, shown(value), "is out of range, must be between"
          + " 0 and " + max + (unit == null ? "" : " " + unit));
    }
    if (exact.signum() != 0 && exact.scale() > 0 && exact.stripTrailingZeros().scale() > 0) {
      throw new InvalidRecordException(field, shown(value), whole);
    }
    return exact.longValue();
  }

  private static BigDecimal cost(JsonNode node) throws InvalidRecordException {
    JsonNode value = node.get("cost");
    if (value == null || value.isNull()) {
      return null;
    }
    if (!value.isNumber() && !value.isTextual()) {
      throw new InvalidRecordException("cost", shown(value), "must be a decimal number");
    }
    // A short text can still carry an exponent of a billion, whose plain form has a billion
    // digits: bound the length here, then the range and the scale before the value is used.
    if (value.isTextual() && value.textValue().length() > MAX_COST_TEXT_LENGTH) {
      throw new InvalidRecordException(
          "cost", shown(value), "must be at most " + MAX_COST_TEXT_LENGTH + " characters");
    }
    BigDecimal cost;
    try {
      cost = value.isNumber() ? exactValue(value) : new BigDecimal(value.textValue());
    } catch (NumberFormatException e) {
      throw new InvalidRecordException("cost", shown(value), "must be a decimal number");
    }
    if (cost == null) {
      throw new InvalidRecordException(
          "cost", shown(value), "is out of range, must be between 0 and " + MAX_COST);
    }
    checkCost(cost, shown(value));
    return cost;
  }

  /**
   * Checks the range, then the scale of a cost; {@code shown} is the value for the message.
   * The range comes first, so 1e400 is out of range rather than a number with too many places.
   */
  private static void checkCost(BigDecimal cost, Object shown) throws InvalidRecordException {
    if (cost.signum() < 0 || cost.compareTo(MAX_COST) > 0) {
      throw new InvalidRecordException(
          "cost", shown, "is out of range, must be between 0 and " + MAX_COST);
    }
    if (cost.scale() > MAX_COST_SCALE || cost.scale() < -MAX_COST_SCALE) {
      throw new InvalidRecordException(
          "cost", shown, "must have at most " + MAX_COST_SCALE + " decimal places");
    }
    // Within this scale and range the plain text has at most 14 characters, far below
    // MAX_COST_TEXT_LENGTH, so the length rule of fromJson cannot fail here.
  }

  /**
   * Returns the exact value of a JSON number, or null for an infinite or NaN one. A parser
   * that reads floating-point numbers as doubles has already turned 1e400 into infinity and
   * 1e-400 into 0; {@link #exactNumbers} keeps them exact.
   */
  private static BigDecimal exactValue(JsonNode number) {
    if (number.isDouble() || number.isFloat()) {
      double value = number.doubleValue();
      return Double.isFinite(value) ? BigDecimal.valueOf(value) : null;
    }
    return number.decimalValue();
  }

  /**
   * Returns a value as the message quotes it: text without JSON quotes, a number with its
   * digits and exponent as parsed (1e400 reads {@code 1E+400}), anything else as JSON.
   */
  private static String shown(JsonNode value) {
    if (value.isTextual()) {
      return value.textValue();
    }
    if (value.isBigDecimal()) {
      return value.decimalValue().toString();
    }
    return value.isValueNode() ? value.asText() : value.toString();
  }

  private static boolean bool(JsonNode node, String field, boolean fallback)
      throws InvalidRecordException {
    JsonNode value = node.get(field);
    if (value == null || value.isNull()) {
      return fallback;
    }
    if (!value.isBoolean()) {
      throw new InvalidRecordException(field, value, "must be true or false");
    }
    return value.booleanValue();
  }

  private static ObjectNode raw(JsonNode node) throws InvalidRecordException {
    JsonNode value = node.get("raw");
    if (value == null || value.isNull()) {
      return null;
    }
    if (!value.isObject()) {
      throw new InvalidRecordException("raw", value, "must be a JSON object");
    }
    // Checked first, so that the walks below and the masking at ingest stay small.
    long bytes = compactJsonBytes(value);
    if (bytes > MAX_RAW_BYTES) {
      throw new InvalidRecordException("raw", bytes + " bytes", "must be at most "
          + MAX_RAW_BYTES + " bytes as compact JSON");
    }
    // PostgreSQL text and jsonb cannot hold NUL: one such record must not fail its batch.
    String withNul = firstTextWithNul(value);
    if (withNul != null) {
      throw new InvalidRecordException("raw", withNul, "must not contain NUL characters");
    }
    JsonNode huge = firstHugeNumber(value);
    if (huge != null) {
      throw new InvalidRecordException("raw", shown(huge), "must not hold a number with more"
          + " than " + MAX_RAW_NUMBER_DIGITS + " digits before or after the decimal point");
    }
    return (ObjectNode) value;
  }

  /** Returns the size of {@code node} as compact UTF-8 JSON, without keeping the text. */
  public static long compactJsonBytes(JsonNode node) {
    CountingStream counter = new CountingStream();
    try {
      COMPACT.writeValue(counter, node);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write a JSON tree to a counter", e);
    }
    return counter.count;
  }

  /** Counts the bytes written to it and drops them. */
  private static final class CountingStream extends OutputStream {
    private long count;

    @Override
    public void write(int b) {
      count++;
    }

    @Override
    public void write(byte[] bytes, int offset, int length) {
      count += length;
    }
  }

  /**
   * Returns whether {@code node} is an exact number with more than
   * {@link #MAX_RAW_NUMBER_DIGITS} digits before or after its decimal point, which PostgreSQL's
   * jsonb cannot store.
   */
  public static boolean isHugeNumber(JsonNode node) {
    if (!node.isBigDecimal()) {
      return false;
    }
    BigDecimal number = node.decimalValue();
    return number.signum() != 0 && (number.precision() - number.scale() > MAX_RAW_NUMBER_DIGITS
        || number.scale() > MAX_RAW_NUMBER_DIGITS);
  }

  /**
   * Returns the first number under {@code node} whose digits before or after the decimal point
   * exceed {@link #MAX_RAW_NUMBER_DIGITS}, or null. PostgreSQL's jsonb refuses such a number
   * (1e999999999), which would fail the whole batch instead of this record.
   */
  private static JsonNode firstHugeNumber(JsonNode node) {
    if (isHugeNumber(node)) {
      return node;
    }
    for (JsonNode child : node) {
      JsonNode found = firstHugeNumber(child);
      if (found != null) {
        return found;
      }
    }
    return null;
  }

  /** Returns the first field name or text value under {@code node} holding NUL, or null. */
  private static String firstTextWithNul(JsonNode node) {
    if (node.isTextual()) {
      return node.textValue().indexOf('\0') >= 0 ? node.textValue() : null;
    }
    for (var fields = node.fields(); fields.hasNext(); ) {
      var field = fields.next();
      if (field.getKey().indexOf('\0') >= 0) {
        return field.getKey();
      }
      String found = firstTextWithNul(field.getValue());
      if (found != null) {
        return found;
      }
    }
    if (node.isArray()) {
      for (JsonNode element : node) {
        String found = firstTextWithNul(element);
        if (found != null) {
          return found;
        }
      }
    }
    return null;
  }

  private static String requiredText(JsonNode node, String field) throws InvalidRecordException {
    String text = optionalText(node, field);
    if (text == null || text.isBlank()) {
      throw new InvalidRecordException(field, text, "is required");
    }
    return text;
  }

  private static String optionalText(JsonNode node, String field) throws InvalidRecordException {
    JsonNode value = node.get(field);
    if (value == null || value.isNull()) {
      return null;
    }
    if (!value.isTextual()) {
      throw new InvalidRecordException(field, value, "must be a string");
    }
    String text = value.textValue();
    checkText(field, text);
    return text;
  }

  /** Returns whether {@code id} is 1 to 128 of {@code [A-Za-z0-9._:-]}, without a regex. */
  private static boolean isValidId(String id) {
    if (id.isEmpty() || id.length() > MAX_ID_LENGTH) {
      return false;
    }
    for (int i = 0; i < id.length(); i++) {
      char c = id.charAt(i);
      boolean allowed = c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
          || c == '.' || c == '_' || c == ':' || c == '-';
      if (!allowed) {
        return false;
      }
    }
    return true;
  }

  private static void checkRequired(String field, String text) throws InvalidRecordException {
    if (text.isBlank()) {
      throw new InvalidRecordException(field, text, "is required");
    }
    checkText(field, text);
  }

  private static void checkText(String field, String text) throws InvalidRecordException {
    if (text == null) {
      return;
    }
    if (text.length() > MAX_TEXT_LENGTH) {
      throw new InvalidRecordException(
          field, text, "must be at most " + MAX_TEXT_LENGTH + " characters");
    }
    if (text.indexOf('\0') >= 0) {
      throw new InvalidRecordException(field, text, "must not contain NUL characters");
    }
  }

  private static void writeIfPresent(JsonGenerator json, String field, String value)
      throws IOException {
    if (value != null) {
      json.writeStringField(field, value);
    }
  }

  private static void putIfPresent(ObjectNode node, String field, String value) {
    if (value != null) {
      node.put(field, value);
    }
  }

  private static void putIfPresent(ObjectNode node, String field, Long value) {
    if (value != null) {
      node.put(field, value);
    }
  }
}
