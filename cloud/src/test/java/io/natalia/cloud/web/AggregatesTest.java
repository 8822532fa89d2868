package io.natalia.cloud.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.natalia.cloud.analytics.Analytics;
import io.natalia.cloud.analytics.Bucket;
import io.natalia.cloud.analytics.CallFilter;
import io.natalia.cloud.analytics.SeriesPoint;
import io.natalia.cloud.store.TestDatabase;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The dashboard's numbers against the sample traffic's own count, over 30 days in Paris that
 * include the 23-hour day of 29 March 2026, with transfers and hunt-group calls: the ranges
 * the pages pass to the analytics query layer, and the sums the dashboard makes itself.
 */
class AggregatesTest {
  @RegisterExtension static final TestDatabase db = new TestDatabase();
  @TempDir static Path folder;
  private static DashboardFixture fixture;
  private static Aggregates aggregates;
  private static Analytics analytics;

  @BeforeAll
  static void start() throws Exception {
    fixture = new DashboardFixture(db.dataSource(), folder);
    aggregates = new Aggregates(new Analytics(db.dataSource()));
    analytics = new Analytics(db.dataSource());
  }

  @AfterAll
  static void stop() {
    fixture.close();
  }

  private static DateRange days(LocalDate first, LocalDate last) {
    return DateRange.parse("custom", first.toString(), last.toString(), fixture.today(),
        DashboardFixture.PARIS);
  }

  @Test
  void summaryMatchesTrafficOverThirtyDays() throws Exception {
    LocalDate today = fixture.today();
    DateRange range = days(today.minusDays(29), today);

    var summary = analytics.summary(fixture.tenant, range.timeRange(), CallFilter.NONE);

    long[] truth = fixture.traffic.incoming(today.minusDays(29), today);
    assertThat(summary.answered()).isEqualTo(truth[0]);
    assertThat(summary.missed()).isEqualTo(truth[1]);
    assertThat(summary.incoming()).isEqualTo(truth[0] + truth[1]);
  }

  @Test
  void dailyBucketsMatchAcrossDstChange() throws Exception {
    LocalDate today = fixture.today();
    DateRange range = days(today.minusDays(29), today);

    var buckets = analytics.timeSeries(fixture.tenant, range.timeRange(), CallFilter.NONE,
        Bucket.DAY);

    assertThat(buckets).hasSize(30);
    for (var bucket : buckets) {
      LocalDate day = bucket.localStart().toLocalDate();
      long[] truth = fixture.traffic.incoming(day, day);
      assertThat(new long[] {bucket.answered(), bucket.missed()}).as(day.toString())
          .containsExactly(truth);
    }
  }

  @Test
  void todayIsBucketedByLocalHour() throws Exception {
    DateRange today = days(fixture.today(), fixture.today());

    var buckets = analytics.timeSeries(fixture.tenant, today.timeRange(), CallFilter.NONE,
        Bucket.HOUR);

    assertThat(buckets).hasSize(24);
    assertThat(buckets.get(9).answered()).isGreaterThanOrEqualTo(1);
    assertThat(buckets.get(10).missed()).isGreaterThanOrEqualTo(1);
    long[] truth = fixture.traffic.incoming(fixture.today(), fixture.today());
    assertThat(buckets.stream().mapToLong(SeriesPoint::missed).sum())
        .isEqualTo(truth[1]);
  }

  @Test
  void callbackWithinWindowReturnsCall() throws Exception {
    DateRange day = days(fixture.today().minusDays(3), fixture.today().minusDays(3));

    var missed = analytics.missed(fixture.tenant, day.timeRange(), CallFilter.NONE, false, 0,
        500);

    var calledBack = missed.stream().filter(m -> "2222".equals(m.call().numberLast4()))
        .findFirst().orElseThrow();
    assertThat(Duration.between(calledBack.call().startedAt(), calledBack.returnedAt()))
        .isEqualTo(Duration.ofMinutes(20));
    assertThat(AnalysisPages.callbackStatus(calledBack, DashboardFixture.NOW).text())
        .isEqualTo("Returned after 20 min by 111");
  }

  @Test
  void heatmapAndHistogramCountAllCalls() throws Exception {
    LocalDate today = fixture.today();
    DateRange range = days(today.minusDays(29), today);
    long[] truth = fixture.traffic.incoming(today.minusDays(29), today);

    long[][] heatmap = aggregates.weekdayHourHeatmap(fixture.tenant, range);
    long[] histogram = aggregates.timeToAnswerHistogram(fixture.tenant, range);

    long cells = 0;
    for (long[] day : heatmap) {
      for (long hour : day) {
        cells += hour;
      }
    }
    assertThat(cells).isEqualTo(truth[0] + truth[1]);
    assertThat(java.util.Arrays.stream(histogram).sum()).isEqualTo(truth[0]);
  }
}
