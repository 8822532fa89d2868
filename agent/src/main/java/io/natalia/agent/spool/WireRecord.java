package io.natalia.agent.spool;

import io.natalia.cdr.CallRecord;
import io.natalia.cdr.CallRecordCodec;
import java.time.Clock;
import java.time.Instant;

/**
 * A record ready for the disk buffer: its wire form and the fields the buffer indexes.
 *
 * @param id the record's id, for de-duplication
 * @param startedAt the record's start, after which its id may be forgotten
 * @param ticketId the PBX ticket number, or {@code null}
 * @param json the record in wire form (UTF-8 JSON)
 */
public record WireRecord(String id, Instant startedAt, Long ticketId, byte[] json) {
  private static final CallRecordCodec CODEC = new CallRecordCodec(Clock.systemUTC());

  /** Returns the wire record of {@code record} with its wire form already written. */
  public static WireRecord of(CallRecord record, byte[] json) {
    return new WireRecord(record.id(), record.startedAt(), record.ticketId(), json);
  }

  /** Returns the wire record of {@code record}, writing its wire form with its raw tree. */
  public static WireRecord of(CallRecord record) {
    return of(record, CODEC.toJsonBytes(record));
  }
}
