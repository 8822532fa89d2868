package io.natalia.oxo.traffic;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.zone.ZoneRules;
import java.util.LinkedHashMap;

/**
 * Writes a leg as the PBX prints it: the JSON record without {@code ticketId}, times local to
 * the PBX without zone, durations as {@code hh:mm:ss}. Not thread-safe: it caches the last
 * formatted day.
 */
final class TicketFields {

  /** Room for the 13 fields of a ticket without the map growing. */
  private static final int FIELD_CAPACITY = 24;

  private final ZoneRules rules;
  private final boolean maskLastDigits;
  private final boolean printAnswered;

  /** The last local day formatted, since consecutive tickets mostly share it. */
  private final char[] cachedDate = new char[10];
  private long cachedEpochDay = Long.MIN_VALUE;

  TicketFields(TrafficSettings settings) {
    this.rules = settings.zone().getRules();
    this.maskLastDigits = settings.maskLastDigits();
    this.printAnswered = settings.printUnansweredIncoming();
  }

  ObjectNode of(SimulatedLeg leg) {
    SimulatedCall call = leg.call;
    ObjectNode fields =
        new ObjectNode(JsonNodeFactory.instance, new LinkedHashMap<>(FIELD_CAPACITY));
    fields.put("type", call.direction.ticketType);
    fields.put("initialUser", leg.initialUser);
    fields.put("chargedUser", leg.chargedUser);
    fields.put("subscriberName", leg.subscriberName);
    if (call.trunk != null) {
      fields.put("line", call.trunk);
    }
    fields.put("startTime", localTime(leg.startEpochSecond));
    fields.put("ringDuration", duration(leg.ringSeconds));
    fields.put("duration", duration(leg.talkSeconds));
    if (call.externalNumber != null) {
      String number = maskLastDigits ? NumberPlan.mask(call.externalNumber) : call.externalNumber;
      boolean incoming = call.direction == SimulatedCall.Direction.INCOMING;
      fields.put(incoming ? "callingNumber" : "dialledNumber", number);
    }
    fields.put("units", leg.units);
    fields.put("cost", BigDecimal.valueOf(leg.costCents, 2));
    if (leg.businessCode != null) {
      fields.put("businessCode", leg.businessCode);
    }
    if (printAnswered) {
      fields.put("answered", leg.answered);
    }
    return fields;
  }

  /** Formats PBX local time as {@code yyyy-MM-ddTHH:mm:ss}, without zone. */
  String localTime(long epochSecond) {
    int offset = rules.getOffset(Instant.ofEpochSecond(epochSecond)).getTotalSeconds();
    long local = epochSecond + offset;
    long day = Math.floorDiv(local, 86_400L);
    int secondOfDay = (int) Math.floorMod(local, 86_400L);
    if (day != cachedEpochDay) {
      writeDate(cachedDate, day);
      cachedEpochDay = day;
    }
    char[] out = new char[19];
    System.arraycopy(cachedDate, 0, out, 0, 10);
    out[10] = 'T';
    writeTwo(out, 11, secondOfDay / 3600);
    out[13] = ':';
    writeTwo(out, 14, secondOfDay / 60 % 60);
    out[16] = ':';
    writeTwo(out, 17, secondOfDay % 60);
    return new String(out);
  }

  /** Formats seconds as {@code hh:mm:ss}; hours go beyond 99 only past four days. */
  static String duration(int seconds) {
    int hours = seconds / 3600;
    String head = hours < 10 ? "0" + hours : Integer.toString(hours);
    char[] tail = new char[6];
    tail[0] = ':';
    writeTwo(tail, 1, seconds / 60 % 60);
    tail[3] = ':';
    writeTwo(tail, 4, seconds % 60);
    return head + new String(tail);
  }

  private static void writeDate(char[] out, long epochDay) {
    LocalDate date = LocalDate.ofEpochDay(epochDay);
    int year = date.getYear();
    out[0] = (char) ('0' + year / 1000 % 10);
    out[1] = (char) ('0' + year / 100 % 10);
    out[2] = (char) ('0' + year / 10 % 10);
    out[3] = (char) ('0' + year % 10);
    out[4] = '-';
    writeTwo(out, 5, date.getMonthValue());
    out[7] = '-';
    writeTwo(out, 8, date.getDayOfMonth());
  }

  private static void writeTwo(char[] out, int at, int value) {
    out[at] = (char) ('0' + value / 10);
    out[at + 1] = (char) ('0' + value % 10);
  }
}
