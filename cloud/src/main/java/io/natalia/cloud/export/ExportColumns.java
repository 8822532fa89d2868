package io.natalia.cloud.export;

import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.List;

/**
 * The columns of an exported call, in order; the same in every format. Described for JSON by
 * {@code cdr-export.schema.json} and for people in docs/api.md.
 */
final class ExportColumns {
  static final List<String> NAMES = List.of(
      "id", "pbx_id", "direction", "started_at", "started_local", "ended_at", "answered",
      "time_to_answer_seconds", "ring_seconds", "talk_seconds", "cost", "currency",
      "number_last4", "number_pseudonym", "trunk", "initial_target", "answering_extension",
      "leg_count", "leg_ids");

  /** Local start time as spreadsheets read it: {@code 2026-03-29 10:31:12}. */
  static final DateTimeFormatter LOCAL = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");

  private ExportColumns() {}

  static String local(java.time.Instant instant, ZoneId zone) {
    return LOCAL.format(instant.atZone(zone));
  }
}
