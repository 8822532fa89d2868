package io.natalia.cloud.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.natalia.cloud.service.CloudFixture;
import io.natalia.cloud.service.Records;
import io.natalia.cloud.tenant.Tenant;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.slf4j.LoggerFactory;

class SecretLoggingTest {
  @RegisterExtension static final CloudFixture cloud = new CloudFixture();

  @Test
  void keysNeverReachTheLog() throws Exception {
    Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    ListAppender<ILoggingEvent> events = new ListAppender<>();
    events.start();
    root.addAppender(events);
    Tenant tenant = cloud.newTenant();
    String key = cloud.newAgentKey(tenant);
    String secret = key.substring(key.indexOf('.') + 1);
    try {
      var bad = Records.json(Records.numbered("log", 0, Instant.parse("2026-06-01T08:00:00Z")));
      bad.put("talkSeconds", -1);
      cloud.postIngest(key, Records.body(List.of(bad)), Map.of());
      cloud.postIngest(key + "x", Records.bodyOf(List.of()), Map.of());
      cloud.postIngest(key, "{".getBytes(StandardCharsets.UTF_8), Map.of());
    } finally {
      root.detachAppender(events);
    }

    assertThat(events.list).isNotEmpty();
    assertThat(events.list).allSatisfy(event -> {
      assertThat(event.getFormattedMessage()).doesNotContain(secret);
      assertThat(event.getMDCPropertyMap().toString()).doesNotContain(secret);
    });
  }
}
