package io.natalia.oxo.traffic;

import static io.natalia.oxo.traffic.TrafficFixtures.generator;
import static io.natalia.oxo.traffic.TrafficFixtures.tickets;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

class DeterminismTest {

  private static final Instant FROM = Instant.parse("2026-05-18T00:00:00Z");
  private static final Instant TO = Instant.parse("2026-05-25T00:00:00Z");

  @Test
  void sameSeedYieldsSameTickets() {
    List<GeneratedTicket> first = tickets(generator(7), FROM, TO);
    List<GeneratedTicket> second = tickets(generator(7), FROM, TO);

    assertThat(first).hasSizeGreaterThan(1000);
    assertThat(second).isEqualTo(first);
  }

  @Test
  void otherSeedYieldsOtherTickets() {
    List<GeneratedTicket> first = tickets(generator(7), FROM, TO);
    List<GeneratedTicket> other = tickets(generator(8), FROM, TO);

    assertThat(other).isNotEqualTo(first);
  }

  @Test
  void rangeInPiecesEqualsOneRange() {
    TrafficGenerator generator = generator(11);
    List<GeneratedTicket> whole = tickets(generator, FROM, TO);

    // Uneven pieces, asked for from the last to the first, cut at odd seconds.
    List<Instant> cuts = new ArrayList<>(List.of(FROM));
    for (Instant cut = FROM.plusSeconds(7_777); cut.isBefore(TO); cut = cut.plusSeconds(37_003)) {
      cuts.add(cut);
    }
    cuts.add(TO);
    List<List<GeneratedTicket>> pieces = new ArrayList<>();
    for (int i = cuts.size() - 2; i >= 0; i--) {
      pieces.add(0, tickets(generator, cuts.get(i), cuts.get(i + 1)));
    }
    List<GeneratedTicket> joined = new ArrayList<>();
    pieces.forEach(joined::addAll);

    assertThat(joined).isEqualTo(whole);
  }

  @Test
  void truthInPiecesEqualsOneRange() {
    TrafficGenerator generator = generator(11);
    Instant middle = FROM.plus(Duration.ofHours(77)).plusSeconds(13);

    List<TruthCall> whole = generator.callsStarted(FROM, TO);
    List<TruthCall> joined = new ArrayList<>(generator.callsStarted(middle, TO));
    joined.addAll(0, generator.callsStarted(FROM, middle));

    assertThat(joined).isEqualTo(whole);
  }

  @Test
  void companyDependsOnSeedOnly() {
    assertThat(generator(3).company().extensions())
        .isEqualTo(generator(3).company().extensions());
    assertThat(generator(3).company().extensions())
        .isNotEqualTo(generator(4).company().extensions());
  }

  @Test
  void sharedGeneratorServesThreadsAlike() throws Exception {
    TrafficGenerator shared = generator(13);
    List<Callable<List<GeneratedTicket>>> requests = new ArrayList<>();
    for (int day = 0; day < 8; day++) {
      Instant from = FROM.plus(Duration.ofHours(21L * day));
      requests.add(() -> tickets(shared, from, from.plus(Duration.ofDays(1))));
    }

    List<Future<List<GeneratedTicket>>> answers;
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      answers = pool.invokeAll(requests);
    } finally {
      pool.shutdown();
    }

    for (int day = 0; day < 8; day++) {
      Instant from = FROM.plus(Duration.ofHours(21L * day));
      assertThat(answers.get(day).get())
          .isEqualTo(tickets(generator(13), from, from.plus(Duration.ofDays(1))));
    }
  }

  @Test
  void emptyRangeHasNoTicketsAndNoCalls() {
    TrafficGenerator generator = generator(5);

    assertThat(tickets(generator, FROM, FROM)).isEmpty();
    assertThat(generator.callsStarted(FROM, FROM)).isEmpty();
  }

  @Test
  void fractionalBoundsActAsNextWholeSecond() {
    TrafficGenerator generator = generator(5);
    Instant from = FROM.plusSeconds(40_000);
    Instant to = FROM.plusSeconds(90_000);

    assertThat(tickets(generator, from.plusMillis(1), to.plusMillis(1)))
        .isEqualTo(tickets(generator, from.plusSeconds(1), to.plusSeconds(1)));
    assertThat(generator.callsStarted(from.plusNanos(1), to.plusNanos(1)))
        .isEqualTo(generator.callsStarted(from.plusSeconds(1), to.plusSeconds(1)));
  }

  @Test
  void reversedRangeIsRejected() {
    assertThatThrownBy(() -> generator(5).ticketsWritten(TO, FROM))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("from must not be after to: from=" + TO + ", to=" + FROM);
    assertThatThrownBy(() -> generator(5).callsStarted(TO, FROM))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void exhaustedIteratorThrows() {
    Iterator<GeneratedTicket> tickets = generator(5).ticketsWritten(FROM, FROM.plusSeconds(1));
    tickets.forEachRemaining(ticket -> { });

    assertThat(tickets.hasNext()).isFalse();
    assertThatThrownBy(tickets::next).isInstanceOf(NoSuchElementException.class);
  }
}
