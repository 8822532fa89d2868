package io.natalia.agent.pbx.oxo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.natalia.cdr.CallRecord;
import io.natalia.cdr.CallRecordCodec;
import io.natalia.cdr.CallRecordId;
import io.natalia.cdr.Direction;
import io.natalia.cdr.InvalidRecordException;
import io.natalia.cdr.IsoLocalDateTime;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Turns one OXO ticket (a JSON object) into a {@link CallRecord}, tolerantly.
 *
 * <p>Unknown fields are kept in {@code raw}; absent optional fields are fine; durations may be
 * {@code hh:mm:ss}, {@code mm:ss} or whole seconds (number or text); times may carry an offset
 * or {@code Z}, or be PBX local time without zone, which is converted with the configured time
 * zone by this rule:
 *
 * <ul>
 *   <li>An <b>ambiguous</b> local time (the hour repeated when clocks go back) is read with the
 *       <b>earlier</b> offset, the summer one: the first occurrence of that hour.
 *   <li>A <b>skipped</b> local time (the hour that does not exist when clocks go forward) is
 *       read with the offset in force <b>before</b> the change: a PBX whose clock has not
 *       switched yet. The instant is the local time shifted forward by the gap's length.
 * </ul>
 *
 * <p>A ticket that cannot be made sense of yields a {@link Result} with the reason instead of a
 * record; the caller quarantines it (NAT-AGT-010). Thread-safe.
 */
final class OxoRecordParser {
  /** A time of day followed by a UTC offset at the end: {@code 08:31:12+02:00}. */
  private static final Pattern OFFSET =
      Pattern.compile("\\d{2}:\\d{2}(:\\d{2}(\\.\\d+)?)?[+-]\\d{2}:?\\d{2}$");
  private static final Pattern DIGITS_9 = Pattern.compile("\\d{1,9}");
  private static final Pattern DIGITS_18 = Pattern.compile("\\d{1,18}");
  private static final Pattern CLOCK_DURATION = Pattern.compile("(?:(\\d+):)?(\\d{1,2}):(\\d{2})");
  private static final DateTimeFormatter PRINTED_TIME =
      DateTimeFormatter.ofPattern("dd/MM/uuuu HH:mm[:ss]", Locale.ROOT);

  private final String pbxId;
  private final ZoneId zone;
  private final CallRecordCodec codec;

  OxoRecordParser(String pbxId, ZoneId zone, Clock clock) {
    this.pbxId = pbxId;
    this.zone = zone;
    this.codec = new CallRecordCodec(clock);
  }

  /**
   * The outcome for one ticket: a record, or the reason it makes no sense.
   *
   * @param record the record, or {@code null}
   * @param reason why the ticket was rejected, naming the field and the value, or {@code null}
   * @param raw the ticket as received
   */
  record Result(CallRecord record, String reason, JsonNode raw) {}

  /** Parses one ticket; never throws on bad input. */
  Result parse(JsonNode ticket) {
    if (ticket == null || !ticket.isObject()) {
      return new Result(null, "record must be a JSON object: " + abbreviate(ticket), ticket);
    }
    try {
      CallRecord record = toRecord((ObjectNode) ticket);
      // The cloud checks the same rules; a record it would reject stays here with its reason.
      codec.fromJson(codec.toJson(record));
      return new Result(record, null, ticket);
    } catch (InvalidRecordException e) {
      return new Result(null, e.getMessage(), ticket);
    }
  }

  private CallRecord toRecord(ObjectNode ticket) throws InvalidRecordException {
    String startText = requiredText(ticket, "startTime");
    Direction direction = direction(ticket);
    String ringText = text(ticket, "ringDuration");
    String talkText = text(ticket, "duration");
    int ringSeconds = seconds("ringDuration", ringText);
    int talkSeconds = seconds("duration", talkText);
    String ticketId = text(ticket, "ticketId");
    String callingNumber = text(ticket, "callingNumber");
    String dialledNumber = text(ticket, "dialledNumber");
    String extension = text(ticket, "chargedUser");
    String initialTarget = text(ticket, "initialUser");
    String trunk = text(ticket, "line");
    String id = CallRecordId.of(pbxId, ticketId, startText, direction.wireName(), extension,
        initialTarget, trunk, callingNumber, dialledNumber, ringText, talkText);
    return new CallRecord(id, pbxId, ticketId(ticketId), direction, startedAt(startText),
        ringSeconds, talkSeconds, answered(ticket, talkSeconds), extension,
        text(ticket, "subscriberName"), initialTarget, trunk,
        externalNumber(direction, callingNumber, dialledNumber), units(ticket), cost(ticket),
        text(ticket, "businessCode"), ticket);
  }

  /** Converts a ticket's start time to UTC; see the class comment for the DST rule. */
  Instant startedAt(String text) throws InvalidRecordException {
    String trimmed = text.trim();
    try {
      if (hasOffset(trimmed)) {
        return OffsetDateTime.parse(trimmed.replace(' ', 'T')).toInstant();
      }
      LocalDateTime local = isoLocal(trimmed);
      if (local == null) {
        local = trimmed.contains("/")
            ? LocalDateTime.parse(trimmed, PRINTED_TIME)
            : LocalDateTime.parse(trimmed.replace(' ', 'T'));
      }
      // ofLocal picks the earlier offset in an overlap and shifts a gap time forward.
      return ZonedDateTime.ofLocal(local, zone, null).toInstant();
    } catch (DateTimeException e) {
      throw new InvalidRecordException("startTime", text,
          "must be a date and time such as 2026-05-24T08:31:12");
    }
  }

  /**
   * Reads the OXO's usual form {@code 2026-05-24T08:31:12} (or with a space) digit by digit,
   * without a formatter. Returns {@code null} for any other shape.
   *
   * @throws DateTimeException when a field is out of range (month 13, hour 25)
   */
  private static LocalDateTime isoLocal(String text) {
    return text.length() == 19 ? IsoLocalDateTime.parse(text, true) : null;
  }

  private static boolean hasOffset(String text) {
    return text.endsWith("Z") || text.endsWith("z") || OFFSET.matcher(text).find();
  }

  private static Direction direction(ObjectNode ticket) throws InvalidRecordException {
    String type = requiredText(ticket, "type");
    return switch (type.trim().toLowerCase(Locale.ROOT)) {
      case "incoming", "in", "<--" -> Direction.INCOMING;
      case "outgoing", "out", "-->" -> Direction.OUTGOING;
      case "internal", "local" -> Direction.INTERNAL;
      default -> throw new InvalidRecordException("type", type,
          "must be incoming, outgoing or internal");
    };
  }

  /** Reads a duration written {@code hh:mm:ss}, {@code mm:ss} or whole seconds. */
  static int seconds(String field, String text) throws InvalidRecordException {
    if (text == null || text.isBlank()) {
      return 0;
    }
    String trimmed = text.trim();
    if (DIGITS_9.matcher(trimmed).matches()) {
      return Integer.parseInt(trimmed);
    }
    Matcher clock = CLOCK_DURATION.matcher(trimmed);
    if (clock.matches()) {
      int minutes = Integer.parseInt(clock.group(2));
      int secs = Integer.parseInt(clock.group(3));
      if (secs < 60 && (clock.group(1) == null || minutes < 60)) {
        long hours = clock.group(1) == null ? 0 : Long.parseLong(clock.group(1));
        long total = hours * 3600 + minutes * 60L + secs;
        if (total <= Integer.MAX_VALUE) {
          return (int) total;
        }
      }
    }
    throw new InvalidRecordException(field, text,
        "must be a duration as hh:mm:ss or whole seconds");
  }

  private static Long ticketId(String text) throws InvalidRecordException {
    if (text == null) {
      return null;
    }
    if (!DIGITS_18.matcher(text.trim()).matches()) {
      throw new InvalidRecordException("ticketId", text, "must be a non-negative integer");
    }
    return Long.parseLong(text.trim());
  }

  private static boolean answered(ObjectNode ticket, int talkSeconds)
      throws InvalidRecordException {
    JsonNode value = ticket.get("answered");
    if (value == null || value.isNull()) {
      return talkSeconds > 0;
    }
    if (value.isBoolean()) {
      return value.booleanValue();
    }
    String text = value.asText().trim().toLowerCase(Locale.ROOT);
    return switch (text) {
      case "true", "yes", "1" -> true;
      case "false", "no", "0" -> false;
      default -> throw new InvalidRecordException("answered", value, "must be true or false");
    };
  }

  private static String externalNumber(Direction direction, String calling, String dialled) {
    return switch (direction) {
      case INCOMING -> calling != null ? calling : dialled;
      case OUTGOING -> dialled != null ? dialled : calling;
      case INTERNAL -> null;
    };
  }

  private static Integer units(ObjectNode ticket) throws InvalidRecordException {
    String text = text(ticket, "units");
    if (text == null) {
      return null;
    }
    if (!DIGITS_9.matcher(text.trim()).matches()) {
      throw new InvalidRecordException("units", text, "must be a whole number");
    }
    return Integer.parseInt(text.trim());
  }

  private static BigDecimal cost(ObjectNode ticket) throws InvalidRecordException {
    JsonNode value = ticket.get("cost");
    if (value == null || value.isNull() || value.asText().isBlank()) {
      return null;
    }
    if (value.isNumber()) {
      return value.decimalValue();
    }
    try {
      // Some firmware prints a decimal comma (1,20).
      return new BigDecimal(value.asText().trim().replace(',', '.'));
    } catch (NumberFormatException e) {
      throw new InvalidRecordException("cost", value, "must be a decimal number");
    }
  }

  private static String requiredText(ObjectNode ticket, String field)
      throws InvalidRecordException {
    String text = text(ticket, field);
    if (text == null || text.isBlank()) {
      throw new InvalidRecordException(field, text, "is required");
    }
    return text;
  }

  /** Returns a field as text (numbers included), or null when absent, null or empty. */
  private static String text(ObjectNode ticket, String field) throws InvalidRecordException {
    JsonNode value = ticket.get(field);
    if (value == null || value.isNull()) {
      return null;
    }
    if (!value.isValueNode()) {
      throw new InvalidRecordException(field, value, "must be a text or a number");
    }
    String text = value.asText();
    return text.isEmpty() ? null : text;
  }

  private static String abbreviate(JsonNode node) {
    String text = String.valueOf(node);
    return text.length() > 80 ? text.substring(0, 80) + "..." : text;
  }
}
