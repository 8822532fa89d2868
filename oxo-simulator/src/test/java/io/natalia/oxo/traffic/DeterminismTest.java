package io.natalia.oxo.traffic;

import static io.natalia.oxo.traffic.TrafficFixtures.generator;
import static io.natalia.oxo.traffic.TrafficFixtures.tickets;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
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
  void emptyRangeHasNoTicketsAndNoCalls() {
    TrafficGenerator generator = generator(5);

    assertThat(tickets(generator, FROM, FROM)).isEmpty();
    assertThat(generator.callsStarted(FROM, FROM)).isEmpty();
  }
}
