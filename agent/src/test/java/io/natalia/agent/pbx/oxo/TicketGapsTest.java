package io.natalia.agent.pbx.oxo;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

class TicketGapsTest {

  @Test
  void consecutiveNumbersLoseNothing() {
    TicketGaps gaps = new TicketGaps(100L);

    gaps.add(LongStream.rangeClosed(101, 20_000).boxed().toList());

    assertThat(gaps.lost()).isZero();
    assertThat(gaps.highest()).isEqualTo(20_000L);
    assertThat(gaps.restarted()).isFalse();
  }

  @Test
  void skippedNumbersAcrossBlocksAreCounted() {
    TicketGaps gaps = new TicketGaps(0L);
    List<Long> read = new ArrayList<>();
    for (long n = 1; n <= 10_000; n++) {
      if (n % 1000 != 0) {
        read.add(n);
      }
    }

    gaps.add(read);
    gaps.add(List.of(5L, 4095L, 4096L));

    assertThat(gaps.lost()).isEqualTo(9);
    assertThat(gaps.highest()).isEqualTo(9_999L);
  }

  @Test
  void lateNumbersBelowPreviousHighestAreNoGap() {
    TicketGaps gaps = new TicketGaps(50L);

    gaps.add(List.of(48L, 51L, 53L));

    assertThat(gaps.lost()).isEqualTo(1);
    assertThat(gaps.highest()).isEqualTo(53L);
  }

  @Test
  void lowerNumbersOnlyMeanRestart() {
    TicketGaps gaps = new TicketGaps(90_000L);

    gaps.add(List.of(1L, 2L, 4L));

    assertThat(gaps.restarted()).isTrue();
    assertThat(gaps.lowestNew()).isEqualTo(1L);
    assertThat(gaps.highest()).isEqualTo(4L);
    assertThat(gaps.lost()).isEqualTo(1);
  }

  @Test
  void firstPollCountsFromItsLowestNumber() {
    TicketGaps gaps = new TicketGaps(null);

    gaps.add(List.of(7L, 8L, 10L, 63L, 64L, 65L));

    assertThat(gaps.lost()).isEqualTo(53);
    assertThat(gaps.highest()).isEqualTo(65L);
  }
}
