package io.natalia.agent.web;

import io.natalia.agent.health.ErrorCode;
import io.natalia.agent.pbx.oxo.ConnectionTest;
import io.natalia.cdr.CallRecord;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;

/**
 * The result of "Test the connection".
 *
 * @param rejection why the form was rejected before any connection, or null
 * @param code the failure, or null when the test passed
 * @param message what happened, naming the value at fault
 * @param recordsRead records read and parsed
 * @param unparsable records the parser would quarantine
 * @param rows the first records read, as the PBX's local time
 * @param reasons why unparsable records were rejected
 * @param fingerprint SHA-256 fingerprint of the PBX certificate, when known
 * @param offerTrust whether to offer trusting {@code fingerprint} (first contact or change)
 */
public record PbxTestView(
    String rejection,
    ErrorCode code,
    String message,
    int recordsRead,
    int unparsable,
    List<SampleRow> rows,
    List<String> reasons,
    String fingerprint,
    boolean offerTrust) {

  private static final DateTimeFormatter LOCAL =
      DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");

  /**
   * One record of the sample, as the admin knows it from the PBX's printed ticket.
   *
   * @param start start time in the PBX's time zone
   * @param direction incoming, outgoing or internal
   * @param extension the charged extension
   * @param name its name
   * @param trunk the trunk
   * @param number the external number
   * @param ringSeconds ringing time
   * @param talkSeconds conversation time
   */
  public record SampleRow(String start, String direction, String extension, String name,
      String trunk, String number, int ringSeconds, int talkSeconds) {}

  /** Returns the view of a form rejected before the test ran. */
  static PbxTestView rejected(String reason) {
    return new PbxTestView(reason, null, null, 0, 0, List.of(), List.of(), null, false);
  }

  /** Returns the view of a test's result, with times in the PBX's zone. */
  static PbxTestView of(ConnectionTest.Result result, ZoneId zone) {
    List<SampleRow> rows = result.sample().stream().map(r -> row(r, zone)).toList();
    boolean offerTrust = result.certificateSha256() != null
        && (result.errorCode() == ErrorCode.NAT_AGT_013
            || result.errorCode() == ErrorCode.NAT_AGT_012);
    return new PbxTestView(null, result.errorCode(), result.message(), result.recordsRead(),
        result.unparsable(), rows, result.reasons(), result.certificateSha256(), offerTrust);
  }

  /** Returns whether login, request and parse all worked. */
  public boolean passed() {
    return rejection == null && code == null;
  }

  private static SampleRow row(CallRecord record, ZoneId zone) {
    return new SampleRow(LOCAL.format(record.startedAt().atZone(zone)),
        record.direction().name().toLowerCase(Locale.ROOT),
        orDash(record.extension()), orDash(record.extensionName()), orDash(record.trunk()),
        orDash(record.externalNumber()), record.ringSeconds(), record.talkSeconds());
  }

  private static String orDash(String value) {
    return value == null || value.isBlank() ? "-" : value;
  }
}
