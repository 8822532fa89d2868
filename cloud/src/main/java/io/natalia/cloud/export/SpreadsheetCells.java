package io.natalia.cloud.export;

import java.util.regex.Pattern;

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
  private static final Pattern LOOKS_NUMERIC =
      Pattern.compile("[0-9]*\\.?[0-9]+([eE][0-9]+)?");
  private static final Pattern SAFE_INSIDE_FORMULA = Pattern.compile("[0-9A-Za-z.]+");

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
    if (value != null && LOOKS_NUMERIC.matcher(value).matches()
        && SAFE_INSIDE_FORMULA.matcher(value).matches() && wouldChange(value)) {
      return "=\"" + value + "\"";
    }
    return text(value);
  }

  /** Returns whether reading this numeric text as a number would change the cell. */
  private static boolean wouldChange(String numeric) {
    return (numeric.length() > 1 && numeric.charAt(0) == '0') || numeric.length() > 15
        || numeric.indexOf('e') >= 0 || numeric.indexOf('E') >= 0
        || numeric.indexOf('.') >= 0;
  }
}
