package io.natalia.cloud.export;

import io.natalia.cloud.analytics.CallColumns;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.ZoneId;

/**
 * CSV for people with spreadsheets: UTF-8 with a byte order mark (so Excel reads accents),
 * RFC 4180 quoting and CRLF line ends, formula starts neutralised and identifiers kept as text
 * ({@link SpreadsheetCells}).
 *
 * <p>It writes the bytes PostgreSQL's COPY printed ({@link CallColumns}) straight into an
 * output buffer: a million calls would otherwise cost a string per value and a character
 * encoder on every byte. Its output is byte for byte the one commons-csv 1.14 prints with
 * {@code CSVFormat.RFC4180} (CsvCallWriterTest compares them): a value is quoted when it
 * contains a comma, a quote, CR or LF, starts with a character up to {@code #} or ends with
 * one up to a space, and the first value of a line also when it is empty. Not thread-safe.
 */
final class CsvCallWriter implements AutoCloseable {
  private static final byte[] BYTE_ORDER_MARK = {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF};
  private static final byte[] TRUE = {'t', 'r', 'u', 'e'};
  private static final byte[] FALSE = {'f', 'a', 'l', 's', 'e'};
  /** Bytes of the output buffer, written to the stream when the next value does not fit. */
  private static final int BUFFER_SIZE = 1 << 16;

  private final OutputStream out;
  private final LocalTimeText local;
  private final byte[] currency;
  private byte[] buffer = new byte[BUFFER_SIZE];
  private int size;

  CsvCallWriter(OutputStream out, ZoneId zone, String currency) throws IOException {
    this.out = out;
    this.local = new LocalTimeText(zone);
    this.currency = currency.getBytes(StandardCharsets.UTF_8);
    writeHeader();
  }

  private void writeHeader() throws IOException {
    write(BYTE_ORDER_MARK, 0, BYTE_ORDER_MARK.length, false);
    for (int i = 0; i < ExportColumns.NAMES.size(); i++) {
      if (i > 0) {
        comma();
      }
      byte[] name = ExportColumns.NAMES.get(i).getBytes(StandardCharsets.UTF_8);
      write(name, 0, name.length, false);
    }
    lineEnd();
  }

  /** Writes one call as a line; the columns are those of {@link ExportColumns#NAMES}. */
  void write(CallColumns call) throws IOException {
    identifier(call, CallColumns.ID, true);
    comma();
    text(call, CallColumns.PBX_ID);
    comma();
    value(call, CallColumns.DIRECTION);
    comma();

    utcTime(call, CallColumns.STARTED_AT);
    comma();
    localTime(call, CallColumns.STARTED_AT);
    comma();
    utcTime(call, CallColumns.ENDED_AT);
    comma();

    byte[] answered = call.answered() ? TRUE : FALSE;
    write(answered, 0, answered.length, false);
    comma();
    value(call, CallColumns.TIME_TO_ANSWER_SECONDS);
    comma();
    value(call, CallColumns.RING_SECONDS);
    comma();
    value(call, CallColumns.TALK_SECONDS);
    comma();
    value(call, CallColumns.COST);
    comma();
    cell(currency, 0, currency.length, false, false);
    comma();

    identifier(call, CallColumns.NUMBER_LAST4, false);
    comma();
    identifier(call, CallColumns.NUMBER_PSEUDONYM, false);
    comma();
    identifier(call, CallColumns.TRUNK, false);
    comma();
    identifier(call, CallColumns.INITIAL_TARGET, false);
    comma();
    identifier(call, CallColumns.ANSWERING_EXTENSION, false);
    comma();

    value(call, CallColumns.LEG_COUNT);
    comma();
    text(call, CallColumns.LEG_IDS);
    lineEnd();
  }

  /** Writes a value as it is, quoted if CSV needs it; null is empty. */
  private void value(CallColumns call, int column) throws IOException {
    cell(call.bytes(), call.start(column), call.end(column), false, false);
  }

  /** Writes free text with a formula start neutralised. */
  private void text(CallColumns call, int column) throws IOException {
    text(call, column, false);
  }

  private void text(CallColumns call, int column, boolean firstInLine) throws IOException {
    byte[] bytes = call.bytes();
    int from = call.start(column);
    int to = call.end(column);
    boolean apostrophe = from < to && SpreadsheetCells.startsFormula(bytes[from]);
    cell(bytes, from, to, apostrophe, firstInLine);
  }

  /** Writes an identifier so that a spreadsheet keeps it as text, character for character. */
  private void identifier(CallColumns call, int column, boolean firstInLine)
      throws IOException {
    byte[] bytes = call.bytes();
    int from = call.start(column);
    int to = call.end(column);
    if (!SpreadsheetCells.needsTextFormula(bytes, from, to)) {
      text(call, column, firstInLine);
      return;
    }
    // ="0612" contains quotes, so CSV quotes it and doubles them: "=""0612""".
    ensure(to - from + 7);
    buffer[size++] = '"';
    buffer[size++] = '=';
    buffer[size++] = '"';
    buffer[size++] = '"';
    write(bytes, from, to, false);
    buffer[size++] = '"';
    buffer[size++] = '"';
    buffer[size++] = '"';
  }

  /** Writes a UTC time as {@link java.time.Instant#toString} does. */
  private void utcTime(CallColumns call, int column) throws IOException {
    call.epochSecond(column); // Checks that the column is a UTC time of PostgreSQL.
    int micros = call.micros(column);
    byte[] bytes = call.bytes();
    int from = call.start(column);
    ensure(30);
    System.arraycopy(bytes, from, buffer, size, 10);
    buffer[size + 10] = 'T';
    System.arraycopy(bytes, from + 11, buffer, size + 11, 8);
    size += 19;
    if (micros != 0) {
      buffer[size++] = '.';
      boolean millis = micros % 1_000 == 0;
      size = digits(millis ? micros / 1_000 : micros, millis ? 3 : 6);
    }
    buffer[size++] = 'Z';
  }

  private void localTime(CallColumns call, int column) throws IOException {
    ensure(LocalTimeText.MAX_LENGTH);
    size = local.write(call.epochSecond(column), buffer, size);
  }

  private int digits(int value, int count) {
    int remainder = value;
    for (int i = size + count - 1; i >= size; i--) {
      buffer[i] = (byte) ('0' + remainder % 10);
      remainder /= 10;
    }
    return size + count;
  }

  /**
   * Writes a cell, quoted when CSV needs it, after an apostrophe when asked; see the class
   * comment for when commons-csv quotes.
   */
  private void cell(byte[] bytes, int from, int to, boolean apostrophe, boolean firstInLine)
      throws IOException {
    ensure(2 * (to - from) + 3);
    if (!apostrophe && from == to) {
      if (firstInLine) {
        buffer[size++] = '"';
        buffer[size++] = '"';
      }
      return;
    }
    int first = apostrophe ? '\'' : bytes[from] & 0xFF;
    int last = bytes[to - 1] & 0xFF;
    if (first > '#' && last > ' ' && copyUnquoted(bytes, from, to, apostrophe)) {
      return;
    }
    buffer[size++] = '"';
    if (apostrophe) {
      buffer[size++] = '\'';
    }
    write(bytes, from, to, true);
    buffer[size++] = '"';
  }

  /**
   * Copies a cell into the buffer unless it contains a comma, a quote, CR or LF, in one pass
   * because most cells contain none.
   *
   * @return false, with nothing written, when the cell needs quotes
   */
  private boolean copyUnquoted(byte[] bytes, int from, int to, boolean apostrophe) {
    int start = size;
    if (apostrophe) {
      buffer[size++] = '\'';
    }
    for (int i = from; i < to; i++) {
      byte b = bytes[i];
      if (b == ',' || b == '"' || b == '\n' || b == '\r') {
        size = start;
        return false;
      }
      buffer[size++] = b;
    }
    return true;
  }

  /**
   * Copies bytes into the buffer, doubling quotes when asked. The caller has made room for
   * twice the bytes when doubling, once otherwise.
   */
  private void write(byte[] bytes, int from, int to, boolean doubleQuotes) throws IOException {
    if (!doubleQuotes) {
      ensure(to - from);
      System.arraycopy(bytes, from, buffer, size, to - from);
      size += to - from;
      return;
    }
    for (int i = from; i < to; i++) {
      if (bytes[i] == '"') {
        buffer[size++] = '"';
      }
      buffer[size++] = bytes[i];
    }
  }

  private void comma() throws IOException {
    ensure(1);
    buffer[size++] = ',';
  }

  private void lineEnd() throws IOException {
    ensure(2);
    buffer[size++] = '\r';
    buffer[size++] = '\n';
  }

  /** Makes room for {@code bytes} more bytes, writing the buffer out or growing it. */
  private void ensure(int bytes) throws IOException {
    if (size + bytes <= buffer.length) {
      return;
    }
    flushBuffer();
    if (bytes > buffer.length) {
      buffer = new byte[bytes];
    }
  }

  private void flushBuffer() throws IOException {
    out.write(buffer, 0, size);
    size = 0;
  }

  /** Writes the buffered bytes and flushes the stream, but does not close it. */
  @Override
  public void close() throws IOException {
    flushBuffer();
    out.flush();
  }
}
