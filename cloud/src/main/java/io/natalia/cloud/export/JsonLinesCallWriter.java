package io.natalia.cloud.export;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.StreamWriteFeature;
import com.fasterxml.jackson.core.io.SerializedString;
import io.natalia.cloud.analytics.CallRow;
import java.io.IOException;
import java.io.OutputStream;
import java.time.ZoneId;

/**
 * JSON lines: one object per call and line, typed as {@code cdr-export.schema.json} defines
 * (numbers as numbers, absent values as null).
 */
final class JsonLinesCallWriter implements CallWriter {
  private static final JsonFactory FACTORY = JsonFactory.builder()
      .enable(StreamWriteFeature.WRITE_BIGDECIMAL_AS_PLAIN)
      .disable(StreamWriteFeature.AUTO_CLOSE_TARGET)
      .build();

  private final JsonGenerator json;
  private final ZoneId zone;
  private final String currency;
  private boolean wroteAny;

  JsonLinesCallWriter(OutputStream stream, ZoneId zone, String currency) throws IOException {
    this.json = FACTORY.createGenerator(stream, JsonEncoding.UTF8);
    json.setRootValueSeparator(new SerializedString("\n"));
    this.zone = zone;
    this.currency = currency;
  }

  @Override
  public void write(CallRow c, String numberPseudonym) throws IOException {
    wroteAny = true;
    json.writeStartObject();
    json.writeStringField("id", c.id());
    json.writeStringField("pbx_id", c.pbxId());
    json.writeStringField("direction", c.direction());
    json.writeStringField("started_at", c.startedAt().toString());
    json.writeStringField("started_local", ExportColumns.local(c.startedAt(), zone));
    json.writeStringField("ended_at", c.endedAt().toString());
    json.writeBooleanField("answered", c.answered());
    if (c.timeToAnswerSeconds() == null) {
      json.writeNullField("time_to_answer_seconds");
    } else {
      json.writeNumberField("time_to_answer_seconds", c.timeToAnswerSeconds());
    }
    json.writeNumberField("ring_seconds", c.ringSeconds());
    json.writeNumberField("talk_seconds", c.talkSeconds());
    json.writeFieldName("cost");
    if (c.cost() == null) {
      json.writeNull();
    } else {
      json.writeNumber(c.cost());
    }
    json.writeStringField("currency", currency);
    json.writeStringField("number_last4", c.numberLast4());
    json.writeStringField("number_pseudonym", numberPseudonym);
    json.writeStringField("trunk", c.trunk());
    json.writeStringField("initial_target", c.initialTarget());
    json.writeStringField("answering_extension", c.answeringExtension());
    json.writeNumberField("leg_count", c.legCount());
    json.writeArrayFieldStart("leg_ids");
    for (String leg : c.legIds()) {
      json.writeString(leg);
    }
    json.writeEndArray();
    json.writeEndObject();
  }

  @Override
  public void close() throws IOException {
    if (wroteAny) {
      json.writeRaw('\n');
    }
    json.close();
  }
}
