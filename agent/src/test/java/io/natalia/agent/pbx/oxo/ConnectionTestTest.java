package io.natalia.agent.pbx.oxo;

import static org.assertj.core.api.Assertions.assertThat;

import io.natalia.agent.config.AgentConfig;
import io.natalia.agent.config.PbxType;
import io.natalia.agent.config.Secret;
import io.natalia.agent.health.ErrorCode;
import io.natalia.agent.testing.FakePbx;
import io.natalia.agent.testing.TestTls;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneId;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ConnectionTestTest {
  private static final ZoneId PARIS = ZoneId.of("Europe/Paris");
  private final TestTls tls = new TestTls();
  private FakePbx pbx;

  @BeforeEach
  void start() throws Exception {
    pbx = new FakePbx(tls, PARIS);
    for (int i = 0; i < 12; i++) {
      pbx.add(FakePbx.ticket("2026-05-24T08:31:" + (10 + i), "11" + i));
    }
  }

  @AfterEach
  void stop() {
    pbx.close();
  }

  @Test
  void firstContactShowsFingerprintAndSendsNoPassword() {
    ConnectionTest.Result result = ConnectionTest.run(settings(null, Duration.ofMinutes(30)),
        Clock.systemUTC());

    assertThat(result.errorCode()).isEqualTo(ErrorCode.NAT_AGT_013);
    assertThat(result.certificateSha256()).isEqualTo(tls.fingerprint());
    assertThat(pbx.requests()).isEmpty();
  }

  @Test
  void trustedPbxReportsRecordsReadAndSample() {
    ConnectionTest.Result result = ConnectionTest.run(
        settings(tls.fingerprint(), Duration.ofMinutes(30)), Clock.systemUTC());

    assertThat(result.passed()).isTrue();
    assertThat(result.recordsRead()).isEqualTo(12);
    assertThat(result.sample()).hasSize(ConnectionTest.SAMPLE_SIZE);
    assertThat(result.tokenLifetime()).isEqualTo(Duration.ofSeconds(3600));
  }

  @Test
  void intervalNotBelowAnnouncedLifetimeFails() {
    pbx.expiresIn(600);

    ConnectionTest.Result result = ConnectionTest.run(
        settings(tls.fingerprint(), Duration.ofMinutes(15)), Clock.systemUTC());

    assertThat(result.errorCode()).isEqualTo(ErrorCode.NAT_AGT_017);
    assertThat(result.message()).contains("600 s", "900 s");
  }

  @Test
  void stoppedPbxIsConnectionRefused() {
    AgentConfig.Pbx settings = settings(tls.fingerprint(), Duration.ofMinutes(30));
    pbx.close();

    ConnectionTest.Result result = ConnectionTest.run(settings, Clock.systemUTC());

    assertThat(result.errorCode()).isEqualTo(ErrorCode.NAT_AGT_004);
    assertThat(result.message()).isEqualTo("connection refused by 127.0.0.1 port "
        + pbx.port() + ": nothing listens on that port, or a firewall rejects the connection");
  }


  private AgentConfig.Pbx settings(String fingerprint, Duration interval) {
    return new AgentConfig.Pbx("oxo-test", PbxType.OXO, "127.0.0.1", pbx.port(), FakePbx.LOGIN,
        new Secret(FakePbx.PASSWORD), PARIS, interval, Duration.ofHours(2), fingerprint, null);
  }
}
