package io.natalia.cloud.export;

/**
 * Makes CSV cells safe and intact when a spreadsheet opens the file.
 *
 * <p>A cell starting with {@code = + - @}, a tab or a carriage return would run as a formula
 * (CSV injection), so it gets a leading apostrophe. An identifier that a spreadsheet would
 * change by reading it as a number (a leading zero dropped, more than 15 digits rounded,
 * {@code 12E4} turned into 120000) is written as the text formula {@code ="0612"}; only digits,
 * letters and a dot ever go inside it. Identifiers a spreadsheet keeps as they are ({@code 101})
 * stay plain.
 */
final class SpreadsheetCells {
  private SpreadsheetCells() {}

  /** Returns free text with a formula start neutralised; empty for null. */
  static String text(String value) {
    if (value == null || value.isEmpty()) {
      return "";
    }
    char first = value.charAt(0);
    boolean formula = first == '=' || first == '+' || first == '-' || first == '@'
        || first == '\t' || first == '\r';
    return formula ? "'" + value : value;
  }

  /** Returns an identifier that a spreadsheet must keep as text, character for character. */
  static String identifier(String value) {
    if (value != null && looksNumeric(value) && wouldChange(value)) {
      return "=\"" + value + "\"";
    }
    return text(value);
  }

  /**
   * Returns whether the text reads as a number: digits, an optional dot followed by digits,
   * an optional exponent ({@code e} or {@code E} and digits). Such text holds only digits,
   * letters and a dot, so it is safe inside a text formula. It is a loop rather than a regular
   * expression because the export calls it several times per row.
   */
  private static boolean looksNumeric(String value) {
    int length = value.length();
    int i = skipDigits(value, 0);
    if (i < length && value.charAt(i) == '.') {
      int fraction = i + 1;
      i = skipDigits(value, fraction);
      if (i == fraction) {
        return false;
      }
    } else if (i == 0) {
      return false;
    }
    if (i < length && (value.charAt(i) == 'e' || value.charAt(i) == 'E')) {
      int exponent = i + 1;
      i = skipDigits(value, exponent);
      if (i == exponent) {
        return false;
      }
    }
    return i == length;
  }

  private static int skipDigits(String value, int from) {
    int i = from;
    while (i < value.length() && value.charAt(i) >= '0' && value.charAt(i) <= '9') {
      i++;
    }
    return i;
  }

  /** Returns whether reading this numeric text as a number would change the cell. */
  private static boolean wouldChange(String numeric) {
    return (numeric.length() > 1 && numeric.charAt(0) == '0') || numeric.length() > 15
        || numeric.indexOf('e') >= 0 || numeric.indexOf('E') >= 0
        || numeric.indexOf('.') >= 0;
  }
}
