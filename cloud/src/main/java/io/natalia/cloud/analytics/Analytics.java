package io.natalia.cloud.analytics;

import io.natalia.cloud.tenant.Tenant;
import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;
import org.postgresql.PGConnection;

/**
 * The call analytics of a tenant: every figure the dashboard and the API show, computed in SQL
 * over the stitched {@code call} table (and {@code call_record} for per-ticket figures) as
 * docs/metrics.md defines them.
 *
 * <p>Ranges are half-open ({@code [from, to)}) and buckets are cut in the tenant's time zone,
 * so a day of a DST change lasts 23 or 25 hours. Every query filters on the tenant's id.
 * Thread-safe; each call borrows one connection.
 */
public final class Analytics {
  /** Largest page of the call log and the missed-call list. */
  public static final int MAX_PAGE_SIZE = 500;
  /** Largest n of {@link #top}. */
  public static final int MAX_TOP = 1_000;
  /** Columns of the COPY of {@link #forEachCallColumns}, numbered as {@link CallColumns}. */
  private static final String COPY_COLUMNS = "c.id, c.pbx_id, c.direction, c.started_at,"
      + " c.ended_at, c.answered, c.time_to_answer_seconds, c.ring_seconds, c.talk_seconds,"
      + " c.cost, c.number_last4, c.trunk, c.initial_target, c.answering_extension,"
      + " c.leg_count, array_to_string(c.leg_ids, ' '), c.number_pseudonym";
  /** Rows a streaming cursor fetches per round trip. */
  static final int CURSOR_FETCH_SIZE = 2_000;

  private static final String INCOMING = "c.direction = 'incoming'";
  private static final String ANSWERED_IN = INCOMING + " AND c.answered";
  // Limitation: see docs/known-limitations.md#unanswered-tickets
  private static final String MISSED = INCOMING + " AND NOT c.answered";

  /**
   * The first return of missed call {@code c}: an outgoing call to its number, or an incoming
   * call from it that was answered, starting after it and within the window (parameter, in
   * seconds).
   */
  private static final String FIRST_RETURN = """
      SELECT r.started_at,
             CASE WHEN r.direction = 'outgoing' THEN r.initial_target
                  ELSE r.answering_extension END AS returned_by
      FROM call r
      WHERE r.tenant_id = c.tenant_id AND r.number_pseudonym = c.number_pseudonym
        AND r.started_at > c.started_at
        AND r.started_at <= c.started_at + ? * interval '1 second'
        AND (r.direction = 'outgoing' OR (r.direction = 'incoming' AND r.answered))
      ORDER BY r.started_at LIMIT 1""";

  /**
   * Whether missed call {@code c} was returned within the callback window (the one parameter,
   * in seconds), from the first return stored with it by the triggers on {@code call}.
   */
  private static final String RETURNED = "(c.first_return_at IS NOT NULL"
      + " AND c.first_return_at <= c.started_at + ? * interval '1 second')";
  private static final String UNRETURNED = MISSED + " AND NOT " + RETURNED;

  /** The same as {@link #UNRETURNED}, looking for the first return at query time. */
  private static final String UNRETURNED_AT_QUERY_TIME = MISSED + " AND NOT EXISTS ("
      + FIRST_RETURN + ")";

  private static final String FIGURES = """
      SELECT %s AS bucket,
        count(*),
        count(*) FILTER (WHERE %s),
        count(*) FILTER (WHERE %s),
        count(*) FILTER (WHERE %s),
        count(*) FILTER (WHERE c.unreturned),
        count(*) FILTER (WHERE c.direction = 'outgoing'),
        count(*) FILTER (WHERE c.direction = 'internal'),
        avg(c.time_to_answer_seconds) FILTER (WHERE %3$s),
        percentile_disc(0.9) WITHIN GROUP (ORDER BY c.time_to_answer_seconds)
          FILTER (WHERE %3$s),
        coalesce(sum(c.talk_seconds), 0),
        avg(c.talk_seconds) FILTER (WHERE c.answered),
        coalesce(sum(c.cost), 0),
        coalesce(sum(c.leg_count), 0)
      FROM (
        SELECT c.started_at, c.direction, c.answered, c.time_to_answer_seconds,
          c.talk_seconds, c.cost, c.leg_count, (%5$s) AS unreturned
        FROM call c WHERE %6$s
      ) c
      GROUP BY bucket ORDER BY bucket
      """;

  private final DataSource dataSource;
  /** Whether every figure is computed from the calls at query time (the tests' reference). */
  private final boolean queryTimeOnly;

  public Analytics(DataSource dataSource) {
    this(dataSource, false);
  }

  /**
   * @param queryTimeOnly whether to compute every figure from the calls at query time and
   *     stream exports from a cursor. The tests compare the sums, the stored first returns and
   *     the COPY with this reference.
   */
  Analytics(DataSource dataSource, boolean queryTimeOnly) {
    this.dataSource = dataSource;
    this.queryTimeOnly = queryTimeOnly;
  }

  /** Returns the headline figures of the calls of a range that match the filter. */
  public Summary summary(Tenant tenant, TimeRange range, CallFilter filter) {
    Figures all = summaryFigures(tenant, range, filter);
    return new Summary(range, all.calls(), all.tickets(), all.incoming(), all.answered(),
        all.missed(), all.unreturned(), all.outgoing(), all.internal(), all.avgTimeToAnswer(),
        all.p90TimeToAnswer(), all.talkSeconds(), all.avgTalk(), all.cost(), tenant.currency());
  }

  /**
   * Returns the figures of every bucket the range touches, in order, empty buckets included.
   * The first and last buckets are cut by the range when it does not start or end on a bucket
   * boundary.
   */
  public List<SeriesPoint> timeSeries(Tenant tenant, TimeRange range, CallFilter filter,
      Bucket bucket) {
    List<Instant> starts = bucket.starts(range, tenant.timeZone());
    Map<Integer, Figures> byBucket = new HashMap<>();
    for (Figures f : seriesFigures(tenant, range, filter, starts)) {
      byBucket.put(f.bucket(), f);
    }
    List<SeriesPoint> points = new ArrayList<>(starts.size());
    for (int i = 0; i < starts.size(); i++) {
      Instant start = starts.get(i);
      Instant end = i + 1 < starts.size() ? starts.get(i + 1) : range.to();
      Figures f = byBucket.getOrDefault(i + 1, Figures.EMPTY);
      points.add(new SeriesPoint(start, end, start.atZone(tenant.timeZone()).toOffsetDateTime(),
          f.calls(), f.incoming(), f.answered(), f.missed(), f.unreturned(), f.outgoing(),
          f.internal(), f.avgTimeToAnswer(), f.talkSeconds(), f.cost()));
    }
    return points;
  }

  /** Returns a page of the calls of a range that match the filter, newest first. */
  public CallPage calls(Tenant tenant, TimeRange range, CallFilter filter, int page, int size) {
    checkPage(page, size);
    CallSql where = CallSql.where(tenant.id(), range, filter);
    String sql = "SELECT " + CallSql.ROW_COLUMNS + " FROM call c WHERE " + where.condition()
        + " ORDER BY c.started_at DESC, c.id DESC LIMIT ? OFFSET ?";
    try (Connection connection = dataSource.getConnection()) {
      long total = useRollups(filter) ? Rollups.count(connection, tenant, range)
          : count(connection, where);
      List<CallRow> calls = new ArrayList<>();
      try (PreparedStatement select = connection.prepareStatement(sql)) {
        int next = where.bind(select, 1);
        select.setInt(next, size);
        select.setLong(next + 1, (long) page * size);
        try (ResultSet rows = select.executeQuery()) {
          while (rows.next()) {
            calls.add(CallSql.row(rows));
          }
        }
      }
      return new CallPage(calls, page, size, total);
    } catch (SQLException e) {
      throw failure("the call log", tenant, e);
    }
  }

  /**
   * Returns the missed calls of a range that match the filter, each with its callback status:
   * the unreturned ones first, then newest first.
   *
   * @param unreturnedOnly whether to leave out the calls that were returned
   */
  public List<MissedCall> missed(Tenant tenant, TimeRange range, CallFilter filter,
      boolean unreturnedOnly, int page, int size) {
    checkPage(page, size);
    CallSql where = CallSql.where(tenant.id(), range, filter).add(MISSED);
    long windowSeconds = tenant.callbackWindow().toSeconds();
    String sql = !queryTimeOnly ? missedPageSql(where, unreturnedOnly)
        : missedPageAtQueryTimeSql(where, unreturnedOnly);
    try (Connection connection = dataSource.getConnection();
        PreparedStatement select = connection.prepareStatement(sql)) {
      int next = 1;
      if (!queryTimeOnly) {
        select.setLong(next++, windowSeconds);
        next = where.bind(select, next);
        if (unreturnedOnly) {
          select.setLong(next++, windowSeconds);
        }
        select.setInt(next++, size);
        select.setLong(next++, (long) page * size);
        select.setLong(next++, tenant.id());
        select.setLong(next, windowSeconds);
      } else {
        select.setLong(next++, windowSeconds);
        next = where.bind(select, next);
        select.setInt(next, size);
        select.setLong(next + 1, (long) page * size);
      }
      List<MissedCall> missed = new ArrayList<>();
      try (ResultSet rows = select.executeQuery()) {
        while (rows.next()) {
          CallRow call = CallSql.row(rows);
          Timestamp returnedAt = rows.getTimestamp(17);
          missed.add(new MissedCall(call, call.startedAt().plusSeconds(windowSeconds),
              returnedAt == null ? null : returnedAt.toInstant(), rows.getString(18)));
        }
      }
      return missed;
    } catch (SQLException e) {
      throw failure("the missed calls", tenant, e);
    }
  }

  /**
   * The page of missed calls chosen from the {@code call_missed} index and the stored first
   * returns, then read whole and joined with their first return (for who returned them).
   */
  private static String missedPageSql(CallSql where, boolean unreturnedOnly) {
    return "SELECT " + CallSql.ROW_COLUMNS + ", r.started_at, r.returned_by"
        + " FROM (SELECT c.started_at, c.id, " + RETURNED + " AS returned"
        + " FROM call c WHERE " + where.condition()
        + (unreturnedOnly ? " AND NOT " + RETURNED : "")
        + " ORDER BY returned, c.started_at DESC, c.id DESC LIMIT ? OFFSET ?) p"
        + " JOIN call c ON c.tenant_id = ? AND c.started_at = p.started_at AND c.id = p.id"
        + " LEFT JOIN LATERAL (" + FIRST_RETURN + ") r ON true"
        + " ORDER BY p.returned, c.started_at DESC, c.id DESC";
  }

  private static String missedPageAtQueryTimeSql(CallSql where, boolean unreturnedOnly) {
    return "SELECT " + CallSql.ROW_COLUMNS + ", r.started_at, r.returned_by"
        + " FROM call c LEFT JOIN LATERAL (" + FIRST_RETURN + ") r ON true"
        + " WHERE " + where.condition() + (unreturnedOnly ? " AND r.started_at IS NULL" : "")
        + " ORDER BY (r.started_at IS NULL) DESC, c.started_at DESC, c.id DESC"
        + " LIMIT ? OFFSET ?";
  }

  /**
   * The ticket figures per extension computed from the tickets of a range at query time: the
   * {@code legs} of {@link #byExtension} when the ticket sums are not used.
   */
  private static final String EXTENSION_TICKETS_AT_QUERY_TIME = """
      SELECT extension,
        (array_agg(extension_name ORDER BY started_at DESC)
          FILTER (WHERE extension_name IS NOT NULL))[1] AS name,
        count(*) FILTER (WHERE direction = 'incoming' AND answered) AS answered,
        count(*) FILTER (WHERE direction = 'outgoing') AS outgoing,
        count(*) FILTER (WHERE direction = 'internal') AS internal,
        avg(ring_seconds) FILTER (WHERE direction = 'incoming' AND answered) AS tta,
        sum(talk_seconds) AS talk, coalesce(sum(cost), 0) AS cost
      FROM call_record
      WHERE tenant_id = ? AND started_at >= ? AND started_at < ?
        AND extension IS NOT NULL AND extension !~ '^G[0-9]+$'
      GROUP BY extension
      """;

  /** Returns what each extension did in a range, by extension. */
  public List<ExtensionStats> byExtension(Tenant tenant, TimeRange range) {
    String sql = """
        WITH legs AS (%s), missed AS (
          SELECT c.initial_target AS extension, count(*) AS missed FROM call c
          WHERE c.tenant_id = ? AND c.started_at >= ? AND c.started_at < ? AND %s
            AND c.initial_target IS NOT NULL AND c.initial_target !~ '^G[0-9]+$'
          GROUP BY c.initial_target
        )
        SELECT extension, l.name, coalesce(l.answered, 0), coalesce(m.missed, 0),
          coalesce(l.outgoing, 0), coalesce(l.internal, 0), l.tta, coalesce(l.talk, 0),
          coalesce(l.cost, 0)
        FROM legs l FULL JOIN missed m USING (extension)
        ORDER BY extension
        """.formatted(!queryTimeOnly ? Rollups.EXTENSION_TICKETS : EXTENSION_TICKETS_AT_QUERY_TIME,
        MISSED);
    return query(tenant, "the extension table", sql, statement -> {
      int next = !queryTimeOnly ? Rollups.bindTicketDays(statement, 1, tenant, range)
          : bindRange(statement, 1, tenant, range);
      bindRange(statement, next, tenant, range);
    }, rows -> new ExtensionStats(rows.getString(1), rows.getString(2), rows.getLong(3),
        rows.getLong(4), rows.getLong(5), rows.getLong(6), Figures.doubleOrNull(rows, 7),
        rows.getLong(8), rows.getBigDecimal(9)));
  }

  /** Returns the incoming calls that rang each hunt group first, by group. */
  public List<HuntGroupStats> byHuntGroup(Tenant tenant, TimeRange range) {
    if (!queryTimeOnly) {
      try (Connection connection = dataSource.getConnection()) {
        return Rollups.huntGroups(connection, tenant, range);
      } catch (SQLException e) {
        throw failure("the hunt group table", tenant, e);
      }
    }
    String sql = """
        SELECT c.initial_target, count(*), count(*) FILTER (WHERE c.answered),
          count(*) FILTER (WHERE NOT c.answered),
          avg(c.time_to_answer_seconds) FILTER (WHERE c.answered),
          percentile_disc(0.9) WITHIN GROUP (ORDER BY c.time_to_answer_seconds)
            FILTER (WHERE c.answered),
          coalesce(sum(c.talk_seconds), 0)
        FROM call c
        WHERE c.tenant_id = ? AND c.started_at >= ? AND c.started_at < ? AND %s
          AND c.initial_target ~ '^G[0-9]+$'
        GROUP BY c.initial_target
        ORDER BY length(c.initial_target), c.initial_target
        """.formatted(INCOMING);
    return query(tenant, "the hunt group table", sql,
        statement -> bindRange(statement, 1, tenant, range),
        rows -> new HuntGroupStats(rows.getString(1), rows.getLong(2), rows.getLong(3),
            rows.getLong(4), Figures.doubleOrNull(rows, 5), (Integer) rows.getObject(6),
            rows.getLong(7)));
  }

  /** Returns the use of each trunk in a range, with its peak concurrency, by trunk. */
  public List<TrunkStats> byTrunk(Tenant tenant, TimeRange range) {
    if (!queryTimeOnly) {
      try (Connection connection = dataSource.getConnection()) {
        return TrunkLevels.byTrunk(connection, tenant, range);
      } catch (SQLException e) {
        throw failure("the trunk table", tenant, e);
      }
    }
    // The reference: one sweep over every call that overlaps the range, however long ago it
    // started. A call that ends when it starts is never in progress.
    String sql = """
        WITH ev AS (
          SELECT c.trunk, c.started_at AS t, 1 AS d FROM call c
          WHERE c.tenant_id = ? AND c.trunk IS NOT NULL
            AND c.started_at < ? AND c.ended_at > ? AND c.ended_at > c.started_at
          UNION ALL
          SELECT c.trunk, c.ended_at, -1 FROM call c
          WHERE c.tenant_id = ? AND c.trunk IS NOT NULL
            AND c.started_at < ? AND c.ended_at > ? AND c.ended_at < ?
            AND c.ended_at > c.started_at
        ), level AS (
          SELECT trunk, t, d,
            sum(d) OVER (PARTITION BY trunk ORDER BY t, d ROWS UNBOUNDED PRECEDING) AS n
          FROM ev
        ), peak AS (
          SELECT trunk, max(n) AS peak,
            (array_agg(greatest(t, ?) ORDER BY n DESC, t))[1] AS peak_at
          FROM level WHERE d = 1 GROUP BY trunk
        ), used AS (
          SELECT c.trunk, count(*) AS calls,
            count(*) FILTER (WHERE c.direction = 'incoming') AS incoming,
            count(*) FILTER (WHERE c.direction = 'outgoing') AS outgoing,
            coalesce(sum(c.talk_seconds), 0) AS talk, coalesce(sum(c.cost), 0) AS cost
          FROM call c
          WHERE c.tenant_id = ? AND c.started_at >= ? AND c.started_at < ?
            AND c.trunk IS NOT NULL
          GROUP BY c.trunk
        )
        SELECT trunk, coalesce(u.calls, 0), coalesce(u.incoming, 0), coalesce(u.outgoing, 0),
          coalesce(u.talk, 0), coalesce(u.cost, 0), coalesce(p.peak, 0), p.peak_at
        FROM peak p FULL JOIN used u USING (trunk)
        ORDER BY trunk COLLATE "C"
        """;
    Timestamp from = Timestamp.from(range.from());
    Timestamp to = Timestamp.from(range.to());
    return query(tenant, "the trunk table", sql, statement -> {
      bindAll(statement, 1, tenant.id(), to, from, tenant.id(), to, from, to, from);
      bindRange(statement, 9, tenant, range);
    }, rows -> {
      Timestamp peakAt = rows.getTimestamp(8);
      return new TrunkStats(rows.getString(1), rows.getLong(2), rows.getLong(3),
          rows.getLong(4), rows.getLong(5), rows.getBigDecimal(6), rows.getInt(7),
          peakAt == null ? null : peakAt.toInstant());
    });
  }

  /** Returns the cost of the tickets of a range grouped as asked, costliest first. */
  public List<CostLine> costs(Tenant tenant, TimeRange range, CostBy by) {
    String key = switch (by) {
      case EXTENSION -> "extension";
      case BUSINESS_CODE -> "business_code";
      case DESTINATION_TYPE -> "destination_type";
    };
    if (!queryTimeOnly) {
      return query(tenant, "the costs by " + key, Rollups.COSTS.formatted(key, CostLine.NONE),
          statement -> Rollups.bindTicketDays(statement, 1, tenant, range),
          Analytics::costLine);
    }
    String sql = """
        SELECT coalesce(%s, '%s') AS key, count(*), coalesce(sum(units), 0),
          coalesce(sum(cost), 0) AS cost
        FROM call_record
        WHERE tenant_id = ? AND started_at >= ? AND started_at < ?
        GROUP BY key ORDER BY cost DESC, key
        """.formatted(key, CostLine.NONE);
    return query(tenant, "the costs by " + key, sql,
        statement -> bindRange(statement, 1, tenant, range), Analytics::costLine);
  }

  private static CostLine costLine(ResultSet rows) throws SQLException {
    return new CostLine(rows.getString(1), rows.getLong(2), rows.getLong(3),
        rows.getBigDecimal(4));
  }

  /**
   * Returns the incoming calls of a range per UTC quarter hour (date_bin of 15 minutes from
   * 2000-01-01Z), for the quarter hours that have some.
   */
  public Map<Instant, Long> incomingPerQuarterHour(Tenant tenant, TimeRange range) {
    try (Connection connection = dataSource.getConnection()) {
      if (!queryTimeOnly) {
        return Rollups.incomingPerQuarterHour(connection, tenant, range);
      }
      return countsAtQueryTime(connection, tenant, range, "date_bin('15 minutes', started_at,"
          + " timestamptz '2000-01-01 00:00:00+00')", "direction = 'incoming'",
          rows -> rows.getTimestamp(1).toInstant());
    } catch (SQLException e) {
      throw failure("the incoming calls per quarter hour", tenant, e);
    }
  }

  /**
   * Returns the answered incoming calls of a range per time to answer in seconds; the key null
   * counts those without a time to answer.
   */
  public Map<Integer, Long> answeredPerTimeToAnswer(Tenant tenant, TimeRange range) {
    try (Connection connection = dataSource.getConnection()) {
      if (!queryTimeOnly) {
        return Rollups.answeredPerTimeToAnswer(connection, tenant, range);
      }
      return countsAtQueryTime(connection, tenant, range, "time_to_answer_seconds",
          "direction = 'incoming' AND answered", rows -> (Integer) rows.getObject(1));
    } catch (SQLException e) {
      throw failure("the answered calls per time to answer", tenant, e);
    }
  }

  private static <K> Map<K, Long> countsAtQueryTime(Connection connection, Tenant tenant,
      TimeRange range, String key, String condition, RowReader<K> keyReader)
      throws SQLException {
    try (PreparedStatement select = connection.prepareStatement("SELECT " + key
        + ", count(*) FROM call WHERE tenant_id = ? AND started_at >= ? AND started_at < ?"
        + " AND " + condition + " GROUP BY 1")) {
      bindRange(select, 1, tenant, range);
      Map<K, Long> counts = new HashMap<>();
      try (ResultSet rows = select.executeQuery()) {
        while (rows.next()) {
          counts.put(keyReader.read(rows), rows.getLong(2));
        }
      }
      return counts;
    }
  }

  /** Returns the {@code n} longest or costliest calls of a range that match the filter. */
  public List<CallRow> top(Tenant tenant, TimeRange range, CallFilter filter, TopBy by, int n) {
    if (n < 1 || n > MAX_TOP) {
      throw new IllegalArgumentException("n must be between 1 and " + MAX_TOP + ": " + n);
    }
    CallSql where = CallSql.where(tenant.id(), range, filter);
    String order = by == TopBy.LONGEST ? "c.talk_seconds DESC" : "c.cost DESC NULLS LAST";
    String sql = "SELECT " + CallSql.ROW_COLUMNS + " FROM call c WHERE " + where.condition()
        + " ORDER BY " + order + ", c.started_at, c.id LIMIT ?";
    return query(tenant, "the top calls", sql,
        statement -> statement.setInt(where.bind(statement, 1), n), CallSql::row);
  }

  /** Receives the calls of {@link #forEachCall} one at a time. */
  @FunctionalInterface
  public interface CallVisitor {
    /**
     * @param numberPseudonym the tenant's pseudonym of the external number, or null
     */
    void visit(CallRow call, String numberPseudonym) throws IOException;
  }

  /**
   * Streams every call of a range that matches the filter, oldest first: memory stays flat
   * however many calls the range holds. In query-time-only mode (the tests' reference), the
   * calls come from a server-side cursor.
   *
   * @return how many calls were visited
   * @throws IOException when the visitor fails (the client went away)
   */
  public long forEachCall(Tenant tenant, TimeRange range, CallFilter filter,
      CallVisitor visitor) throws IOException {
    if (!queryTimeOnly) {
      return forEachCallColumns(tenant, range, filter, columns -> visitor.visit(
          columns.toCallRow(), columns.text(CallColumns.NUMBER_PSEUDONYM)));
    }
    CallSql where = CallSql.where(tenant.id(), range, filter);
    String sql = "SELECT " + CallSql.ROW_COLUMNS + ", c.number_pseudonym FROM call c WHERE "
        + where.condition() + " ORDER BY c.started_at, c.id";
    try (Connection connection = dataSource.getConnection()) {
      // A cursor needs a transaction; the fetch size bounds the rows held at once.
      connection.setAutoCommit(false);
      try (PreparedStatement select = connection.prepareStatement(sql)) {
        select.setFetchSize(CURSOR_FETCH_SIZE);
        where.bind(select, 1);
        long count = 0;
        try (ResultSet rows = select.executeQuery()) {
          while (rows.next()) {
            visitor.visit(CallSql.row(rows), rows.getString(17));
            count++;
          }
        }
        return count;
      } finally {
        connection.rollback();
      }
    } catch (SQLException e) {
      throw failure("the calls to export", tenant, e);
    }
  }

  /** Receives the calls of {@link #forEachCallColumns} one at a time. */
  @FunctionalInterface
  public interface CallColumnsVisitor {
    /** Visits one call; {@code columns} is reused for the next one. */
    void visit(CallColumns columns) throws IOException;
  }

  /**
   * Streams every call of a range that matches the filter, oldest first, as the bytes
   * PostgreSQL's {@code COPY ... TO STDOUT} printed: the server formats rows while this thread
   * reads them, without a round trip per batch of rows, and without an object per call. Always
   * reads COPY, also in query-time-only mode.
   *
   * @return how many calls were visited
   * @throws IOException when the visitor fails (the client went away)
   */
  public long forEachCallColumns(Tenant tenant, TimeRange range, CallFilter filter,
      CallColumnsVisitor visitor) throws IOException {
    CallSql where = CallSql.where(tenant.id(), range, filter);
    String sql = "COPY (SELECT " + COPY_COLUMNS + " FROM call c WHERE "
        + where.literalCondition() + " ORDER BY c.started_at, c.id) TO STDOUT";
    try (Connection connection = dataSource.getConnection()) {
      connection.setAutoCommit(false);
      try (Statement settings = connection.createStatement()) {
        // CopyRows reads times printed in UTC with ISO dates, and CallSql.literalCondition
        // quotes strings for standard_conforming_strings.
        settings.execute("SET LOCAL TimeZone = 'UTC'");
        settings.execute("SET LOCAL DateStyle = 'ISO, YMD'");
        settings.execute("SET LOCAL standard_conforming_strings = on");
        return CopyRows.read(connection.unwrap(PGConnection.class).getCopyAPI().copyOut(sql),
            visitor);
      } finally {
        connection.rollback();
      }
    } catch (SQLException e) {
      throw failure("the calls to export", tenant, e);
    }
  }

  private Figures summaryFigures(Tenant tenant, TimeRange range, CallFilter filter) {
    if (!useRollups(filter)) {
      List<Figures> figures = figures(tenant, range, filter, "0", null);
      return figures.isEmpty() ? Figures.EMPTY : figures.get(0);
    }
    try (Connection connection = dataSource.getConnection()) {
      List<Figures> figures = Rollups.figures(connection, tenant, range, null, UNRETURNED);
      Figures all = figures.isEmpty() ? Figures.EMPTY : figures.get(0);
      return all.withP90TimeToAnswer(Rollups.p90TimeToAnswer(connection, tenant, range));
    } catch (SQLException e) {
      throw failure("the call figures", tenant, e);
    }
  }

  private List<Figures> seriesFigures(Tenant tenant, TimeRange range, CallFilter filter,
      List<Instant> starts) {
    if (!useRollups(filter) || !Rollups.fit(starts)) {
      return figures(tenant, range, filter, "width_bucket(c.started_at, ?::timestamptz[])",
          starts);
    }
    try (Connection connection = dataSource.getConnection()) {
      return Rollups.figures(connection, tenant, range, starts, UNRETURNED);
    } catch (SQLException e) {
      throw failure("the call figures", tenant, e);
    }
  }

  /**
   * Returns whether the sums apply to the calls of this filter: only to unfiltered ones.
   * Limitation: see docs/known-limitations.md#dashboard-latency (filtered figures)
   */
  private boolean useRollups(CallFilter filter) {
    return !queryTimeOnly && filter.equals(CallFilter.NONE);
  }

  /** Computes the figures from the calls of the range at query time. */
  private List<Figures> figures(Tenant tenant, TimeRange range, CallFilter filter,
      String bucketSql, List<Instant> starts) {
    CallSql where = CallSql.where(tenant.id(), range, filter);
    String sql = FIGURES.formatted(bucketSql, INCOMING, ANSWERED_IN, MISSED,
        !queryTimeOnly ? UNRETURNED : UNRETURNED_AT_QUERY_TIME, where.condition());
    return query(tenant, "the call figures", sql, statement -> {
      int next = 1;
      if (starts != null) {
        Timestamp[] bounds = starts.stream().map(Timestamp::from).toArray(Timestamp[]::new);
        statement.setArray(next++, statement.getConnection().createArrayOf("timestamptz",
            bounds));
      }
      statement.setLong(next++, tenant.callbackWindow().toSeconds());
      where.bind(statement, next);
    }, Figures::read);
  }

  private long count(Connection connection, CallSql where) throws SQLException {
    try (PreparedStatement count = connection.prepareStatement(
        "SELECT count(*) FROM call c WHERE " + where.condition())) {
      where.bind(count, 1);
      try (ResultSet rows = count.executeQuery()) {
        rows.next();
        return rows.getLong(1);
      }
    }
  }

  private <T> List<T> query(Tenant tenant, String what, String sql, Binder binder,
      RowReader<T> reader) {
    try (Connection connection = dataSource.getConnection();
        PreparedStatement statement = connection.prepareStatement(sql)) {
      binder.bind(statement);
      List<T> result = new ArrayList<>();
      try (ResultSet rows = statement.executeQuery()) {
        while (rows.next()) {
          result.add(reader.read(rows));
        }
      }
      return result;
    } catch (SQLException e) {
      throw failure(what, tenant, e);
    }
  }

  private static int bindRange(PreparedStatement statement, int first, Tenant tenant,
      TimeRange range) throws SQLException {
    bindAll(statement, first, tenant.id(), Timestamp.from(range.from()),
        Timestamp.from(range.to()));
    return first + 3;
  }

  private static void bindAll(PreparedStatement statement, int first, Object... values)
      throws SQLException {
    for (int i = 0; i < values.length; i++) {
      statement.setObject(first + i, values[i]);
    }
  }

  private static void checkPage(int page, int size) {
    if (page < 0) {
      throw new IllegalArgumentException("page must be 0 or more: " + page);
    }
    if (size < 1 || size > MAX_PAGE_SIZE) {
      throw new IllegalArgumentException(
          "page size must be between 1 and " + MAX_PAGE_SIZE + ": " + size);
    }
  }

  private static AnalyticsException failure(String what, Tenant tenant, SQLException e) {
    return new AnalyticsException("could not compute " + what + " of tenant " + tenant.id()
        + " [" + e.getSQLState() + "]", e);
  }

  @FunctionalInterface
  private interface Binder {
    void bind(PreparedStatement statement) throws SQLException;
  }

  @FunctionalInterface
  private interface RowReader<T> {
    T read(ResultSet rows) throws SQLException;
  }
}
