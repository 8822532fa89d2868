package io.natalia.agent.pbx.oxo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.natalia.agent.testing.FakePbx;
import io.natalia.cdr.CallRecord;
import io.natalia.cdr.CallRecordCodec;
import io.natalia.cdr.Direction;
import io.natalia.cdr.InvalidRecordException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class OxoRecordParserTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final OxoRecordParser parser = new OxoRecordParser("oxo-main",
      ZoneId.of("Europe/Paris"),
      Clock.fixed(Instant.parse("2026-11-01T00:00:00Z"), ZoneOffset.UTC));

  @Test
  void typicalTicketBecomesRecord() {
    ObjectNode ticket = FakePbx.ticket("2026-05-24T08:31:12", "112").put("ticketId", 48213)
        .put("cost", "1.20").put("units", 6).put("businessCode", "PRJ-7");

    CallRecord record = parse(ticket).record();

    assertThat(record.startedAt()).isEqualTo(Instant.parse("2026-05-24T06:31:12Z"));
    assertThat(record.direction()).isEqualTo(Direction.INCOMING);
    assertThat(record.ticketId()).isEqualTo(48213L);
    assertThat(record.ringSeconds()).isEqualTo(14);
    assertThat(record.talkSeconds()).isEqualTo(160);
    assertThat(record.answered()).isTrue();
    assertThat(record.extension()).isEqualTo("112");
    assertThat(record.initialTarget()).isEqualTo("G1");
    assertThat(record.trunk()).isEqualTo("V05");
    assertThat(record.externalNumber()).isEqualTo("0612345678");
    assertThat(record.cost()).isEqualByComparingTo(new BigDecimal("1.20"));
    assertThat(record.businessCode()).isEqualTo("PRJ-7");
  }

  @Test
  void sameTicketYieldsSameId() {
    ObjectNode ticket = FakePbx.ticket("2026-05-24T08:31:12", "112").put("ticketId", 7);

    assertThat(parse(ticket).record().id())
        .isEqualTo(parse(ticket.deepCopy()).record().id())
        .isNotEqualTo(parse(ticket.deepCopy().put("ticketId", 8)).record().id());
  }

  @Test
  void unknownFieldsAreKeptInRaw() throws Exception {
    ObjectNode ticket = FakePbx.ticket("2026-05-24T08:31:12", "112").put("nodeNumber", 3);

    assertThat(JSON.readTree(parse(ticket).json()).path("raw").path("nodeNumber").asInt())
        .isEqualTo(3);
  }

  @Test
  void oversizedTicketIsRejectedNamingItsSize() {
    ObjectNode ticket = FakePbx.ticket("2026-05-24T08:31:12", "112")
        .put("note", "x".repeat(CallRecordCodec.MAX_RAW_BYTES));

    OxoRecordParser.Result result = parse(ticket);

    assertThat(result.record()).isNull();
    assertThat(result.reason()).startsWith("raw must be at most 16384 bytes as JSON")
        .contains(" bytes'");
  }

  @ParameterizedTest
  @CsvSource({"00:02:40, 160", "2:40, 160", "160, 160", "'', 0", "01:00:00, 3600"})
  void durationFormsAreRead(String text, int seconds) throws InvalidRecordException {
    assertThat(OxoRecordParser.seconds("duration", text)).isEqualTo(seconds);
  }

  @Test
  void durationAsJsonNumberIsRead() {
    ObjectNode ticket = FakePbx.ticket("2026-05-24T08:31:12", "112").put("duration", 95);

    assertThat(parse(ticket).record().talkSeconds()).isEqualTo(95);
  }

  @ParameterizedTest
  @CsvSource({
      "2026-05-24T08:31:12Z, 2026-05-24T08:31:12Z",
      "2026-05-24T08:31:12+02:00, 2026-05-24T06:31:12Z",
      "2026-05-24 08:31:12, 2026-05-24T06:31:12Z",
      "24/05/2026 08:31:12, 2026-05-24T06:31:12Z",
      "2026-01-10T08:31:12, 2026-01-10T07:31:12Z"})
  void timesWithAndWithoutOffsetAreRead(String text, String utc) throws Exception {
    assertThat(parser.startedAt(text)).isEqualTo(Instant.parse(utc));
  }

  @ParameterizedTest
  @CsvSource({"2026-13-45T25:61:00", "2026-02-30T08:31:12", "2026-05-24T08:31:1x",
      "2026-05-24T24:00:00"})
  void impossibleLocalTimesAreRejectedNamingTheValue(String text) {
    assertThat(parse(FakePbx.ticket(text, "112")).reason())
        .contains("startTime", text);
  }

  @Test
  void ambiguousLocalTimeTakesTheEarlierOffset() throws Exception {
    // Paris, 2026-10-25: 03:00 CEST goes back to 02:00 CET; 02:30 happens twice.
    assertThat(parser.startedAt("2026-10-25T02:30:00"))
        .isEqualTo(Instant.parse("2026-10-25T00:30:00Z"));
  }

  @Test
  void skippedLocalTimeIsShiftedForward() throws Exception {
    // Paris, 2026-03-29: 02:00 CET jumps to 03:00 CEST; 02:30 does not exist.
    assertThat(parser.startedAt("2026-03-29T02:30:00"))
        .isEqualTo(Instant.parse("2026-03-29T01:30:00Z"));
  }

  @Test
  void unparsableTicketsGiveReasonNamingFieldAndValue() {
    assertThat(parse(FakePbx.ticket("yesterday", "112")).reason())
        .contains("startTime", "yesterday");
    assertThat(parse(FakePbx.ticket("2026-05-24T08:31:12", "112").put("type", "sideways"))
        .reason()).contains("type", "sideways");
    assertThat(parse(JSON.createArrayNode()).reason()).contains("JSON object");
    assertThat(parse(FakePbx.ticket("2026-05-24T08:31:12", "112")
        .put("duration", "30:00:00:00")).reason()).contains("duration");
  }

  @Test
  void missingStartTimeIsRequired() {
    ObjectNode ticket = FakePbx.ticket("2026-05-24T08:31:12", "112");
    ticket.remove("startTime");

    assertThat(parse(ticket).reason()).contains("startTime", "required");
  }

  @Test
  void farFutureStartIsRejected() {
    assertThat(parse(FakePbx.ticket("2031-05-24T08:31:12", "112")).reason())
        .contains("startedAt", "future");
  }

  @Test
  void invalidDurationFieldIsNamed() {
    assertThatThrownBy(() -> OxoRecordParser.seconds("ringDuration", "1:75"))
        .isInstanceOf(InvalidRecordException.class)
        .hasMessageContaining("ringDuration");
  }

  @Test
  void nulInUnusedFieldIsRejected() {
    ObjectNode inText = FakePbx.ticket("2026-05-24T08:31:12", "112").put("note", "a\0b");
    ObjectNode nested = FakePbx.ticket("2026-05-24T08:31:12", "112");
    nested.putObject("extra").putArray("list").add("c\0");
    ObjectNode inName = FakePbx.ticket("2026-05-24T08:31:12", "112").put("no\0te", 1);

    assertThat(parse(inText).reason()).contains("raw", "NUL");
    assertThat(parse(nested).reason()).contains("raw", "NUL");
    assertThat(parse(inName).reason()).contains("raw", "NUL");
  }

  @Test
  void escapedBackslashBeforeU0000IsNoNul() throws Exception {
    // The text is a backslash followed by u0000: six characters, none of them NUL.
    ObjectNode ticket = FakePbx.ticket("2026-05-24T08:31:12", "112")
        .put("note", "\\" + "u0000");

    OxoRecordParser.Result result = parse(ticket);

    assertThat(result.reason()).isNull();
    assertThat(JSON.readTree(result.json()).path("raw").path("note").asText())
        .isEqualTo("\\" + "u0000");
  }

  @Test
  void pageWithNulSkipsNoField() throws IOException {
    // One NUL anywhere in the page turns on the full check for every ticket of the page.
    byte[] page = JSON.writeValueAsBytes(JSON.createArrayNode()
        .add(FakePbx.ticket("2026-05-24T08:31:12", "112").put("note", "clean"))
        .add(FakePbx.ticket("2026-05-24T08:31:13", "113").put("note", "x\0")));

    var tickets = Ticket.readPage(page);

    assertThat(parser.parse(tickets.get(0)).reason()).isNull();
    assertThat(parser.parse(tickets.get(1)).reason()).contains("NUL");
  }

  /** Parses one ticket as the poller does: read from a page's bytes, without a tree. */
  private OxoRecordParser.Result parse(JsonNode ticket) {
    try {
      byte[] page = JSON.writeValueAsBytes(JSON.createArrayNode().add(ticket));
      return parser.parse(Ticket.readPage(page).get(0));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
