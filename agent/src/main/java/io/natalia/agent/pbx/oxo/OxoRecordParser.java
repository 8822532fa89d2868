package io.natalia.agent.pbx.oxo;

import com.fasterxml.jackson.core.JsonToken;
import io.natalia.agent.pbx.oxo.Ticket.Field;
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
import java.time.format.DateTimeFormatter;
import java.time.zone.ZoneRules;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Turns one OXO ticket (a JSON object) into a {@link CallRecord} and its wire form, tolerantly.
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
 * <p>A record is checked against the rules the cloud applies ({@link CallRecordCodec#check}),
 * and its wire form carries the ticket exactly as received as {@code raw}. A ticket that cannot
 * be made sense of yields a {@link Result} with the reason instead of a record; the caller
 * quarantines it (NAT-AGT-010). Thread-safe.
 */
final class OxoRecordParser {
  /** A time of day followed by a UTC offset at the end: {@code 08:31:12+02:00}. */
  private static final Pattern OFFSET =
      Pattern.compile("\\d{2}:\\d{2}(:\\d{2}(\\.\\d+)?)?[+-]\\d{2}:?\\d{2}$");
  private static final Pattern CLOCK_DURATION = Pattern.compile("(?:(\\d+):)?(\\d{1,2}):(\\d{2})");
  private static final DateTimeFormatter PRINTED_TIME =
      DateTimeFormatter.ofPattern("dd/MM/uuuu HH:mm[:ss]", Locale.ROOT);

  private final String pbxId;
  private final ZoneRules rules;
  private final CallRecordCodec codec;

  OxoRecordParser(String pbxId, ZoneId zone, Clock clock) {
    this.pbxId = pbxId;
    this.rules = zone.getRules();
    this.codec = new CallRecordCodec(clock);
  }

  /**
   * The outcome for one ticket: a record with its wire form, or the reason it makes no sense.
   *
   * @param record the record, or {@code null}; its {@code raw} is null, since the wire form
   *     carries the ticket as received
   * @param json the record's wire form (UTF-8 JSON), or {@code null}
   * @param reason why the ticket was rejected, naming the field and the value, or {@code null}
   * @param ticket the ticket as received
   */
  record Result(CallRecord record, byte[] json, String reason, Ticket ticket) {}

  /** Parses one ticket; never throws on bad input. */
  Result parse(Ticket ticket) {
    if (!ticket.isObject()) {
      return new Result(null, null, "record must be a JSON object: " + abbreviate(ticket),
          ticket);
    }
    try {
      CallRecord record = toRecord(ticket);
      // The cloud checks the same rules; a record it would reject stays here with its reason.
      codec.check(record);
      // As received, so a little stricter than the cloud's compact count if the PBX pads it.
      if (ticket.rawLength() > CallRecordCodec.MAX_RAW_BYTES) {
        throw new InvalidRecordException("raw", ticket.rawLength() + " bytes",
            "must be at most " + CallRecordCodec.MAX_RAW_BYTES + " bytes as JSON");
      }
      if (ticket.textWithNul() != null) {
        throw new InvalidRecordException("raw", ticket.textWithNul(),
            "must not contain NUL characters");
      }
      return new Result(record, codec.toJsonBytes(record, ticket.page(), ticket.rawOffset(),
          ticket.rawLength()), null, ticket);
    } catch (InvalidRecordException e) {
      return new Result(null, null, e.getMessage(), ticket);
    }
  }

  private CallRecord toRecord(Ticket ticket) throws InvalidRecordException {
    String startText = requiredText(ticket, Field.START_TIME);
    Direction direction = direction(ticket);
    String ringText = text(ticket, Field.RING_DURATION);
    String talkText = text(ticket, Field.DURATION);
    int ringSeconds = seconds("ringDuration", ringText);
    int talkSeconds = seconds("duration", talkText);
    String ticketId = text(ticket, Field.TICKET_ID);
    String callingNumber = text(ticket, Field.CALLING_NUMBER);
    String dialledNumber = text(ticket, Field.DIALLED_NUMBER);
    String extension = text(ticket, Field.CHARGED_USER);
    String initialTarget = text(ticket, Field.INITIAL_USER);
    String trunk = text(ticket, Field.LINE);
    String id = CallRecordId.of(pbxId, ticketId, startText, direction.wireName(), extension,
        initialTarget, trunk, callingNumber, dialledNumber, ringText, talkText);
    return new CallRecord(id, pbxId, ticketId(ticketId), direction, startedAt(startText),
        ringSeconds, talkSeconds, answered(ticket, talkSeconds), extension,
        text(ticket, Field.SUBSCRIBER_NAME), initialTarget, trunk,
        externalNumber(direction, callingNumber, dialledNumber), units(ticket), cost(ticket),
        text(ticket, Field.BUSINESS_CODE), null);
  }

  /** Converts a ticket's start time to UTC; see the class comment for the DST rule. */
  Instant startedAt(String text) throws InvalidRecordException {
    String trimmed = text.trim();
    try {
      // The usual form first: 19 characters of that shape carry no offset.
      LocalDateTime local = isoLocal(trimmed);
      if (local == null && hasOffset(trimmed)) {
        return OffsetDateTime.parse(trimmed.replace(' ', 'T')).toInstant();
      }
      if (local == null) {
        local = trimmed.contains("/")
            ? LocalDateTime.parse(trimmed, PRINTED_TIME)
            : LocalDateTime.parse(trimmed.replace(' ', 'T'));
      }
      // In an overlap getOffset returns the earlier offset. In a gap it returns the offset
      // before the change, which gives the instant of the local time shifted forward by the
      // gap, as ZonedDateTime.ofLocal does.
      return local.toInstant(rules.getOffset(local));
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

  private static Direction direction(Ticket ticket) throws InvalidRecordException {
    String type = requiredText(ticket, Field.TYPE);
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
    if (isDigits(trimmed, 9)) {
      return Integer.parseInt(trimmed);
    }
    int fixed = hoursMinutesSeconds(trimmed);
    if (fixed >= 0) {
      return fixed;
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

  /** Returns whether {@code text} is 1 to {@code maxLength} ASCII digits. */
  private static boolean isDigits(String text, int maxLength) {
    if (text.isEmpty() || text.length() > maxLength) {
      return false;
    }
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c < '0' || c > '9') {
        return false;
      }
    }
    return true;
  }

  /**
   * Returns the seconds of the OXO's usual {@code hh:mm:ss} (two digits each, minutes and
   * seconds below 60), or -1 for any other shape, which the general pattern then reads.
   */
  private static int hoursMinutesSeconds(String text) {
    if (text.length() != 8 || text.charAt(2) != ':' || text.charAt(5) != ':') {
      return -1;
    }
    int hours = twoDigits(text, 0);
    int minutes = twoDigits(text, 3);
    int secs = twoDigits(text, 6);
    if (hours < 0 || minutes < 0 || secs < 0 || minutes >= 60 || secs >= 60) {
      return -1;
    }
    return hours * 3600 + minutes * 60 + secs;
  }

  private static int twoDigits(String text, int at) {
    char tens = text.charAt(at);
    char ones = text.charAt(at + 1);
    if (tens < '0' || tens > '9' || ones < '0' || ones > '9') {
      return -1;
    }
    return (tens - '0') * 10 + (ones - '0');
  }

  private static Long ticketId(String text) throws InvalidRecordException {
    if (text == null) {
      return null;
    }
    if (!isDigits(text.trim(), 18)) {
      throw new InvalidRecordException("ticketId", text, "must be a non-negative integer");
    }
    return Long.parseLong(text.trim());
  }

  private static boolean answered(Ticket ticket, int talkSeconds)
      throws InvalidRecordException {
    String value = ticket.text(Field.ANSWERED);
    if (value == null) {
      return talkSeconds > 0;
    }
    return switch (value.trim().toLowerCase(Locale.ROOT)) {
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

  private static Integer units(Ticket ticket) throws InvalidRecordException {
    String text = text(ticket, Field.UNITS);
    if (text == null) {
      return null;
    }
    if (!isDigits(text.trim(), 9)) {
      throw new InvalidRecordException("units", text, "must be a whole number");
    }
    return Integer.parseInt(text.trim());
  }

  private static BigDecimal cost(Ticket ticket) throws InvalidRecordException {
    String value = ticket.text(Field.COST);
    if (value == null || value.isBlank()) {
      return null;
    }
    try {
      // A number's text is canonical; some firmware prints a decimal comma (1,20) in a text.
      return ticket.kind(Field.COST) == JsonToken.VALUE_STRING
          ? new BigDecimal(value.trim().replace(',', '.')) : new BigDecimal(value);
    } catch (NumberFormatException e) {
      throw new InvalidRecordException("cost", value, "must be a decimal number");
    }
  }

  private static String requiredText(Ticket ticket, Field field)
      throws InvalidRecordException {
    String text = text(ticket, field);
    if (text == null || text.isBlank()) {
      throw new InvalidRecordException(field.wireName, text, "is required");
    }
    return text;
  }

  /** Returns a field as text (numbers included), or null when absent, null or empty. */
  private static String text(Ticket ticket, Field field) throws InvalidRecordException {
    JsonToken kind = ticket.kind(field);
    if (kind == JsonToken.START_OBJECT || kind == JsonToken.START_ARRAY) {
      throw new InvalidRecordException(field.wireName, ticket.text(field),
          "must be a text or a number");
    }
    String text = ticket.text(field);
    return text == null || text.isEmpty() ? null : text;
  }

  private static String abbreviate(Ticket ticket) {
    String text = ticket.rawJson();
    return text.length() > 80 ? text.substring(0, 80) + "..." : text;
  }
}
