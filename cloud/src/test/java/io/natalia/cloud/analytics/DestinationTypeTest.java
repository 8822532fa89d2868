package io.natalia.cloud.analytics;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class DestinationTypeTest {
  static Stream<Arguments> numbers() {
    return Stream.of(
        Arguments.of("0612345678", "mobile"),
        Arguments.of("07 12 34 56 78", "mobile"),
        Arguments.of("+33 6 12 34 56 78", "mobile"),
        Arguments.of("0033145678901", "geographic"),
        Arguments.of("0145678901", "geographic"),
        Arguments.of("0912345678", "non_geographic"),
        Arguments.of("0899123456", "special"),
        Arguments.of("3949", "special"),
        Arguments.of("004420791234567", "international"),
        Arguments.of("+1 212 555 0100", "international"),
        Arguments.of("112", "emergency"),
        Arguments.of("06123456**", "other"),
        Arguments.of("061234567890", "other"),
        Arguments.of("**", null),
        Arguments.of(null, null));
  }

  @ParameterizedTest
  @MethodSource("numbers")
  void classifiesByTheFrenchNumberingPlan(String number, String expected) {
    assertThat(DestinationType.of(number)).isEqualTo(expected);
  }
}
