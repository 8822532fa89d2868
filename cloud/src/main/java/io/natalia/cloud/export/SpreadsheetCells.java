package io.natalia.cloud.export;

import java.nio.charset.StandardCharsets;

/**
 * Makes CSV cells safe and intact when a spreadsheet opens the file.
 *
 * <p>A cell starting with {@code = + - @}, a tab or a carriage return would run as a formula
 * (CSV injection), so it gets a leading apostrophe. An identifier that a spreadsheet would
 * change by reading it as a number (a leading zero dropped, more than 15 digits rounded,
 * {@code 12E4} turned into 120000) is written as the text formula {@code ="0612"}; only digits,
 * letters and a dot ever go inside it. Identifiers a spreadsheet keeps as they are ({@code 101})
 * stay plain.
 *
 * <p>The export applies the rules to UTF-8 bytes; the text methods apply the same rules to a
 * string.
 */
final class SpreadsheetCells {
  private SpreadsheetCells() {}

  /** Returns free text with a formula start neutralised; empty for null. */
  static String text(String value) {
    if (value == null || value.isEmpty()) {
      return "";
    }
    char first = value.charAt(0);
    return first < 0x80 && startsFormula((byte) first) ? "'" + value : value;
  }

  /** Returns an identifier that a spreadsheet must keep as text, character for character. */
  static String identifier(String value) {
    if (value != null) {
      byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
      if (needsTextFormula(bytes, 0, bytes.length)) {
        return "=\"" + value + "\"";
      }
    }
    return text(value);
  }

  /** Returns whether a cell starting with this byte would run as a formula. */
  static boolean startsFormula(byte first) {
    return first == '=' || first == '+' || first == '-' || first == '@' || first == '\t'
        || first == '\r';
  }

  /**
   * Returns whether the identifier in {@code value[from, to)} reads as a number that a
   * spreadsheet would change, so that it must be written as a text formula.
   */
  static boolean needsTextFormula(byte[] value, int from, int to) {
    return looksNumeric(value, from, to) && wouldChange(value, from, to);
  }

  /**
   * Returns whether the text reads as a number: digits, an optional dot followed by digits,
   * an optional exponent ({@code e} or {@code E} and digits). Such text holds only digits,
   * letters and a dot, so it is safe inside a text formula. It is a loop rather than a regular
   * expression because the export calls it several times per row.
   */
  private static boolean looksNumeric(byte[] value, int from, int to) {
    int i = skipDigits(value, from, to);
    if (i < to && value[i] == '.') {
      int fraction = i + 1;
      i = skipDigits(value, fraction, to);
      if (i == fraction) {
        return false;
      }
    } else if (i == from) {
      return false;
    }
    if (i < to && (value[i] == 'e' || value[i] == 'E')) {
      int exponent = i + 1;
      i = skipDigits(value, exponent, to);
      if (i == exponent) {
        return false;
      }
    }
    return i == to;
  }

  private static int skipDigits(byte[] value, int from, int to) {
    int i = from;
    while (i < to && value[i] >= '0' && value[i] <= '9') {
      i++;
    }
    return i;
  }

  /**
   * Returns whether reading this numeric text as a number would change the cell: a leading
   * zero, more than 15 digits, an exponent or a fraction. The text is ASCII, so its bytes are
   * its characters.
   */
  private static boolean wouldChange(byte[] numeric, int from, int to) {
    if ((to - from > 1 && numeric[from] == '0') || to - from > 15) {
      return true;
    }
    for (int i = from; i < to; i++) {
      if (numeric[i] == 'e' || numeric[i] == 'E' || numeric[i] == '.') {
        return true;
      }
    }
    return false;
  }
}
