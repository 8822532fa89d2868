package io.natalia.cloud.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.natalia.cloud.auth.Role;
import io.natalia.cloud.store.TestDatabase;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Times the dashboard's pages over HTTPS on a tenant with many calls and prints p50 and p95
 * per page, and the time of a CSV export of 30 days. The calls are written straight into
 * {@code call} and {@code call_record} by SQL (one leg per call, spread evenly over the 90 days
 * before the fixture's clock). Not part of the build (its name does not end in Test); run it
 * with {@code ./run-tests -pl cloud -am -Dtest=DashboardBenchmark
 * -Dsurefire.failIfNoSpecifiedTests=false -Dnatalia.benchmark.calls=1000000}.
 */
class DashboardBenchmark {
  @RegisterExtension static final TestDatabase db = new TestDatabase();
  @TempDir static Path folder;

  private static final int CALLS = Integer.getInteger("natalia.benchmark.calls", 100_000);
  private static final int RUNS = Integer.getInteger("natalia.benchmark.runs", 15);
  private static final Duration SPAN = Duration.ofDays(90);

  @Test
  void pagesOverManyCalls() throws Exception {
    try (DashboardFixture fixture = new DashboardFixture(db.dataSource(), folder)) {
      long loadStart = System.nanoTime();
      load(fixture);
      System.out.printf("Loaded %,d calls in %.1f s%n", CALLS,
          (System.nanoTime() - loadStart) / 1e9);
      WebClient client = new WebClient(fixture);
      assertThat(client.login(fixture.emails.get(Role.ADMIN), DashboardFixture.PASSWORD)
          .statusCode()).isEqualTo(302);

      System.out.printf("%n| page (%,d calls in 90 days) | p50 ms | p95 ms |%n", CALLS);
      System.out.println("|---|---|---|");
      for (String path : List.of("/overview?range=today", "/overview?range=7d",
          "/overview?range=30d", "/missed?range=30d", "/calls?range=30d",
          "/calls?range=30d&direction=incoming&outcome=missed",
          "/calls?range=30d&digits=42", "/calls?range=30d&page=200",
          "/extensions?range=30d", "/groups?range=30d", "/trunks?range=30d",
          "/costs?range=30d", "/health", "/audit")) {
        time(client, path);
      }
      long exportStart = System.nanoTime();
      HttpResponse<String> csv = client.get("/export/calls.csv?range=30d");
      double seconds = (System.nanoTime() - exportStart) / 1e9;
      long rows = csv.body().chars().filter(c -> c == '\n').count() - 1;
      System.out.printf("%nCSV export of 30 days: %,d rows in %.2f s%n", rows, seconds);
    }
  }

  private static void time(WebClient client, String path) throws Exception {
    assertThat(client.get(path).statusCode()).as(path).isEqualTo(200);
    List<Double> millis = new ArrayList<>();
    for (int i = 0; i < RUNS; i++) {
      long start = System.nanoTime();
      HttpResponse<String> page = client.get(path);
      millis.add((System.nanoTime() - start) / 1e6);
      assertThat(page.statusCode()).isEqualTo(200);
    }
    Collections.sort(millis);
    System.out.printf("| `%s` | %.0f | %.0f |%n", path, percentile(millis, 0.5),
        percentile(millis, 0.95));
  }

  private static double percentile(List<Double> sorted, double p) {
    int index = (int) Math.ceil(p * sorted.size()) - 1;
    return sorted.get(Math.max(0, index));
  }

  /** Writes {@link #CALLS} calls and their legs, evenly spaced over {@link #SPAN}. */
  private static void load(DashboardFixture fixture) throws Exception {
    Instant first = DashboardFixture.NOW.minus(SPAN);
    double stepSeconds = (double) SPAN.toSeconds() / CALLS;
    try (Connection connection = fixture.dataSource.getConnection()) {
      try (Statement statement = connection.createStatement()) {
        statement.execute("SELECT natalia_ensure_month_partition(t, m::date)"
            + " FROM unnest(ARRAY['call', 'call_record']) t,"
            + " generate_series(date_trunc('month', timestamp '" + first.toString()
            .replace("T", " ").replace("Z", "") + "'), date_trunc('month', timestamp '"
            + DashboardFixture.NOW.toString().replace("T", " ").replace("Z", "")
            + "'), interval '1 month') m");
      }
      String legs = """
          INSERT INTO call_record (tenant_id, id, pbx_id, ticket_id, direction, started_at,
            ended_at, ring_seconds, talk_seconds, answered, extension, extension_name,
            initial_target, trunk, number_pseudonym, number_last4, units, cost, business_code,
            raw, batch_id)
          SELECT ?, 'b-' || g, 'oxo-main', g,
            CASE WHEN g % 5 = 0 THEN 'outgoing' WHEN g % 23 = 0 THEN 'internal'
                 ELSE 'incoming' END,
            ?::timestamptz + g * ?::float8 * interval '1 second',
            ?::timestamptz + g * ?::float8 * interval '1 second'
              + (60 + g % 300) * interval '1 second',
            g % 30, CASE WHEN g % 7 = 0 THEN 0 ELSE 60 + g % 300 END, g % 7 <> 0,
            '11' || (g % 20), 'Desk ' || (g % 20),
            CASE WHEN g % 3 = 0 THEN 'G' || (g % 4) ELSE '11' || (g % 20) END,
            'V0' || (g % 8), md5((g % 50000)::text), lpad((g % 10000)::text, 4, '0'),
            g % 5, (g % 5) * 0.12, CASE WHEN g % 2 = 0 THEN 'PRJ-7' END, '{}'::jsonb, 0
          FROM generate_series(1, ?) g
          """;
      String calls = """
          INSERT INTO call (tenant_id, id, pbx_id, direction, started_at, ended_at, answered,
            time_to_answer_seconds, ring_seconds, talk_seconds, cost, number_pseudonym,
            number_last4, trunk, initial_target, answering_extension, leg_count, leg_ids)
          SELECT tenant_id, id, pbx_id, direction, started_at, ended_at, answered,
            CASE WHEN answered THEN ring_seconds END, ring_seconds, talk_seconds, cost,
            number_pseudonym, number_last4, trunk, initial_target,
            CASE WHEN answered THEN extension END, 1, ARRAY[id]
          FROM call_record WHERE tenant_id = ? AND id LIKE 'b-%'
          """;
      try (PreparedStatement insert = connection.prepareStatement(legs)) {
        insert.setLong(1, fixture.tenant.id());
        insert.setTimestamp(2, Timestamp.from(first));
        insert.setDouble(3, stepSeconds);
        insert.setTimestamp(4, Timestamp.from(first));
        insert.setDouble(5, stepSeconds);
        insert.setInt(6, CALLS);
        insert.executeUpdate();
      }
      try (PreparedStatement insert = connection.prepareStatement(calls)) {
        insert.setLong(1, fixture.tenant.id());
        insert.executeUpdate();
      }
      try (Statement statement = connection.createStatement()) {
        statement.execute("ANALYZE call");
        statement.execute("ANALYZE call_record");
      }
    }
  }
}
