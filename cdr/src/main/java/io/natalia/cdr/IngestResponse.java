package io.natalia.cdr;

import java.util.List;

/**
 * Body of the cloud's {@code 202} answer to {@code POST /ingest/cdr}.
 *
 * <p>{@code ingested + duplicates + rejected.size()} always equals the number of records sent,
 * so the agent can account for every record of the batch.
 *
 * @param ingested records stored for the first time
 * @param duplicates records the cloud already held for this tenant (same id)
 * @param rejected records refused, each with its index in the request
 */
public record IngestResponse(int ingested, int duplicates, List<Rejection> rejected) {

  public IngestResponse {
    rejected = List.copyOf(rejected);
  }

  /** Returns the number of records this response accounts for. */
  public int accountedFor() {
    return ingested + duplicates + rejected.size();
  }

  /**
   * One refused record.
   *
   * @param index position of the record in the request's {@code records} array
   * @param code error code, such as {@code NAT-API-010}
   * @param reason the rule broken, naming the field and the value
   */
  public record Rejection(int index, String code, String reason) {}
}
