package io.natalia.cloud.analytics;

import io.natalia.cdr.IsoLocalDateTime;
import java.io.IOException;
import java.io.OutputStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.List;

/**
 * Reads the calls of a {@code COPY ... TO STDOUT} in PostgreSQL's text format, as the server
 * sends them, and passes each to a visitor: one line per call, columns separated by tabs,
 * {@code \N} for null, and a backslash before a backslash, tab, newline or other control
 * character inside a value. The columns are those of {@code Analytics.COPY_COLUMNS}, with
 * times in UTC ({@code 2026-03-29 08:31:12.5+00}). Not thread-safe.
 */
final class CopyRows extends OutputStream {
  private static final int COLUMNS = 17;

  private final Analytics.CallVisitor visitor;
  private final String[] fields = new String[COLUMNS];
  private byte[] line = new byte[512];
  private int length;
  private long count;

  CopyRows(Analytics.CallVisitor visitor) {
    this.visitor = visitor;
  }

  @Override
  public void write(int b) throws IOException {
    if (b == '\n') {
      endLine();
    } else {
      append((byte) b);
    }
  }

  @Override
  public void write(byte[] bytes, int offset, int size) throws IOException {
    int start = offset;
    int end = offset + size;
    for (int i = offset; i < end; i++) {
      if (bytes[i] == '\n') {
        append(bytes, start, i - start);
        endLine();
        start = i + 1;
      }
    }
    append(bytes, start, end - start);
  }

  /** Checks that the stream ended with a whole line. */
  void finish() {
    if (length > 0) {
      throw new IllegalStateException("the COPY output ended inside a row: "
          + new String(line, 0, Math.min(length, 200), StandardCharsets.UTF_8));
    }
  }

  /** Returns how many calls were visited. */
  long count() {
    return count;
  }

  private void append(byte b) {
    if (length == line.length) {
      line = Arrays.copyOf(line, line.length * 2);
    }
    line[length++] = b;
  }

  private void append(byte[] bytes, int offset, int size) {
    if (length + size > line.length) {
      line = Arrays.copyOf(line, Math.max(line.length * 2, length + size));
    }
    System.arraycopy(bytes, offset, line, length, size);
    length += size;
  }

  private void endLine() throws IOException {
    splitFields();
    visitor.visit(call(), fields[16]);
    count++;
    length = 0;
  }

  private void splitFields() {
    int field = 0;
    int start = 0;
    for (int i = 0; i <= length; i++) {
      if (i == length || line[i] == '\t') {
        if (field == COLUMNS) {
          throw new IllegalStateException("a COPY row has more than " + COLUMNS + " columns");
        }
        fields[field++] = text(start, i);
        start = i + 1;
      }
    }
    if (field != COLUMNS) {
      throw new IllegalStateException(
          "a COPY row has " + field + " columns instead of " + COLUMNS);
    }
  }

  /** Returns the value in {@code line[from, to)}, unescaped, or null for {@code \N}. */
  private String text(int from, int to) {
    if (to - from == 2 && line[from] == '\\' && line[from + 1] == 'N') {
      return null;
    }
    for (int i = from; i < to; i++) {
      if (line[i] == '\\') {
        return unescape(from, to);
      }
    }
    return new String(line, from, to - from, StandardCharsets.UTF_8);
  }

  private String unescape(int from, int to) {
    byte[] bytes = new byte[to - from];
    int size = 0;
    for (int i = from; i < to; i++) {
      byte b = line[i];
      if (b == '\\' && i + 1 < to) {
        b = switch (line[++i]) {
          case 'b' -> '\b';
          case 'f' -> '\f';
          case 'n' -> '\n';
          case 'r' -> '\r';
          case 't' -> '\t';
          case 'v' -> 0x0b;
          default -> line[i];
        };
      }
      bytes[size++] = b;
    }
    return new String(bytes, 0, size, StandardCharsets.UTF_8);
  }

  private CallRow call() {
    return new CallRow(fields[0], fields[1], fields[2], instant(fields[3]), instant(fields[4]),
        fields[5].equals("t"), fields[6] == null ? null : Integer.valueOf(fields[6]),
        Integer.parseInt(fields[7]), Integer.parseInt(fields[8]),
        fields[9] == null ? null : new BigDecimal(fields[9]), fields[10], fields[11],
        fields[12], fields[13], Integer.parseInt(fields[14]),
        List.of(fields[15].split(" ")));
  }

  /** Reads {@code 2026-03-29 08:31:12[.fraction]+00}, a timestamptz printed in UTC. */
  static Instant instant(String text) {
    LocalDateTime time = IsoLocalDateTime.parse(text, true);
    int end = text.length() - 3;
    if (time == null || end < 19 || !text.startsWith("+00", end)) {
      throw new IllegalStateException("not a UTC time of PostgreSQL: " + text);
    }
    int nanos = 0;
    if (end > 19) {
      if (text.charAt(19) != '.' || end - 20 > 9) {
        throw new IllegalStateException("not a UTC time of PostgreSQL: " + text);
      }
      nanos = Integer.parseInt(text.substring(20, end) + "000000000".substring(end - 20));
    }
    return time.toInstant(ZoneOffset.UTC).plusNanos(nanos);
  }
}
