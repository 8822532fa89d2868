package io.natalia.agent.spool;

import java.io.IOException;
import java.io.OutputStream;
import java.util.Arrays;

/**
 * A record waiting in the disk buffer, decrypted. Its JSON is a slice of an array it shares with
 * the other records of its chunk; that array must not be modified.
 *
 * @param chunk the sequence number of the chunk that holds it
 * @param index its position in that chunk; the buffer acknowledges by chunk and index
 * @param id the record's id
 * @param buffer the array holding the record's JSON
 * @param offset where the record's JSON starts in {@code buffer}
 * @param length the length of the record's JSON
 */
public record PendingRecord(long chunk, int index, String id, byte[] buffer, int offset,
    int length) {

  /** Returns a copy of the record in wire form (UTF-8 JSON). */
  public byte[] json() {
    return Arrays.copyOfRange(buffer, offset, offset + length);
  }

  /** Writes the record in wire form (UTF-8 JSON) to {@code out}. */
  public void writeJson(OutputStream out) throws IOException {
    out.write(buffer, offset, length);
  }
}
