package io.natalia.cloud.analytics;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Reads the calls of a {@code COPY ... TO STDOUT} in PostgreSQL's text format, as the server
 * sends them, and passes each to a visitor as {@link CallColumns}: one line per call, columns
 * separated by tabs, {@code \N} for null, and a backslash before a backslash, tab, newline or
 * other control character inside a value. The columns are those of
 * {@code Analytics.COPY_COLUMNS}, with times in UTC ({@code 2026-03-29 08:31:12.5+00}). Not
 * thread-safe.
 */
final class CopyRows extends OutputStream {
  private final Analytics.CallColumnsVisitor visitor;
  private final CallColumns columns = new CallColumns();
  private byte[] line = new byte[512];
  private int length;
  private long count;

  CopyRows(Analytics.CallColumnsVisitor visitor) {
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
    columns.read(line, length);
    visitor.visit(columns);
    count++;
    length = 0;
  }
}
