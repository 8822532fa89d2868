package io.natalia.cloud.ingest;

/**
 * Limits of {@code POST /ingest/cdr}.
 *
 * @param maxBodyBytes largest body on the wire (compressed or not); above it: 413
 * @param maxDecodedBytes largest body once gunzipped; guards against gzip bombs
 * @param maxRecords most records in one request; above it: 413
 * @param requestsPerSecond sustained requests per agent key; above it: 429
 * @param burst requests an agent key may send at once after a pause
 */
public record IngestSettings(
    long maxBodyBytes, long maxDecodedBytes, int maxRecords, double requestsPerSecond,
    int burst) {

  /**
   * Returns defaults sized for an agent catching up after days offline. 50 000 records of about
   * 600 bytes fit the decoded limit, and gzip shrinks them about tenfold on the wire.
   */
  public static IngestSettings defaults() {
    return new IngestSettings(16L << 20, 64L << 20, 50_000, 20, 40);
  }

  /** Returns a copy with other size limits. */
  public IngestSettings withSizes(long maxBody, long maxDecoded, int records) {
    return new IngestSettings(maxBody, maxDecoded, records, requestsPerSecond, burst);
  }

  /** Returns a copy with another rate limit. */
  public IngestSettings withRate(double perSecond, int burstRequests) {
    return new IngestSettings(maxBodyBytes, maxDecodedBytes, maxRecords, perSecond,
        burstRequests);
  }
}
