package io.natalia.cloud.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Properties;
import org.junit.jupiter.api.Test;

class CloudConfigTest {
  private static final Path BASE = Path.of("/etc/natalia");

  @Test
  void emptyFileGivesEmbeddedDatabaseUnderDataDir() {
    CloudConfig config = CloudConfig.from(new Properties(), BASE, "cloud.properties");

    assertThat(config.port()).isEqualTo(CloudConfig.DEFAULT_PORT);
    assertThat(config.database().jdbcUrl()).isNull();
    assertThat(config.database().embeddedDataDirectory()).isEqualTo(BASE.resolve("data/postgres"));
    assertThat(config.masterKeyFile()).isEqualTo(BASE.resolve("data/master.key"));
    assertThat(config.stitchInterval()).isEqualTo(Duration.ZERO);
  }

  @Test
  void unknownKeyIsNamedWithTheKnownOnes() {
    Properties properties = new Properties();
    properties.setProperty("listen.prot", "8444");

    assertThatThrownBy(() -> CloudConfig.from(properties, BASE, "cloud.properties"))
        .hasMessageContaining("listen.prot").hasMessageContaining("listen.port");
  }

  @Test
  void badNumberIsNamedWithItsKey() {
    Properties properties = new Properties();
    properties.setProperty("ingest.max-records", "lots");

    assertThatThrownBy(() -> CloudConfig.from(properties, BASE, "cloud.properties"))
        .hasMessageContaining("ingest.max-records").hasMessageContaining("'lots'");
  }

  @Test
  void certificateWithoutKeyIsRejected() {
    Properties properties = new Properties();
    properties.setProperty("tls.certificate", "cert.pem");

    assertThatThrownBy(() -> CloudConfig.from(properties, BASE, "cloud.properties"))
        .hasMessageContaining("tls.private-key");
  }

  @Test
  void databasePasswordNeverAppearsInTheSettingsText() {
    var settings = io.natalia.cloud.store.DatabaseSettings.external(
        "jdbc:postgresql://db.example:5432/natalia", "natalia", "s3cret-pass");

    assertThat(settings.toString()).contains("db.example").doesNotContain("s3cret-pass");
  }
}
