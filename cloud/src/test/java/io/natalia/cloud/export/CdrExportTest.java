package io.natalia.cloud.export;

import static org.assertj.core.api.Assertions.assertThat;

import com.networknt.schema.InputFormat;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import io.natalia.cloud.analytics.AnalyticsFixture;
import io.natalia.cloud.analytics.CallFilter;
import io.natalia.cloud.analytics.TimeRange;
import io.natalia.cloud.api.ApiServer;
import io.natalia.cloud.auth.Role;
import io.natalia.cloud.store.TestDatabase;
import io.natalia.oxo.traffic.TrafficGenerator;
import io.natalia.oxo.traffic.TrafficSettings;
import java.io.StringReader;
import java.math.BigDecimal;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import java.time.LocalDate;
import java.nio.file.Path;
import java.time.ZoneId;
import java.util.List;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.hadoop.ParquetReader;
import org.apache.parquet.hadoop.api.ReadSupport;
import org.apache.parquet.hadoop.example.GroupReadSupport;
import org.apache.parquet.io.LocalInputFile;
import org.apache.parquet.schema.LogicalTypeAnnotation;
import org.apache.parquet.schema.LogicalTypeAnnotation.TimeUnit;
import org.apache.parquet.schema.MessageType;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** The call export over HTTPS: formats, content, filters and audit. */
class CdrExportTest {
  private static final ZoneId PARIS = ZoneId.of("Europe/Paris");
  private static final String RANGE = "from=2026-03-26&to=2026-03-31";

  @RegisterExtension static final TestDatabase db = new TestDatabase();
  private static AnalyticsFixture fixture;
  private static ApiServer api;
  private static String analyst;
  private static long calls;

  @BeforeAll
  static void start() throws Exception {
    fixture = new AnalyticsFixture(db.dataSource(), "Export", PARIS,
        Instant.parse("2026-04-15T00:00:00Z"));
    fixture.load(new TrafficGenerator(5, TrafficSettings.builder().build())
        .ticketsWritten(Instant.parse("2026-03-24T00:00:00Z"),
            Instant.parse("2026-04-02T00:00:00Z")));
    api = new ApiServer(fixture);
    analyst = api.token(Role.ANALYST);
    calls = fixture.analytics().summary(fixture.tenant(), TimeRange.ofDays(
        LocalDate.parse("2026-03-26"), LocalDate.parse("2026-03-31"), PARIS),
        CallFilter.NONE).calls();
  }

  @AfterAll
  static void stop() {
    api.close();
  }

  @Test
  void csvHasBomHeaderAndRows() throws Exception {
    HttpResponse<String> response = api.get("/api/v1/cdr/export?format=csv&" + RANGE, analyst);

    String body = response.body();
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
        type -> assertThat(type).startsWith("text/csv"));
    assertThat(response.headers().firstValue("Content-Disposition"))
        .hasValue("attachment; filename=\"calls-20260326-20260331.csv\"");
    assertThat(body).startsWith("\uFEFFid,pbx_id,direction,started_at,started_local,");
    assertThat(body).contains("\r\n");
    List<CSVRecord> rows = CSVFormat.RFC4180.builder().setHeader().setSkipHeaderRecord(true)
        .get().parse(new StringReader(body.substring(1))).getRecords();
    assertThat(rows).hasSize((int) calls);
    assertThat(rows).allSatisfy(row -> {
      assertThat(row.get("started_local")).matches("2026-03-(2[6-9]|3[01]) \\d\\d:\\d\\d:\\d\\d");
      assertThat(row.get("currency")).isEqualTo("EUR");
    });
    assertThat(rows).filteredOn(row -> !row.get("number_last4").isEmpty())
        .allSatisfy(row -> assertThat(row.get("number_last4"))
            .matches("=\"0\\d{0,3}\"|[1-9]\\d{0,3}"));
  }

  @Test
  void jsonLinesMatchTheServedSchema() throws Exception {
    HttpResponse<String> schema = api.get("/api/v1/cdr/export.schema.json", analyst);
    HttpResponse<String> export = api.get("/api/v1/cdr/export?format=json&" + RANGE, analyst);

    Schema validator = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12)
        .getSchema(schema.body(), InputFormat.JSON);
    String[] lines = export.body().split("\n");
    assertThat(export.statusCode()).isEqualTo(200);
    assertThat(lines).hasSize((int) calls);
    for (String line : lines) {
      assertThat(validator.validate(line, InputFormat.JSON)).as(line).isEmpty();
    }
    assertThat(validator.validate(lines[0].replace("\"direction\":\"", "\"direction\":\"x"),
        InputFormat.JSON)).isNotEmpty();
  }

  @Test
  void parquetHasTypedColumns(@TempDir Path folder) throws Exception {
    Path file = folder.resolve("calls.parquet");
    HttpResponse<Path> response = api.download(
        "/api/v1/cdr/export?format=parquet&" + RANGE, analyst, file);

    assertThat(response.statusCode()).isEqualTo(200);
    MessageType schema;
    try (ParquetFileReader footer = ParquetFileReader.open(new LocalInputFile(file))) {
      schema = footer.getFooter().getFileMetaData().getSchema();
    }
    assertThat(schema.getType("started_at").getLogicalTypeAnnotation())
        .isEqualTo(LogicalTypeAnnotation.timestampType(true, TimeUnit.MICROS));
    assertThat(schema.getType("cost").getLogicalTypeAnnotation())
        .isEqualTo(LogicalTypeAnnotation.decimalType(4, 14));
    long rows = 0;
    BigDecimal cost = BigDecimal.ZERO;
    try (ParquetReader<Group> reader = new GroupReader(new LocalInputFile(file)).build()) {
      for (Group row; (row = reader.read()) != null; rows++) {
        if (row.getFieldRepetitionCount("cost") > 0) {
          cost = cost.add(BigDecimal.valueOf(row.getLong("cost", 0), 4));
        }
        assertThat(row.getGroup("leg_ids", 0).getFieldRepetitionCount("list"))
            .isEqualTo(row.getInteger("leg_count", 0));
      }
    }
    assertThat(rows).isEqualTo(calls);
    assertThat(cost).isEqualByComparingTo(fixture.analytics().summary(fixture.tenant(),
        TimeRange.ofDays(LocalDate.parse("2026-03-26"), LocalDate.parse("2026-03-31"), PARIS),
        CallFilter.NONE).cost());
  }

  /** Reads Parquet rows as generic groups. */
  private static final class GroupReader extends ParquetReader.Builder<Group> {
    GroupReader(LocalInputFile file) {
      super(file);
    }

    @Override
    protected ReadSupport<Group> getReadSupport() {
      return new GroupReadSupport();
    }
  }

  @Test
  void exportKeepsOnlyFilteredCalls() throws Exception {
    HttpResponse<String> export = api.get(
        "/api/v1/cdr/export?format=json&direction=outgoing&" + RANGE, analyst);

    assertThat(export.body().split("\n")).isNotEmpty()
        .allSatisfy(line -> assertThat(line).contains("\"direction\":\"outgoing\""));
  }

  @Test
  void everyExportIsAudited() throws Exception {
    String token = api.token(Role.ADMIN);

    api.get("/api/v1/cdr/export?format=json&trunk=V01&" + RANGE, token);

    try (Connection connection = db.dataSource().getConnection();
        PreparedStatement select = connection.prepareStatement(
            "SELECT actor, target, details->>'trunk', details->>'from' FROM audit_log"
                + " WHERE tenant_id = ? AND action = 'cdr.export' ORDER BY id DESC LIMIT 1")) {
      select.setLong(1, fixture.tenant().id());
      try (ResultSet rows = select.executeQuery()) {
        assertThat(rows.next()).isTrue();
        assertThat(rows.getString(1)).isEqualTo("api-key:" + token.substring(0,
            token.indexOf('.')));
        assertThat(rows.getString(2)).isEqualTo("jsonl");
        assertThat(rows.getString(3)).isEqualTo("V01");
        assertThat(rows.getString(4)).isEqualTo("2026-03-25T23:00:00Z");
      }
    }
    assertThat(fixture.auditLog().verify(fixture.tenant().id()).intact()).isTrue();
  }
}
