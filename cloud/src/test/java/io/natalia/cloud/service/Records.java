package io.natalia.cloud.service;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.natalia.cdr.CallRecord;
import io.natalia.cdr.CallRecordCodec;
import io.natalia.cdr.Direction;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.zip.GZIPOutputStream;

/** Builds call records and ingest bodies for tests. */
public final class Records {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final CallRecordCodec CODEC = new CallRecordCodec(Clock.systemUTC());

  private Records() {}

  /** Returns an incoming call from {@code number} on trunk V01, with a raw PBX object. */
  public static CallRecord incoming(String id, Instant start, int ring, int talk,
      String extension, String number) {
    ObjectNode raw = JsonNodeFactory.instance.objectNode();
    raw.put("type", "incoming");
    raw.put("callingNumber", number);
    raw.put("chargedUser", extension);
    raw.put("line", "V01");
    return new CallRecord(id, "oxo-main", null, Direction.INCOMING, start, ring, talk,
        talk > 0, extension, "Ext " + extension, "G1", "V01", number, null,
        talk > 0 ? new BigDecimal("0.10") : null, null, raw);
  }

  /** Record number {@code n} of a simple numbered series, one minute apart. */
  public static CallRecord numbered(String prefix, int n, Instant base) {
    return incoming(prefix + "-" + n, base.plusSeconds(60L * n), 5, 30, "110",
        String.format("06%08d", n));
  }

  /** Returns the wire form of a record. */
  public static ObjectNode json(CallRecord record) {
    return CODEC.toJson(record);
  }

  /** Returns an ingest body holding these record objects. */
  public static byte[] body(List<ObjectNode> records) {
    ObjectNode body = JsonNodeFactory.instance.objectNode();
    body.putObject("agent").put("version", "0.1.0").put("host", "test-agent");
    body.putObject("pbx").put("id", "oxo-main").put("type", "OXO")
        .put("timeZone", "Europe/Paris");
    ArrayNode array = body.putArray("records");
    records.forEach(array::add);
    try {
      return JSON.writeValueAsBytes(body);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Returns the body of these records. */
  public static byte[] bodyOf(List<CallRecord> records) {
    return body(records.stream().map(Records::json).toList());
  }

  /** Gzips bytes. */
  public static byte[] gzip(byte[] bytes) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (GZIPOutputStream zip = new GZIPOutputStream(out)) {
      zip.write(bytes);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }
}
