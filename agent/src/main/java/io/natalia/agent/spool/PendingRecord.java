package io.natalia.agent.spool;

/**
 * A record waiting in the disk buffer, decrypted.
 *
 * @param chunk the sequence number of the chunk that holds it
 * @param index its position in that chunk; the buffer acknowledges by chunk and index
 * @param id the record's id
 * @param json the record in wire form (UTF-8 JSON)
 */
public record PendingRecord(long chunk, int index, String id, byte[] json) {}
