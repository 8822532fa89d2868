package io.natalia.oxo.server;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.nio.file.Path;
import java.time.ZoneId;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

class LogRedactionTest {
  @TempDir Path stateDir;

  @Test
  void logsNeverContainPasswordsOrTokens() throws Exception {
    Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    ListAppender<ILoggingEvent> appender = new ListAppender<>();
    appender.start();
    root.addAppender(appender);
    Account collector = new Account("natalia-collector", "pw-that-must-not-leak-42", true);
    String token;
    String admin = "admin-token-that-must-not-leak";
    try (OxoSimulator pbx = OxoSimulator.builder().stateDir(stateDir).account(collector)
        .adminToken(admin).traffic(new FakeTraffic(ZoneId.of("Europe/Paris"))).start()) {
      PinnedClient client = new PinnedClient(pbx.baseUri(), pbx.certificate());
      token = client.token(collector);
      client.records(token, "2026-01-01T00:00:00Z");
      client.login("natalia-collector", "wrong-password-attempt");
      client.admin(admin, "GET", "/admin/status", null);
    } finally {
      root.detachAppender(appender);
    }

    String logs = appender.list.stream().map(ILoggingEvent::getFormattedMessage)
        .collect(Collectors.joining("\n"));
    assertThat(logs).contains("Login rejected for account 'natalia-collector'");
    assertThat(logs).doesNotContain("pw-that-must-not-leak-42", "wrong-password-attempt",
        token, admin);
  }
}
