package io.natalia.agent.pbx.oxo;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * One OXO ticket as read from a page: the text of each field the parser uses, and the ticket's
 * JSON exactly as the PBX sent it.
 *
 * <p>A page is read as a stream of tokens, without a tree. Field values are kept as the text
 * a Jackson tree would return for them ({@code asText()}), because record ids hash that text
 * and must stay the same as when tickets were read through a tree. A field the parser uses
 * that holds an object or an array keeps its JSON, and the first name or text holding a NUL
 * character anywhere in the ticket is remembered, for the parser to reject.
 *
 * <p>JSON can only write a NUL character inside a name or a text as a Unicode escape: a
 * backslash, {@code u} and {@code 0000}. The parser rejects a raw control character. A page
 * without that escape therefore contains no NUL, and the fields the parser does not use are
 * skipped without being decoded.
 */
final class Ticket {
  private static final JsonFactory JSON = new JsonFactory();

  /** The fields of an OXO ticket that the parser reads; every other field stays in raw only. */
  enum Field {
    TICKET_ID("ticketId"), TYPE("type"), START_TIME("startTime"),
    RING_DURATION("ringDuration"), DURATION("duration"), CALLING_NUMBER("callingNumber"),
    DIALLED_NUMBER("dialledNumber"), CHARGED_USER("chargedUser"),
    INITIAL_USER("initialUser"), LINE("line"), SUBSCRIBER_NAME("subscriberName"),
    UNITS("units"), COST("cost"), BUSINESS_CODE("businessCode"), ANSWERED("answered");

    private static final Field[] ALL = values();
    private static final Map<String, Field> BY_NAME = new HashMap<>();
    final String wireName;

    static {
      for (Field field : ALL) {
        BY_NAME.put(field.wireName, field);
      }
    }

    Field(String wireName) {
      this.wireName = wireName;
    }

    static Field named(String name) {
      return BY_NAME.get(name);
    }
  }

  private final String[] texts = new String[Field.ALL.length];
  private final JsonToken[] kinds = new JsonToken[Field.ALL.length];
  private byte[] page;
  private int rawOffset;
  private int rawLength;
  private boolean object;
  /** The first name or text holding a NUL character, or null. */
  private String textWithNul;

  private Ticket() {}

  /**
   * Reads a page: a JSON array of tickets, or an object whose {@code records} field is one.
   *
   * @throws IOException when the page is not JSON or has neither shape; the message names the
   *     shape found
   */
  static List<Ticket> readPage(byte[] page) throws IOException {
    boolean mayContainNul = containsNulEscape(page);
    List<Ticket> tickets = new ArrayList<>();
    try (JsonParser parser = JSON.createParser(page)) {
      JsonToken first = parser.nextToken();
      if (first == JsonToken.START_OBJECT && !skipToRecords(parser)) {
        throw new IOException("not a JSON array of records");
      } else if (first != JsonToken.START_OBJECT && first != JsonToken.START_ARRAY) {
        throw new IOException("not a JSON array of records");
      }
      for (JsonToken token = parser.nextToken(); token != JsonToken.END_ARRAY;
          token = parser.nextToken()) {
        if (token == null) {
          throw new IOException("unexpected end of the records array");
        }
        tickets.add(readOne(parser, page, mayContainNul));
      }
    }
    return tickets;
  }

  /**
   * Returns the text of a field as a tree's {@code asText()} gives it, or the field's JSON when
   * it holds an object or an array, or null when absent or null.
   */
  String text(Field field) {
    return texts[field.ordinal()];
  }

  /**
   * Returns the first token of a field's value (a scalar, or the start of an object or an
   * array), or null when absent or null.
   */
  JsonToken kind(Field field) {
    return kinds[field.ordinal()];
  }

  /** Returns whether the ticket is a JSON object. */
  boolean isObject() {
    return object;
  }

  /** Returns the first field name or text value in the ticket that holds NUL, or null. */
  String textWithNul() {
    return textWithNul;
  }

  /** Returns the ticket exactly as the PBX sent it. */
  String rawJson() {
    return new String(page, rawOffset, rawLength, StandardCharsets.UTF_8);
  }

  /** Returns the page that holds the ticket; the ticket is at {@link #rawOffset()}. */
  byte[] page() {
    return page;
  }

  /** Returns where the ticket's UTF-8 JSON starts in {@link #page()}. */
  int rawOffset() {
    return rawOffset;
  }

  /** Returns the length of the ticket's UTF-8 JSON in {@link #page()}. */
  int rawLength() {
    return rawLength;
  }

  @Override
  public String toString() {
    return rawJson();
  }

  private static boolean skipToRecords(JsonParser parser) throws IOException {
    while (parser.nextToken() == JsonToken.FIELD_NAME) {
      String name = parser.currentName();
      JsonToken value = parser.nextToken();
      if ("records".equals(name) && value == JsonToken.START_ARRAY) {
        return true;
      }
      parser.skipChildren();
    }
    return false;
  }

  /** Reads the value at the current token, which starts one element of the records array. */
  private static Ticket readOne(JsonParser parser, byte[] page, boolean mayContainNul)
      throws IOException {
    int start = (int) parser.currentTokenLocation().getByteOffset();
    Ticket ticket = new Ticket();
    if (parser.currentToken() == JsonToken.START_OBJECT) {
      ticket.object = true;
      ticket.readFields(parser, page, mayContainNul);
    } else if (parser.currentToken() == JsonToken.START_ARRAY) {
      parser.skipChildren();
    } else {
      // Completes the token, so that the location below is past its end.
      parser.getText();
    }
    ticket.page = page;
    ticket.rawOffset = start;
    ticket.rawLength = end(parser) - start;
    return ticket;
  }

  private void readFields(JsonParser parser, byte[] page, boolean mayContainNul)
      throws IOException {
    while (parser.nextToken() == JsonToken.FIELD_NAME) {
      String name = parser.currentName();
      JsonToken value = parser.nextToken();
      Field field = Field.named(name);
      if (field == null && !mayContainNul) {
        // Neither kept nor checked: a text is skipped by the next token without decoding.
        parser.skipChildren();
        continue;
      }
      if (textWithNul == null && name.indexOf('\0') >= 0) {
        textWithNul = name;
      }
      if (value == JsonToken.START_OBJECT || value == JsonToken.START_ARRAY) {
        int valueStart = (int) parser.currentTokenLocation().getByteOffset();
        String nested = firstNulInside(parser);
        textWithNul = textWithNul == null ? nested : textWithNul;
        if (field != null) {
          texts[field.ordinal()] = slice(page, valueStart, end(parser));
          kinds[field.ordinal()] = value;
        }
        continue;
      }
      String text = scalarText(parser, value);
      if (textWithNul == null && value == JsonToken.VALUE_STRING && text.indexOf('\0') >= 0) {
        textWithNul = text;
      }
      if (field != null) {
        // A later duplicate wins, as it does in a tree.
        texts[field.ordinal()] = text;
        kinds[field.ordinal()] = value == JsonToken.VALUE_NULL ? null : value;
      }
    }
  }

  /**
   * Returns a scalar's text as {@code JsonNode.asText()} returns it for the node a tree would
   * build: numbers in their canonical form (an integer as {@code Long.toString}, any other
   * number as {@code Double.toString}), null as null.
   */
  private static String scalarText(JsonParser parser, JsonToken value) throws IOException {
    return switch (value) {
      case VALUE_STRING -> parser.getText();
      case VALUE_NUMBER_INT -> parser.getNumberValue().toString();
      case VALUE_NUMBER_FLOAT -> Double.toString(parser.getDoubleValue());
      case VALUE_TRUE -> "true";
      case VALUE_FALSE -> "false";
      default -> null;
    };
  }

  /** Skips the object or array at the current token; returns its first text with NUL or null. */
  private static String firstNulInside(JsonParser parser) throws IOException {
    String found = null;
    int depth = 1;
    while (depth > 0) {
      JsonToken token = parser.nextToken();
      if (token == JsonToken.START_OBJECT || token == JsonToken.START_ARRAY) {
        depth++;
      } else if (token == JsonToken.END_OBJECT || token == JsonToken.END_ARRAY) {
        depth--;
      } else if (found == null && (token == JsonToken.FIELD_NAME
          || token == JsonToken.VALUE_STRING) && parser.getText().indexOf('\0') >= 0) {
        found = parser.getText();
      }
    }
    return found;
  }

  /** Returns whether {@code page} contains a backslash followed by {@code u0000}. */
  private static boolean containsNulEscape(byte[] page) {
    for (int i = 0; i + 5 < page.length; i++) {
      if (page[i] == '\\' && page[i + 1] == 'u' && page[i + 2] == '0' && page[i + 3] == '0'
          && page[i + 4] == '0' && page[i + 5] == '0') {
        return true;
      }
    }
    return false;
  }

  /** Returns the offset just past the current token. */
  private static int end(JsonParser parser) {
    return (int) parser.currentLocation().getByteOffset();
  }

  private static String slice(byte[] page, int start, int end) {
    return new String(page, start, end - start, StandardCharsets.UTF_8);
  }
}
