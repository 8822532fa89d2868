package io.natalia.cloud.analytics;

import static org.assertj.core.api.Assertions.assertThat;

import io.natalia.cloud.retention.Retention;
import io.natalia.cloud.store.Partitions;
import io.natalia.cloud.store.TestDatabase;
import io.natalia.oxo.traffic.TrafficGenerator;
import io.natalia.oxo.traffic.TrafficSettings;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Retention removes calls two ways, and the quarter-hour sums must follow both: a month
 * partition dropped whole (no trigger fires) and the rows of a tenant deleted up to a cutoff
 * that falls inside a quarter hour. A call of a dropped month that ended in the next one must
 * not leave its end in the next month's trunk rows.
 */
class RollupRetentionTest {
  private static final ZoneId PARIS = ZoneId.of("Europe/Paris");
  private static final Instant NOW = Instant.parse("2026-12-01T00:00:00Z");
  /** Inside a quarter hour, so that its sums are part deleted. */
  private static final Instant CUTOFF = Instant.parse("2026-04-02T07:07:13Z");

  @RegisterExtension static final TestDatabase db = new TestDatabase();

  @Test
  void sumsFollowDroppedMonthsAndDeletedCalls() throws SQLException {
    AnalyticsFixture fixture = new AnalyticsFixture(db.dataSource(), "Retained", PARIS, NOW);
    TrafficGenerator generator =
        new TrafficGenerator(7L, TrafficSettings.builder().zone(PARIS).build());
    fixture.load(generator.ticketsWritten(Instant.parse("2026-03-28T00:00:00Z"),
        Instant.parse("2026-04-05T00:00:00Z")));
    // A call of the dropped month that ends in the next one, alone on its trunk
    db.execute("INSERT INTO call (tenant_id, id, pbx_id, direction, started_at, ended_at,"
        + " answered, ring_seconds, talk_seconds, trunk, leg_count, leg_ids) VALUES ("
        + fixture.tenant().id() + ", 'straddling', 'oxo', 'outgoing', '2026-03-31T23:55:00Z',"
        + " '2026-04-01T00:05:00Z', true, 0, 600, 'X9', 1, ARRAY['straddling'])");
    long retentionDays = ChronoUnit.DAYS.between(CUTOFF.truncatedTo(ChronoUnit.DAYS), NOW);
    db.execute("UPDATE tenant SET retention_days = " + retentionDays
        + " WHERE id = " + fixture.tenant().id());
    assertThat(db.scalar("SELECT count(*) FROM call WHERE started_at < '" + CUTOFF + "'"))
        .isPositive();

    Clock afterCutoff = Clock.fixed(NOW.plus(Duration.between(
        CUTOFF.truncatedTo(ChronoUnit.DAYS), CUTOFF)), ZoneOffset.UTC);
    Retention.Result result = new Retention(db.dataSource(), new Partitions(db.dataSource()),
        afterCutoff).runOnce();

    assertThat(result.droppedMonths()).containsExactly(YearMonth.of(2026, 3));
    assertThat(db.scalar("SELECT count(*) FROM call WHERE started_at < '" + CUTOFF + "'"))
        .isZero();
    assertThat(db.scalar("SELECT coalesce(sum(calls), 0) FROM call_rollup"))
        .isEqualTo(db.scalar("SELECT count(*) FROM call"));
    assertThat(db.scalar("SELECT count(*) FROM call_rollup WHERE bucket_start < '2026-04-01'"))
        .isZero();
    assertThat(db.scalar("SELECT count(*) FROM call_rollup_answer"
        + " WHERE bucket_start < '2026-04-01'")).isZero();
    TimeRange days = TimeRange.ofDays(LocalDate.parse("2026-03-28"),
        LocalDate.parse("2026-04-05"), PARIS);
    Analytics atQueryTime = new Analytics(db.dataSource(), true);
    assertThat(fixture.analytics().summary(fixture.tenant(), days, CallFilter.NONE))
        .isEqualTo(atQueryTime.summary(fixture.tenant(), days, CallFilter.NONE));
    assertThat(fixture.analytics().byHuntGroup(fixture.tenant(), days))
        .isEqualTo(atQueryTime.byHuntGroup(fixture.tenant(), days));
    assertThat(fixture.analytics().byExtension(fixture.tenant(), days))
        .isEqualTo(atQueryTime.byExtension(fixture.tenant(), days));
    assertThat(fixture.analytics().costs(fixture.tenant(), days, CostBy.EXTENSION))
        .isEqualTo(atQueryTime.costs(fixture.tenant(), days, CostBy.EXTENSION));
    assertThat(fixture.analytics().byTrunk(fixture.tenant(), days))
        .isEqualTo(atQueryTime.byTrunk(fixture.tenant(), days));
    assertThat(db.scalar("SELECT count(*) FROM trunk_rollup WHERE trunk = 'X9'")).isZero();
    assertThat(db.scalar("SELECT coalesce(sum(calls), 0) FROM trunk_rollup"))
        .isEqualTo(db.scalar("SELECT count(*) FROM call WHERE trunk IS NOT NULL"));
    assertThat(db.scalar("SELECT coalesce(sum(tickets), 0) FROM call_record_rollup"))
        .isEqualTo(db.scalar("SELECT count(*) FROM call_record"));
  }
}
