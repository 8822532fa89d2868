package io.natalia.agent.pbx.oxo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.natalia.agent.config.AgentConfig;
import io.natalia.agent.config.PbxType;
import io.natalia.agent.config.Secret;
import io.natalia.agent.crypto.EncryptionKey;
import io.natalia.agent.health.AgentException;
import io.natalia.agent.health.ErrorCode;
import io.natalia.agent.health.StatusBoard;
import io.natalia.agent.spool.PendingRecord;
import io.natalia.agent.spool.Spool;
import io.natalia.agent.testing.FakePbx;
import io.natalia.agent.testing.TestTls;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PollerTest {
  private static final ZoneId PARIS = ZoneId.of("Europe/Paris");

  @TempDir Path dir;
  private final TestTls tls = new TestTls();
  private final AtomicLong nanoTime = new AtomicLong();
  private final List<Duration> sleeps = new ArrayList<>();
  private FakePbx pbx;
  private Spool spool;
  private StatusBoard board;
  private HttpClient http;

  @BeforeEach
  void setUp() throws Exception {
    pbx = new FakePbx(tls, PARIS);
    spool = Spool.open(dir.resolve("spool.db"), EncryptionKey.loadOrCreate(dir.resolve("key")),
        Clock.systemUTC(), message -> { });
    board = new StatusBoard(Clock.systemUTC());
  }

  @AfterEach
  void tearDown() {
    if (http != null) {
      http.close();
    }
    spool.close();
    pbx.close();
  }

  @Test
  void sinceIsUtcWithZAndEncoded() throws Exception {
    pbx.add(FakePbx.ticket("2026-05-24T08:31:12", "110"));

    poller(tls.fingerprint()).pollOnce(() -> false);
    poller(tls.fingerprint()).pollOnce(() -> false);

    List<String> queries = recordQueries();
    assertThat(queries.get(0)).isEqualTo("since=2000-01-01T00%3A00%3A00Z");
    // Starts 08:31:12 in Paris (06:31:12 UTC), ends 174 s later; minus the two-hour overlap.
    assertThat(queries).contains("since=2026-05-24T04%3A34%3A06Z");
  }

  @Test
  void emptyPageNeverMovesTheCursor() throws Exception {
    Poller poller = poller(tls.fingerprint());
    pbx.add(FakePbx.ticket("2026-05-24T08:31:12", "110"));
    poller.pollOnce(() -> false);
    Instant cursor = spool.cursor();

    pbx.pageCap(0);
    poller.pollOnce(() -> false);

    assertThat(spool.cursor()).isEqualTo(cursor);
    assertThat(cursor).isEqualTo(Instant.parse("2026-05-24T04:34:06Z"));
  }

  @Test
  void fullPagesSharingOneSecondLoseNothing() throws Exception {
    for (int i = 0; i < 30; i++) {
      pbx.add(FakePbx.ticket("2026-05-24T08:00:" + String.format("%02d", i), "1" + i));
    }
    // 35 tickets in one second straddle the first page's end (cap 40).
    for (int i = 0; i < 35; i++) {
      pbx.add(FakePbx.ticket("2026-05-24T08:00:30", "2" + i));
    }
    for (int i = 0; i < 20; i++) {
      pbx.add(FakePbx.ticket("2026-05-24T08:01:" + String.format("%02d", i), "3" + i));
    }
    pbx.pageCap(40);

    Poller.PollResult result = poller(tls.fingerprint()).pollOnce(() -> false);

    assertThat(result.newRecords()).isEqualTo(85);
    assertThat(spool.pendingCount()).isEqualTo(85);
    assertThat(board.recordsLostOnPbx()).isZero();
  }

  @Test
  void duplicatesAcrossPagesAndPollsAreStoredOnce() throws Exception {
    for (int i = 0; i < 10; i++) {
      pbx.add(FakePbx.ticket("2026-05-24T08:00:0" + i, "11" + i));
    }
    pbx.pageCap(4);
    Poller poller = poller(tls.fingerprint());

    poller.pollOnce(() -> false);
    poller.pollOnce(() -> false);

    assertThat(spool.pendingCount()).isEqualTo(10);
    assertThat(board.recordsRead()).isEqualTo(10);
  }

  @Test
  void expiredTokenTriggersOneRelogin() throws Exception {
    pbx.add(FakePbx.ticket("2026-05-24T08:31:12", "110"));
    Poller poller = poller(tls.fingerprint());
    poller.pollOnce(() -> false);

    pbx.revokeTokens();
    pbx.add(FakePbx.ticket("2026-05-24T08:41:12", "111"));
    poller.pollOnce(() -> false);

    assertThat(pbx.logins()).isEqualTo(2);
    assertThat(spool.pendingCount()).isEqualTo(2);
  }

  @Test
  void tokenRenewedBeforeExpiryOnMonotonicClock() throws Exception {
    pbx.expiresIn(600).add(FakePbx.ticket("2026-05-24T08:31:12", "110"));
    Poller poller = poller(tls.fingerprint());
    poller.pollOnce(() -> false);

    nanoTime.addAndGet(Duration.ofSeconds(539).toNanos());
    poller.pollOnce(() -> false);
    long loginsBeforeMargin = pbx.logins();
    nanoTime.addAndGet(Duration.ofSeconds(2).toNanos());
    poller.pollOnce(() -> false);

    assertThat(loginsBeforeMargin).isEqualTo(1);
    assertThat(pbx.logins()).isEqualTo(2);
  }

  @Test
  void secondUnauthorizedIsNatAgt006() throws Exception {
    pbx.scriptRecordStatuses(401, 401);

    assertThatThrownBy(() -> poller(tls.fingerprint()).pollOnce(() -> false))
        .isInstanceOfSatisfying(AgentException.class,
            e -> assertThat(e.code()).isEqualTo(ErrorCode.NAT_AGT_006));
    assertThat(pbx.logins()).isEqualTo(2);
  }

  @Test
  void wrongPasswordIsNatAgt011() throws Exception {
    AgentConfig.Pbx settings = settings(tls.fingerprint(), "wrong-password");

    assertThatThrownBy(() -> poller(settings).pollOnce(() -> false))
        .isInstanceOfSatisfying(AgentException.class, e -> {
          assertThat(e.code()).isEqualTo(ErrorCode.NAT_AGT_011);
          assertThat(e.getMessage()).doesNotContain("wrong-password");
        });
  }

  @Test
  void changedCertificateIsNatAgt012AndSendsNoPassword() throws Exception {
    String otherFingerprint = new TestTls().fingerprint();

    assertThatThrownBy(() -> poller(otherFingerprint).pollOnce(() -> false))
        .isInstanceOfSatisfying(AgentException.class, e -> {
          assertThat(e.code()).isEqualTo(ErrorCode.NAT_AGT_012);
          assertThat(e.getMessage()).contains(tls.fingerprint(), otherFingerprint);
        });
    assertThat(pbx.requests()).isEmpty();
  }

  @Test
  void transientFailuresAreRetriedWithinThePoll() throws Exception {
    pbx.add(FakePbx.ticket("2026-05-24T08:31:12", "110"));
    pbx.scriptRecordStatuses(503, 429);

    Poller.PollResult result = poller(tls.fingerprint()).pollOnce(() -> false);

    assertThat(result.newRecords()).isEqualTo(1);
    assertThat(sleeps).hasSize(2);
  }

  @Test
  void malformedRecordIsQuarantinedAndPageGoesOn() throws Exception {
    pbx.add(FakePbx.ticket("2026-05-24T08:31:12", "110"));
    pbx.add(FakePbx.ticket("2026-05-24T08:32:12", "111").put("duration", "forever"));
    pbx.add(FakePbx.ticket("2026-05-24T08:33:12", "112"));

    Poller.PollResult result = poller(tls.fingerprint()).pollOnce(() -> false);

    assertThat(result.newRecords()).isEqualTo(2);
    assertThat(result.newQuarantined()).isEqualTo(1);
    assertThat(spool.quarantine(10).get(0).reason()).contains("duration", "forever");
    assertThat(board.isRaised(ErrorCode.NAT_AGT_010)).isFalse();
    assertThat(board.snapshot(figures()).recentErrors().get(0).code())
        .isEqualTo(ErrorCode.NAT_AGT_010);
  }

  @Test
  void ticketIdJumpIsReportedAsLostOnPbx() throws Exception {
    Poller poller = poller(tls.fingerprint());
    pbx.add(FakePbx.ticket("2026-05-24T08:31:12", "110"));
    poller.pollOnce(() -> false);

    pbx.skipTicketIds(7);
    pbx.add(FakePbx.ticket("2026-05-24T08:41:12", "111"));
    poller.pollOnce(() -> false);

    assertThat(board.recordsLostOnPbx()).isEqualTo(7);
    assertThat(board.snapshot(figures()).recentErrors().get(0).code())
        .isEqualTo(ErrorCode.NAT_AGT_014);
  }

  @Test
  void storedPayloadKeepsUnknownFields() throws Exception {
    pbx.add(FakePbx.ticket("2026-05-24T08:31:12", "110").put("trunkGroup", "TG-2"));

    poller(tls.fingerprint()).pollOnce(() -> false);

    PendingRecord record = spool.peek(10, 1 << 20).get(0);
    assertThat(new String(record.json(), StandardCharsets.UTF_8))
        .contains("\"trunkGroup\":\"TG-2\"", "\"startedAt\":\"2026-05-24T06:31:12Z\"");
  }

  private Poller poller(String fingerprint) throws Exception {
    return poller(settings(fingerprint, FakePbx.PASSWORD));
  }

  private Poller poller(AgentConfig.Pbx settings) throws Exception {
    if (http != null) {
      http.close();
    }
    http = ConnectionTest.httpClient(settings);
    return Poller.create(settings, http, spool, board, Clock.systemUTC(), nanoTime::get,
        sleeps::add);
  }

  private AgentConfig.Pbx settings(String fingerprint, String password) {
    return new AgentConfig.Pbx("oxo-test", PbxType.OXO, "127.0.0.1", pbx.port(), FakePbx.LOGIN,
        new Secret(password), PARIS, Duration.ofMinutes(30), Duration.ofHours(2), fingerprint,
        null);
  }

  private List<String> recordQueries() {
    return pbx.requests().stream().filter(r -> r.path().endsWith("/records"))
        .map(FakePbx.Recorded::query).toList();
  }

  private static StatusBoard.BufferFigures figures() {
    return new StatusBoard.BufferFigures(0, Duration.ZERO, 0, 1, 0);
  }
}
