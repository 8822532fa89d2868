package io.natalia.cloud.export;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class SpreadsheetCellsTest {
  static Stream<Arguments> freeText() {
    return Stream.of(
        Arguments.of("=1+1", "'=1+1"),
        Arguments.of("+33 6", "'+33 6"),
        Arguments.of("-2", "'-2"),
        Arguments.of("@SUM(A1)", "'@SUM(A1)"),
        Arguments.of("\t0612", "'\t0612"),
        Arguments.of("\r1", "'\r1"),
        Arguments.of("Accueil", "Accueil"),
        Arguments.of("Zoé = boss", "Zoé = boss"),
        Arguments.of(null, ""));
  }

  static Stream<Arguments> identifiers() {
    return Stream.of(
        Arguments.of("0612", "=\"0612\""),
        Arguments.of("12345678901234567890", "=\"12345678901234567890\""),
        Arguments.of("12E45", "=\"12E45\""),
        Arguments.of("1.50", "=\"1.50\""),
        Arguments.of(".5", "=\".5\""),
        Arguments.of("1.", "1."),
        Arguments.of("1e", "1e"),
        Arguments.of("1.2.3", "1.2.3"),
        Arguments.of("0612e", "0612e"),
        Arguments.of("", ""),
        Arguments.of("101", "101"),
        Arguments.of("9f86d081884c7d659a2feaa0c55ad015", "9f86d081884c7d659a2feaa0c55ad015"),
        Arguments.of("G1", "G1"),
        Arguments.of("=cmd|' /C calc'!A0", "'=cmd|' /C calc'!A0"));
  }

  @ParameterizedTest
  @MethodSource("freeText")
  void formulaStartsAreNeutralised(String value, String expected) {
    assertThat(SpreadsheetCells.text(value)).isEqualTo(expected);
  }

  @ParameterizedTest
  @MethodSource("identifiers")
  void identifiersASpreadsheetWouldChangeStayText(String value, String expected) {
    assertThat(SpreadsheetCells.identifier(value)).isEqualTo(expected);
  }
}
