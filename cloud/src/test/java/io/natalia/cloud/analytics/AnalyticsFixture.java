package io.natalia.cloud.analytics;

import io.natalia.cloud.audit.AuditLog;
import io.natalia.cloud.auth.ApiKeys;
import io.natalia.cloud.ingest.Ingest;
import io.natalia.cloud.stitch.Stitcher;
import io.natalia.cloud.store.Partitions;
import io.natalia.cloud.tenant.MasterKey;
import io.natalia.cloud.tenant.Tenant;
import io.natalia.cloud.tenant.Tenants;
import io.natalia.oxo.traffic.GeneratedTicket;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Iterator;
import javax.sql.DataSource;

/**
 * The cloud parts an analytics test needs on one database: a tenant in a zone, an agent key,
 * the real ingest and stitcher, and the query layer.
 */
public final class AnalyticsFixture {
  final DataSource dataSource;
  final Clock clock;
  final AuditLog auditLog;
  final Tenants tenants;
  final ApiKeys apiKeys;
  final Tenant tenant;
  final Analytics analytics;
  final TicketLoader loader;

  /**
   * @param now the clock of ingest: records may start up to a day after it
   */
  public AnalyticsFixture(DataSource dataSource, String tenantName, ZoneId zone, Instant now) {
    this.dataSource = dataSource;
    this.clock = Clock.fixed(now, ZoneOffset.UTC);
    this.auditLog = new AuditLog(dataSource, clock);
    this.tenants = new Tenants(dataSource, MasterKey.random(), auditLog);
    this.apiKeys = new ApiKeys(dataSource, auditLog, clock);
    this.tenant = tenants.create(tenantName, zone.getId(), "EUR", 36_500, "test");
    long agentKey = apiKeys.create(tenant.id(), ApiKeys.Kind.AGENT, "agent", null, "test").id();
    Ingest ingest = new Ingest(dataSource, tenants, new Partitions(dataSource), clock, 5_000,
        () -> { });
    Stitcher stitcher = new Stitcher(dataSource, Stitcher.DEFAULT_TOLERANCE, clock);
    this.loader = new TicketLoader(ingest, stitcher, tenant.id(), agentKey, zone);
    this.analytics = new Analytics(dataSource);
  }

  /** Loads simulator tickets through ingest and stitching; returns the records stored. */
  public long load(Iterator<GeneratedTicket> tickets) throws SQLException {
    return loader.load(tickets);
  }

  public Tenant tenant() {
    return tenant;
  }

  public Analytics analytics() {
    return analytics;
  }

  public Tenants tenants() {
    return tenants;
  }

  public DataSource dataSource() {
    return dataSource;
  }

  public ApiKeys apiKeys() {
    return apiKeys;
  }

  public AuditLog auditLog() {
    return auditLog;
  }

  public Clock clock() {
    return clock;
  }
}
