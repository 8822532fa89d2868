package io.natalia.cloud.export;

import io.natalia.cloud.analytics.CallRow;
import java.io.IOException;

/**
 * Writes exported calls in a format that reads them as {@link CallRow}s: JSON lines and
 * Parquet. CSV writes bytes with {@link CsvCallWriter}. The columns are those of
 * {@link ExportColumns}.
 */
interface CallWriter extends AutoCloseable {
  void write(CallRow call, String numberPseudonym) throws IOException;

  /** Ends the file and flushes it; does not close the underlying stream. */
  @Override
  void close() throws IOException;
}
