package io.natalia.cloud.export;

import io.natalia.cloud.analytics.CallRow;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.nio.charset.StandardCharsets;
import java.time.ZoneId;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;

/**
 * CSV for people with spreadsheets: UTF-8 with a byte order mark (so Excel reads accents),
 * RFC 4180 quoting and CRLF line ends (commons-csv), formula starts neutralised and
 * identifiers kept as text ({@link SpreadsheetCells}).
 */
final class CsvCallWriter implements CallWriter {
  /** Characters of CSV kept before they go to the writer in one call. */
  private static final int CHUNK = 1 << 14;

  private final BufferedWriter out;
  /**
   * The printer's output. commons-csv appends one character at a time, and a StringBuilder
   * takes them without the lock that every call of a Writer takes.
   */
  private final StringBuilder chunk = new StringBuilder(CHUNK + 1024);
  private final CSVPrinter printer;
  private final ZoneId zone;
  private final String currency;

  CsvCallWriter(OutputStream stream, ZoneId zone, String currency) throws IOException {
    this.out = new BufferedWriter(new OutputStreamWriter(stream, StandardCharsets.UTF_8),
        1 << 16);
    this.zone = zone;
    this.currency = currency;
    out.write('\uFEFF');
    this.printer = new CSVPrinter(chunk, CSVFormat.RFC4180);
    printer.printRecord(ExportColumns.NAMES);
  }

  @Override
  public void write(CallRow c, String numberPseudonym) throws IOException {
    printer.printRecord(
        SpreadsheetCells.identifier(c.id()),
        SpreadsheetCells.text(c.pbxId()),
        c.direction(),
        c.startedAt().toString(),
        ExportColumns.local(c.startedAt(), zone),
        c.endedAt().toString(),
        c.answered(),
        c.timeToAnswerSeconds() == null ? "" : c.timeToAnswerSeconds(),
        c.ringSeconds(),
        c.talkSeconds(),
        c.cost() == null ? "" : c.cost().toPlainString(),
        currency,
        SpreadsheetCells.identifier(c.numberLast4()),
        SpreadsheetCells.identifier(numberPseudonym),
        SpreadsheetCells.identifier(c.trunk()),
        SpreadsheetCells.identifier(c.initialTarget()),
        SpreadsheetCells.identifier(c.answeringExtension()),
        c.legCount(),
        SpreadsheetCells.text(String.join(" ", c.legIds())));
    if (chunk.length() >= CHUNK) {
      writeChunk();
    }
  }

  private void writeChunk() throws IOException {
    out.append(chunk);
    chunk.setLength(0);
  }

  @Override
  public void close() throws IOException {
    printer.flush();
    writeChunk();
    out.flush();
  }
}
