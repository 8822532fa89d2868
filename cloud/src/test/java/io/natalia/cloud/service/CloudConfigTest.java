package io.natalia.cloud.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

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
  void smtpSettingsReadPasswordFile(@TempDir Path folder) throws Exception {
    Files.writeString(folder.resolve("smtp-password"), "Sm7p-s3cret\n");
    Properties properties = new Properties();
    properties.setProperty("smtp.host", "mail.example.com");
    properties.setProperty("smtp.user", "natalia");
    properties.setProperty("smtp.password-file", "smtp-password");
    properties.setProperty("smtp.from", "alerts@example.com");

    CloudConfig config = CloudConfig.from(properties, folder, "cloud.properties");

    assertThat(config.smtp()).isEqualTo(new SmtpSettings("mail.example.com", 587, "starttls",
        "natalia", "Sm7p-s3cret", "alerts@example.com"));
    assertThat(config.toString()).contains("smtp://mail.example.com:587 (starttls, login"
        + " natalia, password set, from alerts@example.com)").doesNotContain("Sm7p-s3cret");
    assertThat(config.smtp().toString()).doesNotContain("Sm7p-s3cret");
  }

  @Test
  void noSmtpSettingsMeansNoMail() {
    CloudConfig config = CloudConfig.from(new Properties(), BASE, "cloud.properties");

    assertThat(config.smtp()).isNull();
    assertThat(config.toString()).contains("mail off");
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
    "smtp.from=alerts@example.com               | smtp.host is required to send mail",
    "smtp.host=mail.example.com                 | smtp.from must be the sender's e-mail"
        + " address: 'null'",
    "smtp.host=h,smtp.from=a@b,smtp.security=ssl | smtp.security must be none, starttls or"
        + " tls: 'ssl'",
    "smtp.host=h,smtp.from=a@b,smtp.port=70000   | smtp.port must be between 1 and 65535: 70000",
    "smtp.host=h,smtp.from=a@b,smtp.user=me      | smtp.user and smtp.password-file go"
        + " together",
  })
  void badSmtpSettingIsNamed(String settings, String message) {
    Properties properties = new Properties();
    for (String setting : settings.split(",")) {
      properties.setProperty(setting.substring(0, setting.indexOf('=')),
          setting.substring(setting.indexOf('=') + 1));
    }

    assertThatThrownBy(() -> CloudConfig.from(properties, BASE, "cloud.properties"))
        .hasMessageStartingWith("cloud.properties: " + message);
  }

  @Test
  void databasePasswordNeverAppearsInTheSettingsText() {
    var settings = io.natalia.cloud.store.DatabaseSettings.external(
        "jdbc:postgresql://db.example:5432/natalia", "natalia", "s3cret-pass");

    assertThat(settings.toString()).contains("db.example").doesNotContain("s3cret-pass");
  }
}
