package io.natalia.agent.spool;

import io.natalia.agent.crypto.EncryptionKey;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import javax.crypto.AEADBadTagException;

/**
 * A chunk: several records of one page, sealed together in the disk buffer.
 *
 * <p>Plain text layout, big-endian: a format byte (1), the record count (int), then per record
 * the id's length (short) and UTF-8 bytes and the JSON's length (int), then the records' JSON
 * one after the other.
 *
 * <p>The plain text is sealed in segments of at most {@value #SEGMENT_BYTES} bytes, each
 * stored as its length (int) and its AES-GCM seal. A segment is bound to the chunk's sequence
 * number, its own index and whether it is the last, so segments cannot be reordered, moved to
 * another chunk or cut off unnoticed. Segments keep each cipher call small, because the JDK's
 * AES-GCM only reaches its compiled speed after many calls. On Temurin 25 (2 vCPU AMD EPYC), a
 * loop sealing 1 MiB arrays ran at about 20 MB/s for its first 100 MB, while 4 KiB calls
 * reached hundreds of MB/s after a few tens of megabytes.
 */
final class Chunk {
  static final int SEGMENT_BYTES = 4096;
  private static final byte FORMAT = 1;
  /**
   * Largest plain text whose array a sealing thread keeps for its next chunk. The spool's
   * chunks (256 KiB of JSON and their ids) fit. A chunk moved from the previous format is
   * bounded by its record count only, so a larger one gets an array of its own.
   */
  private static final int MAX_KEPT_PLAIN_BYTES = 1024 * 1024;
  /** The plain text of the chunk being sealed, reused by the next chunk of the same thread. */
  private static final ThreadLocal<byte[]> PLAIN = ThreadLocal.withInitial(() -> new byte[0]);

  private Chunk() {}

  /** Seals the records as the chunk with sequence number {@code seq}. */
  static byte[] seal(List<Entry> entries, long seq, EncryptionKey key) {
    List<byte[]> ids = new ArrayList<>(entries.size());
    int plainLength = 1 + 4;
    for (Entry entry : entries) {
      byte[] id = entry.id().getBytes(StandardCharsets.UTF_8);
      ids.add(id);
      plainLength += 2 + id.length + 4 + entry.length();
    }
    byte[] plain = plainArray(plainLength);
    encode(entries, ids, ByteBuffer.wrap(plain, 0, plainLength));
    int segments = Math.max(1, (plainLength + SEGMENT_BYTES - 1) / SEGMENT_BYTES);
    byte[] out = new byte[plainLength + segments * (4 + EncryptionKey.SEAL_OVERHEAD)];
    ByteBuffer lengths = ByteBuffer.wrap(out);
    int at = 0;
    for (int i = 0; i < segments; i++) {
      int offset = i * SEGMENT_BYTES;
      int length = Math.min(SEGMENT_BYTES, plainLength - offset);
      int sealed = key.seal(plain, offset, length, binding(seq, i, i == segments - 1), out,
          at + 4);
      lengths.putInt(at, sealed);
      at += 4 + sealed;
    }
    return out;
  }

  /**
   * Opens the chunk with sequence number {@code seq} and returns its records, whose JSON are
   * slices of one array.
   *
   * @throws AEADBadTagException when a segment was altered, sealed with another key, moved or
   *     cut off
   * @throws IllegalArgumentException when the chunk does not have the layout above
   */
  static List<Entry> open(byte[] payload, long seq, EncryptionKey key)
      throws AEADBadTagException {
    ByteBuffer in = ByteBuffer.wrap(payload);
    try {
      int segments = 0;
      for (int at = 0; at < payload.length; at += 4 + in.getInt(at)) {
        segments++;
      }
      byte[] plain = new byte[payload.length - segments * (4 + EncryptionKey.SEAL_OVERHEAD)];
      int written = 0;
      int at = 0;
      for (int i = 0; i < segments; i++) {
        int length = in.getInt(at);
        written += key.open(payload, at + 4, length, binding(seq, i, i == segments - 1), plain,
            written);
        at += 4 + length;
      }
      return decode(plain);
    } catch (IndexOutOfBoundsException | IllegalArgumentException e) {
      throw new IllegalArgumentException("chunk " + seq + " of " + payload.length
          + " bytes is malformed", e);
    }
  }

  private static byte[] binding(long seq, int segment, boolean last) {
    return ("chunk:" + seq + ":" + segment + (last ? ":last" : ""))
        .getBytes(StandardCharsets.UTF_8);
  }

  /** One record of a chunk: its id and its JSON, {@code buffer[offset, offset + length)}. */
  record Entry(String id, byte[] buffer, int offset, int length) {
    Entry(String id, byte[] json) {
      this(id, json, 0, json.length);
    }
  }

  /** Returns an array of at least {@code length} bytes for a chunk's plain text. */
  private static byte[] plainArray(int length) {
    if (length > MAX_KEPT_PLAIN_BYTES) {
      return new byte[length];
    }
    byte[] plain = PLAIN.get();
    if (plain.length < length) {
      plain = new byte[length];
      PLAIN.set(plain);
    }
    return plain;
  }

  /** Writes the plain text of a chunk, whose ids are given as UTF-8, into {@code out}. */
  private static void encode(List<Entry> entries, List<byte[]> ids, ByteBuffer out) {
    out.put(FORMAT).putInt(entries.size());
    for (int i = 0; i < entries.size(); i++) {
      out.putShort((short) ids.get(i).length).put(ids.get(i)).putInt(entries.get(i).length());
    }
    for (Entry entry : entries) {
      out.put(entry.buffer(), entry.offset(), entry.length());
    }
  }

  /**
   * Returns the records of a chunk's plain text.
   *
   * @throws IllegalArgumentException when the text does not have the layout above
   */
  private static List<Entry> decode(byte[] plain) {
    ByteBuffer in = ByteBuffer.wrap(plain);
    if (in.get() != FORMAT) {
      throw new IllegalArgumentException("unknown chunk format " + plain[0]);
    }
    int count = in.getInt();
    String[] ids = new String[count];
    int[] lengths = new int[count];
    for (int i = 0; i < count; i++) {
      byte[] id = new byte[in.getShort()];
      in.get(id);
      ids[i] = new String(id, StandardCharsets.UTF_8);
      lengths[i] = in.getInt();
    }
    List<Entry> entries = new ArrayList<>(count);
    int offset = in.position();
    for (int i = 0; i < count; i++) {
      entries.add(new Entry(ids[i], plain, offset, lengths[i]));
      offset += lengths[i];
    }
    if (offset != plain.length) {
      throw new IllegalArgumentException("chunk holds " + (plain.length - offset)
          + " bytes beyond its records");
    }
    return entries;
  }
}
