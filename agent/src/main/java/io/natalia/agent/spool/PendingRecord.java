package io.natalia.agent.spool;

/**
 * A record waiting in the disk buffer, decrypted.
 *
 * @param sequence its position in the buffer; the forwarder acknowledges by it
 * @param id the record's id
 * @param json the record in wire form (UTF-8 JSON)
 */
public record PendingRecord(long sequence, String id, byte[] json) {}
