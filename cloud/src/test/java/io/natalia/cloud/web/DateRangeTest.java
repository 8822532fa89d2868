package io.natalia.cloud.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import org.junit.jupiter.api.Test;

class DateRangeTest {
  private static final ZoneId PARIS = ZoneId.of("Europe/Paris");
  private static final LocalDate TODAY = LocalDate.parse("2026-03-30");

  @Test
  void presetsEndTodayAndStartAtLocalMidnight() {
    DateRange week = DateRange.parse("7d", null, null, TODAY, PARIS);

    assertThat(week.firstDay()).isEqualTo(LocalDate.parse("2026-03-24"));
    assertThat(week.from()).isEqualTo(Instant.parse("2026-03-23T23:00:00Z"));
    assertThat(week.to()).isEqualTo(Instant.parse("2026-03-30T22:00:00Z"));
    assertThat(DateRange.parse(null, null, null, TODAY, PARIS)).isEqualTo(week);
    assertThat(DateRange.parse("30d", null, null, TODAY, PARIS).days()).isEqualTo(30);
  }

  @Test
  void daysAroundTheClockChangesLast23And25Hours() {
    DateRange spring = DateRange.parse("custom", "2026-03-29", "2026-03-29", TODAY, PARIS);
    DateRange autumn = DateRange.parse("custom", "2026-10-25", "2026-10-25", TODAY, PARIS);

    assertThat(Duration.between(spring.from(), spring.to())).isEqualTo(Duration.ofHours(23));
    assertThat(Duration.between(autumn.from(), autumn.to())).isEqualTo(Duration.ofHours(25));
  }

  @Test
  void customRangeCarriesItsDaysInTheQuery() {
    DateRange range = DateRange.parse("custom", "2026-03-01", "2026-03-15", TODAY, PARIS);

    assertThat(range.query()).isEqualTo("range=custom&from=2026-03-01&to=2026-03-15");
    assertThat(range.label()).isEqualTo("1 Mar 2026 – 15 Mar 2026");
  }

  @Test
  void badRangeNamesParameterAndValue() {
    assertThatThrownBy(() -> DateRange.parse("week", null, null, TODAY, PARIS))
        .hasMessage("range must be today, 7d, 30d or custom: 'week'");
    assertThatThrownBy(() -> DateRange.parse("custom", "2026-03-10", "03/12", TODAY, PARIS))
        .hasMessage("to must be a date such as 2026-05-24: '03/12'");
    assertThatThrownBy(() -> DateRange.parse("custom", "2026-03-10", "2026-03-01", TODAY,
        PARIS)).hasMessage("to (2026-03-01) must not be before from (2026-03-10)");
    assertThatThrownBy(() -> DateRange.parse("custom", "2020-01-01", "2026-03-01", TODAY,
        PARIS)).hasMessageStartingWith("a range spans at most 400 days");
  }
}
