package io.natalia.cloud.stitch;

import static org.assertj.core.api.Assertions.assertThat;

import io.natalia.cdr.CallRecord;
import io.natalia.cdr.Direction;
import io.natalia.cloud.service.CloudFixture;
import io.natalia.cloud.service.Records;
import io.natalia.cloud.tenant.Tenant;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class StitcherTest {
  @RegisterExtension static final CloudFixture cloud = new CloudFixture();
  private static final Instant T = Instant.parse("2026-06-02T09:00:00Z");
  private static final String NUMBER = "0612345678";

  /** Receptionist answers after 10 s, transfers to 112, who transfers to 113 a second late. */
  private static final CallRecord LEG_1 = Records.incoming("leg-1", T, 10, 60, "100", NUMBER);
  private static final CallRecord LEG_2 =
      Records.incoming("leg-2", T.plusSeconds(70), 8, 120, "112", NUMBER);
  private static final CallRecord LEG_3 =
      Records.incoming("leg-3", T.plusSeconds(199), 5, 30, "113", NUMBER);

  @Test
  void outOfOrderLegsBecomeOneCall() throws Exception {
    Tenant tenant = cloud.newTenant();
    String key = cloud.newAgentKey(tenant);

    post(key, LEG_3);
    post(key, LEG_1);
    assertThat(calls(tenant)).hasSize(2);
    post(key, LEG_2);

    List<StitchedCall> calls = calls(tenant);
    assertThat(calls).hasSize(1);
    StitchedCall call = calls.get(0);
    assertThat(call.id()).isEqualTo("leg-1");
    assertThat(call.legIds()).containsExactly("leg-1", "leg-2", "leg-3");
    assertThat(call.startedAt()).isEqualTo(T);
    assertThat(call.endedAt()).isEqualTo(T.plusSeconds(234));
    assertThat(call.answered()).isTrue();
    assertThat(call.timeToAnswerSeconds()).isEqualTo(10);
    assertThat(call.ringSeconds()).isEqualTo(23);
    assertThat(call.talkSeconds()).isEqualTo(210);
    assertThat(call.answeringExtension()).isEqualTo("100");
    assertThat(call.numberLast4()).isEqualTo("5678");
  }

  @Test
  void restitchingTheSameLegsChangesNothing() throws Exception {
    Tenant tenant = cloud.newTenant();
    String key = cloud.newAgentKey(tenant);
    post(key, LEG_1, LEG_2, LEG_3);
    List<StitchedCall> before = calls(tenant);

    post(key, LEG_2, LEG_3);

    assertThat(calls(tenant)).isEqualTo(before);
  }

  @Test
  void missedFirstLegAddsRingTime() throws Exception {
    Tenant tenant = cloud.newTenant();
    CallRecord missed = Records.incoming("ring-1", T, 20, 0, "G1", NUMBER);
    CallRecord answered = Records.incoming("ring-2", T.plusSeconds(20), 10, 45, "114", NUMBER);

    post(cloud.newAgentKey(tenant), answered, missed);

    StitchedCall call = calls(tenant).get(0);
    assertThat(call.legIds()).containsExactly("ring-1", "ring-2");
    assertThat(call.timeToAnswerSeconds()).isEqualTo(30);
    assertThat(call.answeringExtension()).isEqualTo("114");
  }

  @Test
  void unrelatedCallsStayApart() throws Exception {
    Tenant tenant = cloud.newTenant();
    CallRecord other = Records.incoming("other", T.plusSeconds(70), 3, 10, "112", "0799999999");
    CallRecord later = Records.incoming("later", T.plusSeconds(3600), 3, 10, "112", NUMBER);
    CallRecord internal = new CallRecord("internal", "oxo-main", null, Direction.INTERNAL,
        T.plusSeconds(70), 2, 15, true, "110", null, "111", null, null, null, null, null, null);

    post(cloud.newAgentKey(tenant), LEG_1, other, later, internal);

    assertThat(calls(tenant)).extracting(StitchedCall::legIds).containsExactlyInAnyOrder(
        List.of("leg-1"), List.of("other"), List.of("later"), List.of("internal"));
  }

  private static void post(String key, CallRecord... records) throws Exception {
    var answer = cloud.postIngest(key, Records.bodyOf(List.of(records)), Map.of());
    assertThat(answer.statusCode()).as(answer.body()).isEqualTo(202);
    cloud.service().stitcher().stitchPending();
  }

  record StitchedCall(String id, List<String> legIds, Instant startedAt, Instant endedAt,
      boolean answered, Integer timeToAnswerSeconds, int ringSeconds, int talkSeconds,
      String answeringExtension, String numberLast4) {}

  private static List<StitchedCall> calls(Tenant tenant) throws SQLException {
    try (Connection c = cloud.dataSource().getConnection();
        PreparedStatement select = c.prepareStatement("SELECT id, leg_ids, started_at,"
            + " ended_at, answered, time_to_answer_seconds, ring_seconds, talk_seconds,"
            + " answering_extension, number_last4 FROM call WHERE tenant_id = ?"
            + " ORDER BY started_at, id")) {
      select.setLong(1, tenant.id());
      try (ResultSet rows = select.executeQuery()) {
        List<StitchedCall> calls = new ArrayList<>();
        while (rows.next()) {
          Array legs = rows.getArray(2);
          calls.add(new StitchedCall(rows.getString(1), List.of((String[]) legs.getArray()),
              rows.getTimestamp(3).toInstant(), rows.getTimestamp(4).toInstant(),
              rows.getBoolean(5), (Integer) rows.getObject(6), rows.getInt(7), rows.getInt(8),
              rows.getString(9), rows.getString(10)));
        }
        return calls;
      }
    }
  }
}
