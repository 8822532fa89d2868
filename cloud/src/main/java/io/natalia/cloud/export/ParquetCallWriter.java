package io.natalia.cloud.export;

import io.natalia.cloud.analytics.CallRow;
import java.io.IOException;
import java.io.OutputStream;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;
import org.apache.hadoop.conf.Configuration;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.example.data.simple.SimpleGroupFactory;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.hadoop.example.ExampleParquetWriter;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.apache.parquet.io.OutputFile;
import org.apache.parquet.io.PositionOutputStream;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.MessageTypeParser;

/**
 * Parquet with typed columns: UTC timestamps in microseconds, cost as DECIMAL(14, 4),
 * durations as INT32, leg ids as a LIST of strings. Streams to the response: the writer keeps
 * one row group (at most {@value #ROW_GROUP_BYTES} bytes) in memory, then writes it out; the
 * footer goes last.
 */
final class ParquetCallWriter implements CallWriter {
  /** Row group size: bounds the memory of an export, and still reads fast. */
  static final int ROW_GROUP_BYTES = 8 << 20;

  static final MessageType SCHEMA = MessageTypeParser.parseMessageType("""
      message call {
        required binary id (STRING);
        required binary pbx_id (STRING);
        required binary direction (STRING);
        required int64 started_at (TIMESTAMP(MICROS,true));
        required binary started_local (STRING);
        required int64 ended_at (TIMESTAMP(MICROS,true));
        required boolean answered;
        optional int32 time_to_answer_seconds;
        required int32 ring_seconds;
        required int32 talk_seconds;
        optional int64 cost (DECIMAL(14,4));
        required binary currency (STRING);
        optional binary number_last4 (STRING);
        optional binary number_pseudonym (STRING);
        optional binary trunk (STRING);
        optional binary initial_target (STRING);
        optional binary answering_extension (STRING);
        required int32 leg_count;
        required group leg_ids (LIST) {
          repeated group list {
            required binary element (STRING);
          }
        }
      }
      """);

  private final ParquetWriter<Group> writer;
  private final SimpleGroupFactory groups = new SimpleGroupFactory(SCHEMA);
  private final ZoneId zone;
  private final String currency;

  ParquetCallWriter(OutputStream out, ZoneId zone, String currency) throws IOException {
    this.zone = zone;
    this.currency = currency;
    this.writer = ExampleParquetWriter.builder(new StreamOutputFile(out))
        .withConf(new Configuration(false))
        .withType(SCHEMA)
        .withCompressionCodec(CompressionCodecName.SNAPPY)
        .withRowGroupSize(ROW_GROUP_BYTES)
        .build();
  }

  @Override
  public void write(CallRow c, String numberPseudonym) throws IOException {
    Group row = groups.newGroup()
        .append("id", c.id())
        .append("pbx_id", c.pbxId())
        .append("direction", c.direction())
        .append("started_at", micros(c.startedAt()))
        .append("started_local", ExportColumns.local(c.startedAt(), zone))
        .append("ended_at", micros(c.endedAt()))
        .append("answered", c.answered());
    if (c.timeToAnswerSeconds() != null) {
      row.append("time_to_answer_seconds", c.timeToAnswerSeconds());
    }
    row.append("ring_seconds", c.ringSeconds()).append("talk_seconds", c.talkSeconds());
    if (c.cost() != null) {
      row.append("cost", unscaled(c.cost()));
    }
    row.append("currency", currency);
    appendIfSet(row, "number_last4", c.numberLast4());
    appendIfSet(row, "number_pseudonym", numberPseudonym);
    appendIfSet(row, "trunk", c.trunk());
    appendIfSet(row, "initial_target", c.initialTarget());
    appendIfSet(row, "answering_extension", c.answeringExtension());
    row.append("leg_count", c.legCount());
    Group legs = row.addGroup("leg_ids");
    for (String leg : c.legIds()) {
      legs.addGroup("list").append("element", leg);
    }
    writer.write(row);
  }

  @Override
  public void close() throws IOException {
    writer.close();
  }

  private static void appendIfSet(Group row, String field, String value) {
    if (value != null) {
      row.append(field, value);
    }
  }

  private static long micros(Instant instant) {
    return ChronoUnit.MICROS.between(Instant.EPOCH, instant);
  }

  /** Returns the cost as the unscaled long of DECIMAL(14, 4), the database column's type. */
  private static long unscaled(BigDecimal cost) {
    return cost.setScale(4, RoundingMode.UNNECESSARY).unscaledValue().longValueExact();
  }

  /** Parquet's output over the response stream, counting the position it needs. */
  private record StreamOutputFile(OutputStream out) implements OutputFile {
    @Override
    public PositionOutputStream create(long blockSizeHint) {
      return new PositionOutputStream() {
        private long position;

        @Override
        public long getPos() {
          return position;
        }

        @Override
        public void write(int b) throws IOException {
          out.write(b);
          position++;
        }

        @Override
        public void write(byte[] bytes, int offset, int length) throws IOException {
          out.write(bytes, offset, length);
          position += length;
        }

        @Override
        public void flush() throws IOException {
          out.flush();
        }

        @Override
        public void close() throws IOException {
          // The response owns the stream; the server closes it after the last byte.
          out.flush();
        }
      };
    }

    @Override
    public PositionOutputStream createOrOverwrite(long blockSizeHint) {
      return create(blockSizeHint);
    }

    @Override
    public boolean supportsBlockSize() {
      return false;
    }

    @Override
    public long defaultBlockSize() {
      return 0;
    }
  }
}
