package io.natalia.cloud.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.StringWriter;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class CallExportTest {
  @ParameterizedTest
  @CsvSource(delimiter = '|', quoteCharacter = '"', value = {
      "=SUM(A1:A9)|'=SUM(A1:A9)",
      "+33612345678|'+33612345678",
      "@cmd|'@cmd",
      "-12|-12",
      "-1.5|-1.5",
      "110|110",
      "Accueil|Accueil"})
  void cellThatASpreadsheetWouldRunStartsWithAnApostrophe(String value, String expected) {
    assertThat(CallExport.csvCell(value)).isEqualTo(expected);
  }

  @Test
  void cellsWithCommaQuoteOrLineBreakAreQuotedPerRfc4180() throws Exception {
    StringWriter out = new StringWriter();

    CallExport.writeCsvLine(out, Arrays.asList("a,b", "say \"hi\"", "two\nlines", null, "x"));

    assertThat(out).hasToString("\"a,b\",\"say \"\"hi\"\"\",\"two\nlines\",,x\r\n");
  }
}
