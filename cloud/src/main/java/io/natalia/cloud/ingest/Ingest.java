package io.natalia.cloud.ingest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.natalia.cdr.CallRecord;
import io.natalia.cdr.CallRecordCodec;
import io.natalia.cdr.IngestResponse;
import io.natalia.cdr.IngestResponse.Rejection;
import io.natalia.cdr.InvalidRecordException;
import io.natalia.cloud.analytics.DestinationType;
import io.natalia.cloud.server.ApiError;
import io.natalia.cloud.server.ApiException;
import io.natalia.cloud.store.Partitions;
import io.natalia.cloud.tenant.PhoneNumbers;
import io.natalia.cloud.tenant.Tenant;
import io.natalia.cloud.tenant.TenantKeys;
import io.natalia.cloud.tenant.Tenants;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Takes one ingest request of an agent: checks the envelope and every record, pseudonymises
 * numbers, stores the new records once, and accounts for every record sent.
 *
 * <p>The tenant comes from the agent key only; nothing in the body can name another tenant.
 * One bad record never refuses the batch: it is rejected with its index, code and reason, and
 * kept in {@code quarantine}. Thread-safe.
 */
public final class Ingest {
  private static final Logger log = LoggerFactory.getLogger(Ingest.class);
  /** Attempts of a batch that lost a deadlock or serialisation race; the next one wins. */
  private static final int ATTEMPTS = 3;
  /** Quarantined payloads above this many bytes of JSON keep only a note, not the record. */
  private static final int MAX_QUARANTINE_PAYLOAD = 64 * 1024;

  private final DataSource dataSource;
  private final Tenants tenants;
  private final RecordWriter writer;
  private final CallRecordCodec codec;
  private final Clock clock;
  private final int maxRecords;
  private final Runnable onStored;

  /**
   * @param onStored called after a batch stored new records (wakes the stitcher)
   */
  public Ingest(DataSource dataSource, Tenants tenants, Partitions partitions, Clock clock,
      int maxRecords, Runnable onStored) {
    this.dataSource = dataSource;
    this.tenants = tenants;
    this.writer = new RecordWriter(dataSource, partitions);
    this.codec = new CallRecordCodec(clock);
    this.clock = clock;
    this.maxRecords = maxRecords;
    this.onStored = onStored;
  }

  /**
   * Ingests a parsed request body for a tenant.
   *
   * @param keyId the agent key that sent it
   * @throws ApiException when the envelope is invalid or the database is unavailable
   */
  public IngestResponse ingest(long tenantId, long keyId, JsonNode body) {
    IngestEnvelope envelope = IngestEnvelope.read(body, maxRecords);
    JsonNode records = envelope.records();
    AgentHealth health = AgentHealth.fromEnvelope(envelope.agent());
    Tenant tenant = tenants.find(tenantId).orElseThrow(
        () -> new ApiException(ApiError.KEY_INVALID, "the key's tenant no longer exists"));
    TenantKeys keys = tenants.keys(tenantId);
    Instant oldest = clock.instant().minus(Duration.ofDays(tenant.retentionDays()));

    List<StoredRecord> valid = new ArrayList<>(records.size());
    List<Rejection> rejected = new ArrayList<>();
    for (int i = 0; i < records.size(); i++) {
      JsonNode node = records.get(i);
      try {
        CallRecord record = codec.fromJson(node);
        if (record.startedAt().isBefore(oldest)) {
          rejected.add(new Rejection(i, ApiError.RECORD_TOO_OLD.code(), "startedAt "
              + record.startedAt() + " is older than the tenant's retention of "
              + tenant.retentionDays() + " days (oldest accepted " + oldest + ")"));
        } else {
          valid.add(prepare(i, record, keys));
        }
      } catch (InvalidRecordException e) {
        rejected.add(new Rejection(i, ApiError.RECORD_INVALID.code(), e.getMessage()));
      }
    }
    return store(tenantId, keyId, envelope, health, valid, rejected, keys);
  }

  private IngestResponse store(long tenantId, long keyId, IngestEnvelope envelope,
      AgentHealth health, List<StoredRecord> valid, List<Rejection> rejected, TenantKeys keys) {
    JsonNode records = envelope.records();
    try {
      long agentId = touchAgent(tenantId, keyId, envelope, health, valid);
      int stored = writeWithRetry(tenantId, agentId, valid);
      if (!rejected.isEmpty()) {
        quarantine(tenantId, agentId, records, rejected, keys);
        log.warn("Tenant {} agent {}: {} of {} records rejected, first: #{} {} {}"
                + " (see the agent's quarantine)", tenantId, agentId, rejected.size(),
            records.size(), rejected.get(0).index(), rejected.get(0).code(),
            rejected.get(0).reason());
      }
      if (stored > 0) {
        onStored.run();
      }
      log.debug("Tenant {} agent {}: {} records, {} stored, {} duplicates, {} rejected",
          tenantId, agentId, records.size(), stored, valid.size() - stored, rejected.size());
      return new IngestResponse(stored, valid.size() - stored, rejected);
    } catch (SQLException | IOException e) {
      String dataState = dataExceptionState(e);
      if (dataState != null) {
        // A value PostgreSQL cannot store fails every retry: answer 400, so the agent splits
        // the batch until the record is alone and quarantines it, instead of retrying forever.
        log.warn("Tenant {}: a value in this batch of {} records cannot be stored"
            + " [NAT-API-008]: {}", tenantId, records.size(), e.getMessage());
        throw new ApiException(ApiError.INVALID_ENVELOPE,
            "a value in this batch cannot be stored (SQLSTATE " + dataState + ")");
      }
      log.warn("Tenant {}: ingest of {} records failed on the database; the agent retries"
          + " [NAT-API-012]", tenantId, records.size(), e);
      throw new ApiException(ApiError.DATABASE_UNAVAILABLE,
          "the database is not available; retry later", Duration.ofSeconds(5));
    }
  }

  private static StoredRecord prepare(int index, CallRecord r, TenantKeys keys) {
    String number = r.externalNumber();
    boolean hasNumber = number != null && !PhoneNumbers.normalize(number).isEmpty();
    String pseudonym = hasNumber ? keys.pseudonym(number) : null;
    String rawJson = null;
    if (r.raw() != null) {
      // The record's raw object belongs to this request's tree: masked in place.
      NumberMasking.mask(r.raw(), number, pseudonym, keys);
      rawJson = r.raw().toString();
    }
    return new StoredRecord(index, r.id(), r.pbxId(), r.ticketId(), r.direction().wireName(),
        r.startedAt(), r.endedAt(), r.ringSeconds(), r.talkSeconds(), r.answered(),
        r.extension(), r.extensionName(), r.initialTarget(), r.trunk(),
        pseudonym,
        hasNumber ? PhoneNumbers.lastFour(number) : null,
        hasNumber ? keys.encryptNumber(number) : null,
        r.units(), r.cost(), r.businessCode(), rawJson,
        hasNumber ? DestinationType.of(number) : null);
  }

  private int writeWithRetry(long tenantId, long agentId, List<StoredRecord> valid)
      throws SQLException, IOException {
    for (int attempt = 1; ; attempt++) {
      try {
        return writer.write(tenantId, agentId, valid);
      } catch (SQLException e) {
        boolean race = "40P01".equals(e.getSQLState()) || "40001".equals(e.getSQLState());
        if (!race || attempt == ATTEMPTS) {
          throw e;
        }
        log.debug("Tenant {}: batch lost a race ({}), attempt {}", tenantId, e.getSQLState(),
            attempt);
      }
    }
  }

  /** Records the agent's last contact and reported health, and its PBX; returns its id. */
  private long touchAgent(long tenantId, long keyId, IngestEnvelope envelope,
      AgentHealth health, List<StoredRecord> valid) throws SQLException {
    Timestamp now = Timestamp.from(clock.instant());
    try (Connection connection = dataSource.getConnection()) {
      long agentId;
      try (PreparedStatement upsert = connection.prepareStatement("""
          INSERT INTO agent (tenant_id, api_key_id, host, version, health, first_seen_at,
                             last_seen_at)
          VALUES (?, ?, ?, ?, ?::jsonb, ?, ?)
          ON CONFLICT (api_key_id) DO UPDATE SET host = excluded.host,
            version = excluded.version, health = excluded.health,
            last_seen_at = excluded.last_seen_at
          RETURNING id""")) {
        upsert.setLong(1, tenantId);
        upsert.setLong(2, keyId);
        upsert.setString(3, envelope.agentHost());
        upsert.setString(4, envelope.agentVersion());
        upsert.setString(5, health.toJson());
        upsert.setTimestamp(6, now);
        upsert.setTimestamp(7, now);
        try (ResultSet rows = upsert.executeQuery()) {
          rows.next();
          agentId = rows.getLong(1);
        }
      }
      String pbxId = envelope.pbxId();
      if (pbxId == null && !valid.isEmpty()) {
        pbxId = valid.get(0).pbxId();
      }
      if (pbxId != null) {
        touchPbx(connection, tenantId, agentId, pbxId, envelope, valid, now);
      }
      return agentId;
    }
  }

  private static void touchPbx(Connection connection, long tenantId, long agentId, String pbxId,
      IngestEnvelope envelope, List<StoredRecord> valid, Timestamp now) throws SQLException {
    Instant newest = null;
    for (StoredRecord record : valid) {
      if (newest == null || record.startedAt().isAfter(newest)) {
        newest = record.startedAt();
      }
    }
    try (PreparedStatement upsert = connection.prepareStatement("""
        INSERT INTO pbx (tenant_id, pbx_id, type, time_zone, agent_id, first_seen_at,
                         last_seen_at, last_record_at)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?)
        ON CONFLICT (tenant_id, pbx_id) DO UPDATE SET
          type = coalesce(excluded.type, pbx.type),
          time_zone = coalesce(excluded.time_zone, pbx.time_zone),
          agent_id = excluded.agent_id, last_seen_at = excluded.last_seen_at,
          last_record_at = greatest(pbx.last_record_at, excluded.last_record_at)""")) {
      upsert.setLong(1, tenantId);
      upsert.setString(2, pbxId);
      upsert.setString(3, envelope.pbxType());
      upsert.setString(4, envelope.pbxTimeZone());
      upsert.setLong(5, agentId);
      upsert.setTimestamp(6, now);
      upsert.setTimestamp(7, now);
      upsert.setTimestamp(8, newest == null ? null : Timestamp.from(newest));
      upsert.executeUpdate();
    }
  }

  private void quarantine(long tenantId, long agentId, JsonNode records,
      List<Rejection> rejected, TenantKeys keys) throws SQLException {
    try (Connection connection = dataSource.getConnection();
        PreparedStatement insert = connection.prepareStatement(
            "INSERT INTO quarantine (tenant_id, agent_id, received_at, record_index, code,"
                + " reason, payload) VALUES (?, ?, ?, ?, ?, ?, ?::jsonb)")) {
      Timestamp now = Timestamp.from(clock.instant());
      for (Rejection rejection : rejected) {
        insert.setLong(1, tenantId);
        insert.setLong(2, agentId);
        insert.setTimestamp(3, now);
        insert.setInt(4, rejection.index());
        insert.setString(5, rejection.code());
        insert.setString(6, rejection.reason());
        insert.setString(7, maskedPayload(records.get(rejection.index()), keys));
        insert.addBatch();
      }
      insert.executeBatch();
    }
  }

  /** Returns the SQLSTATE of a PostgreSQL data exception (class 22) behind {@code e}, or null. */
  private static String dataExceptionState(Exception e) {
    for (Throwable cause = e; cause != null; cause = cause.getCause()) {
      for (SQLException sql = cause instanceof SQLException first ? first : null; sql != null;
          sql = sql.getNextException()) {
        if (sql.getSQLState() != null && sql.getSQLState().startsWith("22")) {
          return sql.getSQLState();
        }
      }
    }
    return null;
  }

  private static String maskedPayload(JsonNode record, TenantKeys keys) {
    // A record rejected for its size would cost a deep copy of megabytes: note it unread.
    long bytes = CallRecordCodec.compactJsonBytes(record);
    if (bytes > MAX_QUARANTINE_PAYLOAD) {
      return payloadNotKept(bytes);
    }
    JsonNode copy = record.deepCopy();
    JsonNode number = copy.path("externalNumber");
    String text = number.isTextual() ? number.textValue() : null;
    NumberMasking.mask(copy, text, text == null ? null : keys.pseudonym(text), keys);
    quoteHugeNumbers(copy);
    // PostgreSQL's jsonb has no NUL character, and a rejected record may well carry one.
    String json = copy.toString().replace("\\u0000", "\\ufffd");
    int maskedBytes = json.getBytes(StandardCharsets.UTF_8).length;
    if (maskedBytes > MAX_QUARANTINE_PAYLOAD) {
      return payloadNotKept(maskedBytes);
    }
    return json;
  }

  private static String payloadNotKept(long bytes) {
    return "{\"note\": \"payload of " + bytes + " bytes not kept\"}";
  }

  /** Replaces numbers jsonb cannot store (a rejected cost of 1e999999999) by their text. */
  private static void quoteHugeNumbers(JsonNode node) {
    if (node instanceof ObjectNode object) {
      for (Map.Entry<String, JsonNode> field : object.properties()) {
        if (CallRecordCodec.isHugeNumber(field.getValue())) {
          field.setValue(object.textNode(field.getValue().decimalValue().toString()));
        } else {
          quoteHugeNumbers(field.getValue());
        }
      }
    } else if (node instanceof ArrayNode array) {
      for (int i = 0; i < array.size(); i++) {
        if (CallRecordCodec.isHugeNumber(array.get(i))) {
          array.set(i, array.textNode(array.get(i).decimalValue().toString()));
        } else {
          quoteHugeNumbers(array.get(i));
        }
      }
    }
  }
}
