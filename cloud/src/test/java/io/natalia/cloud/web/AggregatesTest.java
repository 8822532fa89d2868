package io.natalia.cloud.web;

import static org.assertj.core.api.Assertions.assertThat;

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
 * include the 23-hour day of 29 March 2026, with transfers and hunt-group calls.
 */
class AggregatesTest {
  @RegisterExtension static final TestDatabase db = new TestDatabase();
  @TempDir static Path folder;
  private static DashboardFixture fixture;
  private static Aggregates aggregates;

  @BeforeAll
  static void start() throws Exception {
    fixture = new DashboardFixture(db.dataSource(), folder);
    aggregates = new Aggregates(db.dataSource());
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
  void incomingAnsweredAndMissedMatchTheTrafficOverThirtyDays() throws Exception {
    LocalDate today = fixture.today();
    DateRange range = days(today.minusDays(29), today);

    var summary = aggregates.summary(fixture.tenant.id(), range, Duration.ofHours(24));

    long[] truth = fixture.traffic.incoming(today.minusDays(29), today);
    assertThat(summary.answered()).isEqualTo(truth[0]);
    assertThat(summary.missed()).isEqualTo(truth[1]);
    assertThat(summary.incoming()).isEqualTo(truth[0] + truth[1]);
  }

  @Test
  void everyLocalDayIncludingTheShortOneHoldsItsOwnCalls() throws Exception {
    LocalDate today = fixture.today();
    DateRange range = days(today.minusDays(29), today);

    var buckets = aggregates.answeredAndMissed(fixture.tenant.id(), range);

    assertThat(buckets).hasSize(30);
    for (var bucket : buckets) {
      LocalDate day = bucket.start().toLocalDate();
      long[] truth = fixture.traffic.incoming(day, day);
      assertThat(new long[] {bucket.answered(), bucket.missed()}).as(day.toString())
          .containsExactly(truth);
    }
  }

  @Test
  void todayIsBucketedByLocalHour() throws Exception {
    DateRange today = days(fixture.today(), fixture.today());

    var buckets = aggregates.answeredAndMissed(fixture.tenant.id(), today);

    assertThat(buckets).hasSize(24);
    assertThat(buckets.get(9).answered()).isGreaterThanOrEqualTo(1);
    assertThat(buckets.get(10).missed()).isGreaterThanOrEqualTo(1);
    long[] truth = fixture.traffic.incoming(fixture.today(), fixture.today());
    assertThat(buckets.stream().mapToLong(Aggregates.Bucket::missed).sum())
        .isEqualTo(truth[1]);
  }

  @Test
  void missedCallCalledBackWithinTheWindowIsReturned() throws Exception {
    DateRange day = days(fixture.today().minusDays(3), fixture.today().minusDays(3));

    var missed = new CallQueries(db.dataSource()).missed(fixture.tenant.id(), day,
        Duration.ofHours(24), 500);

    var calledBack = missed.stream().filter(m -> "2222".equals(m.call().last4())).findFirst()
        .orElseThrow();
    assertThat(calledBack.callbackDirection()).isEqualTo("outgoing");
    assertThat(Duration.between(calledBack.call().startedAt(), calledBack.callbackAt()))
        .isEqualTo(Duration.ofMinutes(20));
    assertThat(AnalysisPages.callbackStatus(calledBack, Duration.ofHours(24),
        DashboardFixture.NOW).text()).isEqualTo("Called back after 20 min");
  }

  @Test
  void heatmapAndTimeToAnswerHistogramCountEveryAnsweredCall() throws Exception {
    LocalDate today = fixture.today();
    DateRange range = days(today.minusDays(29), today);
    long[] truth = fixture.traffic.incoming(today.minusDays(29), today);

    long[][] heatmap = aggregates.weekdayHourHeatmap(fixture.tenant.id(), range);
    long[] histogram = aggregates.timeToAnswerHistogram(fixture.tenant.id(), range);

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
