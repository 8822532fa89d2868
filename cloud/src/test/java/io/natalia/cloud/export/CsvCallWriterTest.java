package io.natalia.cloud.export;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.natalia.cloud.analytics.AnalyticsFixture;
import io.natalia.cloud.analytics.CallFilter;
import io.natalia.cloud.analytics.CallRow;
import io.natalia.cloud.analytics.TimeRange;
import io.natalia.cloud.store.TestDatabase;
import io.natalia.cloud.tenant.Tenant;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The CSV export writes the bytes of COPY straight to its buffer. These tests compare its
 * output with what commons-csv prints for the same calls read with JDBC, on values chosen to
 * break quoting, neutralising and time formatting.
 */
class CsvCallWriterTest {
  private static final ZoneId PARIS = ZoneId.of("Europe/Paris");
  private static final Instant FROM = Instant.parse("2026-03-01T00:00:00Z");
  private static final Instant TO = Instant.parse("2026-12-01T00:00:00Z");
  /** Characters that CSV, spreadsheets or COPY treat specially, and some that are not ASCII. */
  private static final String ALPHABET = "aZ09 ,\"'\r\n\t\\=+-@#!.eE\u0001\u007fé€\uD83D\uDE00";
  /** UTC starts around the zones' transitions of 2026, and fractions of a second. */
  private static final List<String> STARTS = List.of(
      "2026-03-29T00:59:59Z", "2026-03-29T01:00:00Z", "2026-03-29T01:00:00.5Z",
      "2026-10-25T00:59:59.999999Z", "2026-10-25T01:00:00Z", "2026-10-25T01:30:00.123Z",
      "2026-04-04T14:59:59Z", "2026-04-04T15:00:00Z", "2026-10-03T15:29:59Z",
      "2026-10-03T15:30:00.000001Z", "2026-03-08T05:29:59Z", "2026-03-08T05:30:00Z",
      "2026-03-08T06:59:59Z", "2026-03-08T07:00:00Z", "2026-11-01T05:59:59Z",
      "2026-11-01T06:00:00.01Z", "2026-06-30T23:59:59Z");

  @RegisterExtension static final TestDatabase db = new TestDatabase();
  private static AnalyticsFixture fixture;
  private static CdrExport export;

  @BeforeAll
  static void load() throws SQLException {
    fixture = new AnalyticsFixture(db.dataSource(), "Csv", PARIS, TO);
    export = new CdrExport(fixture.analytics(), fixture.auditLog());
    try (Connection connection = db.dataSource().getConnection();
        Statement statement = connection.createStatement()) {
      for (int month = 3; month <= 11; month++) {
        statement.execute(String.format(
            "SELECT natalia_ensure_month_partition('call', DATE '2026-%02d-01')", month));
      }
      connection.setAutoCommit(false);
      insertHostileCalls(connection);
      insertRandomCalls(connection, new Random(20261204), 1_000);
      connection.commit();
    }
  }

  @Test
  void csvMatchesCommonsCsvInEachZone() throws Exception {
    for (String zone : List.of("Europe/Paris", "Australia/Lord_Howe", "America/St_Johns",
        "Asia/Kathmandu", "America/New_York", "UTC")) {
      Tenant tenant = in(ZoneId.of(zone));

      String actual = exported(tenant);

      assertSameText(zone, actual, reference(tenant));
    }
  }

  @Test
  void localTimeFollowsDaylightSavingInParis() throws Exception {
    String csv = exported(in(PARIS));

    assertThat(csv).contains("2026-03-29T00:59:59Z,2026-03-29 01:59:59,");
    assertThat(csv).contains("2026-03-29T01:00:00Z,2026-03-29 03:00:00,");
    assertThat(csv).contains("2026-03-29T01:00:00.500Z,2026-03-29 03:00:00,");
    assertThat(csv).contains("2026-10-25T00:59:59.999999Z,2026-10-25 02:59:59,");
    assertThat(csv).contains("2026-10-25T01:00:00Z,2026-10-25 02:00:00,");
  }

  @Test
  void localTimeFollowsLordHoweShift() throws Exception {
    String csv = exported(in(ZoneId.of("Australia/Lord_Howe")));

    // At 02:00 local daylight time (+11) the island goes back half an hour to +10:30.
    assertThat(csv).contains("2026-04-04T14:59:59Z,2026-04-05 01:59:59,");
    assertThat(csv).contains("2026-04-04T15:00:00Z,2026-04-05 01:30:00,");
    assertThat(csv).contains("2026-10-03T15:29:59Z,2026-10-04 01:59:59,");
    assertThat(csv).contains("2026-10-03T15:30:00.000001Z,2026-10-04 02:30:00,");
  }

  @Test
  void hostileTextIsQuotedAndNeutralised() throws Exception {
    String csv = exported(in(PARIS));

    assertThat(csv).contains("\r\nhostile-1,\"'=HYPERLINK(\"\"http://x\"\"),1\",incoming,"
        + "2026-06-30T23:59:59Z,2026-07-01 01:59:59,2026-07-01T00:00:59Z,true,5,5,55,1.2000,EUR,"
        + "\"=\"\"0612\"\"\",\"=\"\"00000000000000000000000000000001\"\"\",V01,'+33 6,"
        + "\"'-1\r\n2\",1,\"hostile-1 a\"\"b\"\r\n");
    assertThat(csv).contains("\r\nhostile-2,,internal,2026-06-30T23:59:59Z,"
        + "2026-07-01 01:59:59,2026-07-01T00:00:59Z,false,,5,0,,EUR,,,,,,2,hostile-2 x\r\n");
  }

  @Test
  void emptyRangeHasOnlyTheHeader() throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();

    export.write(in(PARIS), new TimeRange(TO, TO.plusSeconds(3_600)), CallFilter.NONE,
        ExportFormat.CSV, out, "test");

    assertThat(out.toString(StandardCharsets.UTF_8))
        .isEqualTo("\uFEFF" + String.join(",", ExportColumns.NAMES) + "\r\n");
  }

  @Test
  void clientGoingAwayLeavesConnectionsUsable() throws Exception {
    // More failed exports than the pool has connections: each must give its connection back
    // out of the COPY, or the export after them would fail or hang.
    for (int i = 0; i < 10; i++) {
      assertThatThrownBy(() -> export.write(in(PARIS), new TimeRange(FROM, TO),
          CallFilter.NONE, ExportFormat.CSV, new ClosedAfter(1_000), "test"))
          .isInstanceOf(IOException.class)
          .hasMessage("the client went away");
    }

    String csv = exported(in(PARIS));

    assertThat(csv.length()).as("more than the writer's buffer of 64 KiB, so that the client"
        + " went away during the COPY").isGreaterThan(2 << 16);
    assertSameText("after failed exports", csv, reference(in(PARIS)));
  }

  /** A response whose client goes away after some bytes. */
  private static final class ClosedAfter extends OutputStream {
    private long remaining;

    ClosedAfter(long bytes) {
      this.remaining = bytes;
    }

    @Override
    public void write(int b) throws IOException {
      write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] bytes, int offset, int length) throws IOException {
      remaining -= length;
      if (remaining < 0) {
        throw new IOException("the client went away");
      }
    }
  }

  private static void insertHostileCalls(Connection connection) throws SQLException {
    insert(connection, new CallRow("hostile-1", "=HYPERLINK(\"http://x\"),1", "incoming",
        Instant.parse("2026-06-30T23:59:59Z"), Instant.parse("2026-07-01T00:00:59Z"), true, 5,
        5, 55, new BigDecimal("1.2"), "0612", "V01", "+33 6", "-1\r\n2", 1,
        List.of("hostile-1", "a\"b")), "00000000000000000000000000000001");
    insert(connection, new CallRow("hostile-2", "", "internal",
        Instant.parse("2026-06-30T23:59:59Z"), Instant.parse("2026-07-01T00:00:59Z"), false,
        null, 5, 0, null, null, null, "", null, 2, List.of("hostile-2", "x")), null);
    String[] awkward = {"", " ", " lead", "trail ", "#1", "!", "\"q\"", ",", "\\N", "\\",
        "a\tb", "\t", "\r", "\n", "é", "\u0001x", "x\u0001", "\u007f", "1e5", "1E5", ".5",
        "1.", "12345678901234567890", "007", "101", "@x", "=1", "+1", "-1", "😀"};
    for (int i = 0; i < awkward.length; i++) {
      String value = awkward[i];
      insert(connection, new CallRow(value, value, "outgoing",
          Instant.parse("2026-05-01T10:00:00Z").plusSeconds(i), Instant.parse(
          "2026-05-01T11:00:00Z"), true, 3, 3, 60, new BigDecimal("0.0001"), value, value,
          value, value, 1, List.of(value)), value);
    }
    for (int i = 0; i < STARTS.size(); i++) {
      Instant start = Instant.parse(STARTS.get(i));
      insert(connection, new CallRow("dst-" + i, "oxo", "incoming", start,
          start.plusSeconds(61), false, null, 12, 0, null, "1234", "V02", "G1", null, 1,
          List.of("dst-" + i)), "ab" + i);
    }
  }

  private static void insertRandomCalls(Connection connection, Random random, int count)
      throws SQLException {
    for (int i = 0; i < count; i++) {
      Instant start = FROM.plusSeconds(random.nextLong(TO.getEpochSecond()
          - FROM.getEpochSecond())).plusNanos(random.nextInt(4) * 250_000_000L);
      insert(connection, new CallRow(randomText(random), randomText(random), "incoming", start,
          start.plusSeconds(random.nextInt(5_000)), random.nextBoolean(),
          random.nextBoolean() ? null : random.nextInt(100), random.nextInt(100),
          random.nextInt(1_000), random.nextBoolean() ? null : BigDecimal.valueOf(
          random.nextInt(1_000_000), random.nextInt(5)), randomText(random),
          randomText(random), randomText(random), randomText(random), 1 + random.nextInt(3),
          List.of(leg(random), leg(random))), randomText(random));
    }
  }

  private static String leg(Random random) {
    String text = randomText(random);
    return text == null ? "" : text;
  }

  private static String randomText(Random random) {
    if (random.nextInt(8) == 0) {
      return null;
    }
    int[] characters = ALPHABET.codePoints().toArray();
    StringBuilder text = new StringBuilder();
    for (int i = random.nextInt(6); i > 0; i--) {
      text.appendCodePoint(characters[random.nextInt(characters.length)]);
    }
    return text.toString();
  }

  private static void insert(Connection connection, CallRow call, String numberPseudonym)
      throws SQLException {
    try (PreparedStatement insert = connection.prepareStatement("""
            INSERT INTO call (tenant_id, id, pbx_id, direction, started_at, ended_at, answered,
              time_to_answer_seconds, ring_seconds, talk_seconds, cost, number_pseudonym,
              number_last4, trunk, initial_target, answering_extension, leg_count, leg_ids)
            VALUES (?, coalesce(?, ''), coalesce(?, ''), ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?,
              ?, ?)
            """)) {
      int i = 1;
      insert.setLong(i++, fixture.tenant().id());
      insert.setString(i++, call.id());
      insert.setString(i++, call.pbxId());
      insert.setString(i++, call.direction());
      insert.setObject(i++, call.startedAt().atOffset(ZoneOffset.UTC));
      insert.setObject(i++, call.endedAt().atOffset(ZoneOffset.UTC));
      insert.setBoolean(i++, call.answered());
      insert.setObject(i++, call.timeToAnswerSeconds());
      insert.setInt(i++, call.ringSeconds());
      insert.setInt(i++, call.talkSeconds());
      insert.setBigDecimal(i++, call.cost());
      insert.setString(i++, numberPseudonym);
      insert.setString(i++, call.numberLast4());
      insert.setString(i++, call.trunk());
      insert.setString(i++, call.initialTarget());
      insert.setString(i++, call.answeringExtension());
      insert.setInt(i++, call.legCount());
      insert.setArray(i, connection.createArrayOf("text", call.legIds().toArray()));
      insert.executeUpdate();
    }
  }

  private static Tenant in(ZoneId zone) {
    Tenant tenant = fixture.tenant();
    return new Tenant(tenant.id(), tenant.name(), zone, "EUR", tenant.retentionDays(),
        tenant.callbackWindow());
  }

  private static String exported(Tenant tenant) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    long rows = export.write(tenant, new TimeRange(FROM, TO), CallFilter.NONE,
        ExportFormat.CSV, out, "test");
    assertThat(rows).isGreaterThan(300);
    return out.toString(StandardCharsets.UTF_8);
  }

  /** Prints the calls read with JDBC the way the export printed them with commons-csv. */
  private static String reference(Tenant tenant) throws Exception {
    StringBuilder csv = new StringBuilder("\uFEFF");
    try (CSVPrinter printer = new CSVPrinter(csv, CSVFormat.RFC4180);
        Connection connection = db.dataSource().getConnection();
        PreparedStatement select = connection.prepareStatement("""
            SELECT id, pbx_id, direction, started_at, ended_at, answered,
              time_to_answer_seconds, ring_seconds, talk_seconds, cost, number_last4, trunk,
              initial_target, answering_extension, leg_count, leg_ids, number_pseudonym
            FROM call WHERE tenant_id = ? AND started_at >= ? AND started_at < ?
            ORDER BY started_at, id
            """)) {
      printer.printRecord(ExportColumns.NAMES);
      select.setLong(1, tenant.id());
      select.setObject(2, FROM.atOffset(ZoneOffset.UTC));
      select.setObject(3, TO.atOffset(ZoneOffset.UTC));
      try (ResultSet rows = select.executeQuery()) {
        while (rows.next()) {
          print(printer, row(rows), rows.getString(17), tenant);
        }
      }
    }
    return csv.toString();
  }

  private static CallRow row(ResultSet rows) throws SQLException {
    Array legs = rows.getArray(16);
    return new CallRow(rows.getString(1), rows.getString(2), rows.getString(3),
        rows.getObject(4, OffsetDateTime.class).toInstant(),
        rows.getObject(5, OffsetDateTime.class).toInstant(), rows.getBoolean(6),
        (Integer) rows.getObject(7), rows.getInt(8), rows.getInt(9), rows.getBigDecimal(10),
        rows.getString(11), rows.getString(12), rows.getString(13), rows.getString(14),
        rows.getInt(15), Arrays.asList((String[]) legs.getArray()));
  }

  /** The export's CSV line as commons-csv printed it before the export wrote bytes. */
  private static void print(CSVPrinter printer, CallRow c, String numberPseudonym,
      Tenant tenant) throws IOException {
    printer.printRecord(
        SpreadsheetCells.identifier(c.id()),
        SpreadsheetCells.text(c.pbxId()),
        c.direction(),
        c.startedAt().toString(),
        ExportColumns.LOCAL.format(c.startedAt().atZone(tenant.timeZone())),
        c.endedAt().toString(),
        c.answered(),
        c.timeToAnswerSeconds() == null ? "" : c.timeToAnswerSeconds(),
        c.ringSeconds(),
        c.talkSeconds(),
        c.cost() == null ? "" : c.cost().toPlainString(),
        tenant.currency(),
        SpreadsheetCells.identifier(c.numberLast4()),
        SpreadsheetCells.identifier(numberPseudonym),
        SpreadsheetCells.identifier(c.trunk()),
        SpreadsheetCells.identifier(c.initialTarget()),
        SpreadsheetCells.identifier(c.answeringExtension()),
        c.legCount(),
        SpreadsheetCells.text(String.join(" ", c.legIds())));
  }

  /** Compares two texts and reports the first difference with its context. */
  private static void assertSameText(String what, String actual, String expected) {
    int i = 0;
    while (i < Math.min(actual.length(), expected.length())
        && actual.charAt(i) == expected.charAt(i)) {
      i++;
    }
    int from = Math.max(0, actual.lastIndexOf("\r\n", i - 1));
    assertThat(visible(actual.substring(from, Math.min(actual.length(), i + 80))))
        .as("%s: first difference at character %d", what, i)
        .isEqualTo(visible(expected.substring(from, Math.min(expected.length(), i + 80))));
    assertThat(actual.length()).as(what).isEqualTo(expected.length());
  }

  /** Shows control characters as escapes, so that a failure shows where they differ. */
  private static String visible(String text) {
    StringBuilder shown = new StringBuilder();
    text.codePoints().forEach(c -> shown.append(c < 0x20 || c == 0x7F
        ? String.format("\\u%04x", c) : Character.toString(c)));
    return shown.toString();
  }
}
