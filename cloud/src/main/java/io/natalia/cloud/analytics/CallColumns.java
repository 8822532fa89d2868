package io.natalia.cloud.analytics;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;

/**
 * The columns of one call as {@code COPY ... TO STDOUT} printed them, unescaped, as UTF-8
 * bytes: what an export reads when it writes bytes without building a {@link CallRow}.
 * The column numbers are the constants below; times read {@code 2026-03-29 08:31:12[.5]+00}
 * (UTC, up to six fraction digits). Valid only during the visit that received it, because the
 * next row reuses the same array. Not thread-safe.
 */
public final class CallColumns {
  public static final int ID = 0;
  public static final int PBX_ID = 1;
  public static final int DIRECTION = 2;
  public static final int STARTED_AT = 3;
  public static final int ENDED_AT = 4;
  /** {@code t} or {@code f}. */
  public static final int ANSWERED = 5;
  public static final int TIME_TO_ANSWER_SECONDS = 6;
  public static final int RING_SECONDS = 7;
  public static final int TALK_SECONDS = 8;
  /** A plain decimal ({@code 1.20}), as PostgreSQL prints a numeric. */
  public static final int COST = 9;
  public static final int NUMBER_LAST4 = 10;
  public static final int TRUNK = 11;
  public static final int INITIAL_TARGET = 12;
  public static final int ANSWERING_EXTENSION = 13;
  public static final int LEG_COUNT = 14;
  /** The ids of the legs separated by one space. */
  public static final int LEG_IDS = 15;
  public static final int NUMBER_PSEUDONYM = 16;
  /** How many columns a row has. */
  public static final int COUNT = 17;

  /** Length of {@code 2026-03-29 08:31:12}. */
  private static final int SECONDS_LENGTH = 19;

  private byte[] bytes;
  private final int[] starts = new int[COUNT];
  private final int[] ends = new int[COUNT];
  private final boolean[] nulls = new boolean[COUNT];
  private final byte[] utcDate = new byte[10];
  private long utcEpochDay = Long.MIN_VALUE;

  CallColumns() {}

  /** Returns the array holding the values; {@link #start} and {@link #end} index into it. */
  public byte[] bytes() {
    return bytes;
  }

  /** Returns the index of the first byte of a column's value. */
  public int start(int column) {
    return starts[column];
  }

  /** Returns the index after the last byte of a column's value. */
  public int end(int column) {
    return ends[column];
  }

  /** Returns whether a column is SQL null; its value is then empty. */
  public boolean isNull(int column) {
    return nulls[column];
  }

  /** Returns a column's value as text, or null for SQL null. */
  public String text(int column) {
    return nulls[column] ? null
        : new String(bytes, starts[column], ends[column] - starts[column],
            StandardCharsets.UTF_8);
  }

  /** Returns the value of an integer column. */
  public int intValue(int column) {
    int i = starts[column];
    boolean negative = i < ends[column] && bytes[i] == '-';
    if (negative) {
      i++;
    }
    if (i == ends[column] || ends[column] - i > 10) {
      throw notA("an integer", column);
    }
    long value = 0;
    for (; i < ends[column]; i++) {
      int digit = bytes[i] - '0';
      if (digit < 0 || digit > 9) {
        throw notA("an integer", column);
      }
      value = value * 10 + digit;
    }
    value = negative ? -value : value;
    if (value != (int) value) {
      throw notA("an integer", column);
    }
    return (int) value;
  }

  /**
   * Returns the whole seconds since the epoch of a time column, after checking that it reads
   * {@code yyyy-MM-dd HH:mm:ss[.ffffff]+00}.
   */
  public long epochSecond(int column) {
    int at = starts[column];
    checkTime(column);
    if (!sameUtcDate(at)) {
      utcEpochDay = LocalDate.of(digits(at, 4), digits(at + 5, 2), digits(at + 8, 2))
          .toEpochDay();
      System.arraycopy(bytes, at, utcDate, 0, utcDate.length);
    }
    int hour = digits(at + 11, 2);
    int minute = digits(at + 14, 2);
    int second = digits(at + 17, 2);
    if (hour > 23 || minute > 59 || second > 59) {
      throw notA("a UTC time", column);
    }
    return utcEpochDay * 86_400 + hour * 3_600 + minute * 60 + second;
  }

  /**
   * Returns the fraction of a second of a time column in microseconds: {@code .5} is 500 000.
   * Call after {@link #epochSecond}, which checks the column.
   */
  public int micros(int column) {
    int from = starts[column] + SECONDS_LENGTH + 1;
    int to = ends[column] - 3;
    int micros = 0;
    for (int i = from; i < from + 6; i++) {
      micros = micros * 10 + (i < to ? bytes[i] - '0' : 0);
    }
    return micros;
  }

  /** Returns a time column as an instant. */
  public Instant instant(int column) {
    return Instant.ofEpochSecond(epochSecond(column), micros(column) * 1_000L);
  }

  /** Builds the call of this row. */
  public CallRow toCallRow() {
    return new CallRow(text(ID), text(PBX_ID), text(DIRECTION), instant(STARTED_AT),
        instant(ENDED_AT), answered(), isNull(TIME_TO_ANSWER_SECONDS) ? null
            : intValue(TIME_TO_ANSWER_SECONDS),
        intValue(RING_SECONDS), intValue(TALK_SECONDS),
        isNull(COST) ? null : new BigDecimal(text(COST)), text(NUMBER_LAST4), text(TRUNK),
        text(INITIAL_TARGET), text(ANSWERING_EXTENSION), intValue(LEG_COUNT),
        List.of(text(LEG_IDS).split(" ")));
  }

  /** Returns whether the call was answered. */
  public boolean answered() {
    return ends[ANSWERED] - starts[ANSWERED] == 1 && bytes[starts[ANSWERED]] == 't';
  }

  /**
   * Splits a line of the COPY text format into its columns and removes the backslash escapes
   * in place (a value only shrinks).
   *
   * @throws IllegalStateException when the line does not have {@link #COUNT} columns
   */
  void read(byte[] line, int length) {
    this.bytes = line;
    int column = 0;
    int write = 0;
    starts[0] = 0;
    nulls[0] = false;
    for (int read = 0; read <= length; read++) {
      byte b = read == length ? (byte) '\t' : line[read];
      if (b == '\t') {
        if (column == COUNT) {
          throw new IllegalStateException("a COPY row has more than " + COUNT + " columns");
        }
        ends[column] = write;
        column++;
        if (column < COUNT) {
          starts[column] = write;
          nulls[column] = false;
        }
      } else if (b == '\\' && read + 1 < length) {
        read++;
        if (line[read] == 'N' && write == starts[column] && endsValue(line, read + 1, length)) {
          nulls[column] = true;
        } else {
          line[write++] = unescape(line[read]);
        }
      } else {
        line[write++] = b;
      }
    }
    if (column != COUNT) {
      throw new IllegalStateException(
          "a COPY row has " + column + " columns instead of " + COUNT);
    }
  }

  private static boolean endsValue(byte[] line, int next, int length) {
    return next == length || line[next] == '\t';
  }

  private static byte unescape(byte escaped) {
    return switch (escaped) {
      case 'b' -> '\b';
      case 'f' -> '\f';
      case 'n' -> '\n';
      case 'r' -> '\r';
      case 't' -> '\t';
      case 'v' -> 0x0b;
      default -> escaped;
    };
  }

  private void checkTime(int column) {
    int at = starts[column];
    int length = ends[column] - at;
    boolean valid = !nulls[column] && length >= SECONDS_LENGTH + 3 && length != SECONDS_LENGTH + 4
        && length <= SECONDS_LENGTH + 10 && bytes[at + 4] == '-' && bytes[at + 7] == '-'
        && bytes[at + 10] == ' ' && bytes[at + 13] == ':' && bytes[at + 16] == ':'
        && bytes[ends[column] - 3] == '+' && bytes[ends[column] - 2] == '0'
        && bytes[ends[column] - 1] == '0'
        && (length == SECONDS_LENGTH + 3 || bytes[at + SECONDS_LENGTH] == '.');
    for (int i = at + SECONDS_LENGTH + 1; valid && i < ends[column] - 3; i++) {
      valid = bytes[i] >= '0' && bytes[i] <= '9';
    }
    if (!valid) {
      throw notA("a UTC time", column);
    }
  }

  private boolean sameUtcDate(int at) {
    for (int i = 0; i < utcDate.length; i++) {
      if (bytes[at + i] != utcDate[i]) {
        return false;
      }
    }
    return utcEpochDay != Long.MIN_VALUE;
  }

  private int digits(int at, int count) {
    int value = 0;
    for (int i = at; i < at + count; i++) {
      int digit = bytes[i] - '0';
      if (digit < 0 || digit > 9) {
        throw new IllegalStateException("not a UTC time of PostgreSQL: "
            + new String(bytes, at, count, StandardCharsets.UTF_8));
      }
      value = value * 10 + digit;
    }
    return value;
  }

  private IllegalStateException notA(String kind, int column) {
    return new IllegalStateException("column " + (column + 1) + " of a COPY row is not " + kind
        + ": " + (nulls[column] ? "null" : text(column)));
  }
}
