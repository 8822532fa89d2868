package io.natalia.cloud.export;

import java.util.Locale;

/** File formats of the call export. */
public enum ExportFormat {
  CSV("text/csv; charset=utf-8", "csv"),
  JSON("application/x-ndjson", "jsonl"),
  PARQUET("application/vnd.apache.parquet", "parquet");

  private final String contentType;
  private final String extension;

  ExportFormat(String contentType, String extension) {
    this.contentType = contentType;
    this.extension = extension;
  }

  /** Returns the HTTP content type. */
  public String contentType() {
    return contentType;
  }

  /** Returns the file name extension, without the dot. */
  public String extension() {
    return extension;
  }

  /**
   * Parses {@code csv}, {@code json} or {@code parquet}, case-insensitive.
   *
   * @throws IllegalArgumentException naming the value
   */
  public static ExportFormat parse(String name) {
    try {
      return valueOf(name.strip().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException | NullPointerException e) {
      throw new IllegalArgumentException(
          "format must be csv, json or parquet: '" + name + "'", e);
    }
  }
}
