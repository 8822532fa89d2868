package io.natalia.agent.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.natalia.agent.testing.FakeCloud;
import io.natalia.agent.testing.FakePbx;
import io.natalia.agent.testing.TestConfigs;
import io.natalia.agent.testing.TestTls;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.io.TempDir;

class ConfigStoreTest {
  @TempDir Path dir;
  private final TestTls tls = new TestTls();

  @Test
  void plainTextSecretsAreEncryptedAtOnce() throws Exception {
    Path file = TestConfigs.write(dir, TestConfigs.json(dir, tls, 443, "https://cloud.example"));

    ConfigStore store = ConfigStore.open(file);

    String stored = Files.readString(file);
    assertThat(stored).doesNotContain(FakePbx.PASSWORD, FakeCloud.API_KEY,
        TestConfigs.METRICS_TOKEN);
    assertThat(stored).contains("\"password\" : \"enc:v1:");
    assertThat(store.current().pbx().password().value()).isEqualTo(FakePbx.PASSWORD);
    assertThat(ConfigStore.open(file).current().cloud().apiKey().value())
        .isEqualTo(FakeCloud.API_KEY);
  }

  @Test
  void missingFileCreatedUnconfigured() throws Exception {
    Path file = dir.resolve("etc").resolve("agent.json");

    ConfigStore store = ConfigStore.openOrCreate(file);

    assertThat(file).exists();
    assertThat(dir.resolve("etc").resolve(ConfigStore.KEY_FILE_NAME)).exists();
    AgentConfig config = store.current();
    assertThat(config.hasPbx()).isFalse();
    assertThat(config.hasCloud()).isFalse();
    assertThat(config.missingSettings()).hasSize(2);
    assertThat(config.dataDir()).isEqualTo(dir.resolve("etc").resolve("data"));
    assertThat(config.web().port()).isEqualTo(8443);
    assertThat(ConfigStore.openOrCreate(file).current()).isEqualTo(config);
    assertThatThrownBy(() -> ConfigStore.open(dir.resolve("absent.json")))
        .hasMessageContaining("not found");
  }

  @Test
  void partialPbxSectionNamesMissingField() throws Exception {
    Path file = dir.resolve("agent.json");
    Files.writeString(file, "{\"pbx\": {\"host\": \"192.168.1.10\"}}");

    assertThatThrownBy(() -> ConfigStore.openOrCreate(file))
        .isInstanceOf(ConfigException.class).hasMessageContaining("pbx.login");
  }

  @Test
  void savedPbxSectionStoredEncrypted() throws Exception {
    Path file = dir.resolve("agent.json");
    Files.writeString(file, "{\"web\": {\"port\": 0}}");
    ConfigStore store = ConfigStore.openOrCreate(file);
    AgentConfig.Pbx pbx = new AgentConfig.Pbx("pbx", PbxType.OXO, "192.168.1.10", 443,
        FakePbx.LOGIN, new Secret(FakePbx.PASSWORD), java.time.ZoneId.of("Europe/Paris"),
        Duration.ofMinutes(30), AgentConfig.DEFAULT_OVERLAP, null, null);

    store.update(store.current().withPbx(pbx));

    assertThat(Files.readString(file)).contains("192.168.1.10", "enc:v1:")
        .doesNotContain(FakePbx.PASSWORD);
    AgentConfig reread = ConfigStore.open(file).current();
    assertThat(reread.hasPbx()).isTrue();
    assertThat(reread.missingSettings()).containsExactly(
        "cloud connection (cloud URL, agent API key)");
  }

    @Test
  void keyFileIsReadableOnlyByOwner() throws Exception {
    ConfigStore.open(TestConfigs.write(dir, TestConfigs.json(dir, tls, 443,
        "https://cloud.example")));

    assertThat(PosixFilePermissions.toString(
        Files.getPosixFilePermissions(dir.resolve(ConfigStore.KEY_FILE_NAME))))
        .isEqualTo("rw-------");
  }

  @Test
  void keyFileReadableByOthersIsRejected() throws Exception {
    Path file = TestConfigs.write(dir, TestConfigs.json(dir, tls, 443, "https://cloud.example"));
    ConfigStore.open(file);
    Files.setPosixFilePermissions(dir.resolve(ConfigStore.KEY_FILE_NAME),
        PosixFilePermissions.fromString("rw-r--r--"));

    assertThatThrownBy(() -> ConfigStore.open(file))
        .hasMessageContaining("must be readable only by its owner")
        .hasMessageContaining("chmod 600");
  }

  @Test
  void intervalNotBelowTokenLifetimeIsRefusedNamingBoth() throws Exception {
    ObjectNode json = TestConfigs.json(dir, tls, 443, "https://cloud.example");
    ((ObjectNode) json.get("pbx")).put("pollInterval", "90m");

    assertThatThrownBy(() -> ConfigStore.open(TestConfigs.write(dir, json)))
        .isInstanceOf(ConfigException.class)
        .hasMessage("pbx.pollInterval: must be below the token lifetime (3600 s): 5400 s");
  }

  @Test
  void invalidFieldIsNamedWithItsValue() throws Exception {
    ObjectNode json = TestConfigs.json(dir, tls, 443, "https://cloud.example");
    ((ObjectNode) json.get("pbx")).put("timeZone", "Mars/Olympus");

    assertThatThrownBy(() -> ConfigStore.open(TestConfigs.write(dir, json)))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("pbx.timeZone")
        .hasMessageContaining("Mars/Olympus");
  }

  @ParameterizedTest
  @ValueSource(strings = {"bad host", "-pbx.example", "pbx..example", "pbx_1.example"})
  void invalidHostIsNamedWithItsValue(String host) throws Exception {
    ObjectNode json = TestConfigs.json(dir, tls, 443, "https://cloud.example");
    ((ObjectNode) json.get("pbx")).put("host", host);

    assertThatThrownBy(() -> ConfigStore.open(TestConfigs.write(dir, json)))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("pbx.host")
        .hasMessageContaining("'" + host + "'");
  }

  @ParameterizedTest
  @CsvSource({
    "pollInterval, 9999999999999999h, '9999999999999999h'",
    "pollInterval, 99999999999999999999s, '99999999999999999999s'",
    "overlap, P99999999D, must be at most 24 h",
    "overlap, 25h, PT25H"})
  void outOfRangeDurationIsNamedWithItsValue(String field, String value, String shown)
      throws Exception {
    ObjectNode json = TestConfigs.json(dir, tls, 443, "https://cloud.example");
    ((ObjectNode) json.get("pbx")).put(field, value);

    assertThatThrownBy(() -> ConfigStore.open(TestConfigs.write(dir, json)))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("pbx." + field)
        .hasMessageContaining(shown);
  }

  @Test
  void fileWithByteOrderMarkIsRead() throws Exception {
    Path file = TestConfigs.write(dir, TestConfigs.json(dir, tls, 443, "https://cloud.example"));
    Files.writeString(file, "\uFEFF" + Files.readString(file));

    assertThat(ConfigStore.open(file).current().pbx().host()).isEqualTo("127.0.0.1");
  }

  @Test
  void fileInAnotherEncodingIsNamed() throws Exception {
    Path file = dir.resolve("agent.json");
    Files.write(file, new byte[] {'{', (byte) 0xff, (byte) 0xfe, '}'});

    assertThatThrownBy(() -> ConfigStore.open(file))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("is not UTF-8 text");
  }

  @ParameterizedTest
  @ValueSource(strings = {"localhost", "10.0.0.300", "::g", "127.0.0.1:8443"})
  void invalidWebAddressIsNamedWithItsValue(String address) throws Exception {
    ObjectNode json = TestConfigs.json(dir, tls, 443, "https://cloud.example");
    ((ObjectNode) json.get("web")).put("address", address);

    assertThatThrownBy(() -> ConfigStore.open(TestConfigs.write(dir, json)))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("web.address")
        .hasMessageContaining("'" + address + "'");
  }

  @ParameterizedTest
  @ValueSource(strings = {"127.0.0.1", "0.0.0.0", "::1", "::"})
  void webAddressIsKeptAsWritten(String address) throws Exception {
    ObjectNode json = TestConfigs.json(dir, tls, 443, "https://cloud.example");
    ((ObjectNode) json.get("web")).put("address", address);
    Path file = TestConfigs.write(dir, json);

    ConfigStore.open(file);

    assertThat(ConfigStore.open(file).current().web().address()).isEqualTo(address);
  }

  @Test
  void cloudUrlSecretsAreNotEchoed() throws Exception {
    ObjectNode json = TestConfigs.json(dir, tls, 443,
        "http://user:UrlSecret@127.0.0.1:18444/?token=QuerySecret");

    assertThatThrownBy(() -> ConfigStore.open(TestConfigs.write(dir, json)))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("cloud.url")
        .hasMessageNotContaining("UrlSecret")
        .hasMessageNotContaining("QuerySecret");
  }

  @Test
  void cloudUrlWithUserInfoIsRejected() throws Exception {
    ObjectNode json = TestConfigs.json(dir, tls, 443, "https://user:UrlSecret@cloud.example/");

    assertThatThrownBy(() -> ConfigStore.open(TestConfigs.write(dir, json)))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("must carry no user name")
        .hasMessageNotContaining("UrlSecret");
  }

  @Test
  void overlongHostLabelIsRejected() throws Exception {
    ObjectNode json = TestConfigs.json(dir, tls, 443, "https://cloud.example");
    ((ObjectNode) json.get("pbx")).put("host", "a".repeat(64) + ".example");

    assertThatThrownBy(() -> ConfigStore.open(TestConfigs.write(dir, json)))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("pbx.host");
  }

  @ParameterizedTest
  @ValueSource(strings = {"192.168.1.10", "oxo.acme.example", "::1", "[fe80::1]", "OXO-1"})
  void validHostIsAccepted(String host) throws Exception {
    ObjectNode json = TestConfigs.json(dir, tls, 443, "https://cloud.example");
    ((ObjectNode) json.get("pbx")).put("host", host);

    assertThat(ConfigStore.open(TestConfigs.write(dir, json)).current().pbx().host())
        .isEqualTo(host);
  }

  @Test
  void defaultsApplyWhenOmitted() throws Exception {
    ObjectNode json = TestConfigs.json(dir, tls, 443, "https://cloud.example");
    ((ObjectNode) json.get("pbx")).remove("pollInterval");

    AgentConfig config = ConfigStore.open(TestConfigs.write(dir, json)).current();

    assertThat(config.pbx().pollInterval()).isEqualTo(Duration.ofMinutes(30));
    assertThat(config.pbx().overlap()).isEqualTo(Duration.ofHours(2));
  }

  @Test
  void updateIsStoredAndListenersCalled() throws Exception {
    Path file = TestConfigs.write(dir, TestConfigs.json(dir, tls, 443, "https://cloud.example"));
    ConfigStore store = ConfigStore.open(file);
    List<AgentConfig> seen = new ArrayList<>();
    store.addListener(seen::add);

    AgentConfig changed = store.current().withPbx(store.current().pbx()
        .withCertificateSha256(new TestTls().fingerprint()));
    store.update(changed);

    assertThat(seen).containsExactly(changed);
    assertThat(ConfigStore.open(file).current().pbx().certificateSha256())
        .isEqualTo(changed.pbx().certificateSha256());
  }

  @Test
  void handEditIsReloaded() throws Exception {
    ObjectNode json = TestConfigs.json(dir, tls, 443, "https://cloud.example");
    Path file = TestConfigs.write(dir, json);
    ConfigStore store = ConfigStore.open(file);

    ((ObjectNode) json.get("pbx")).put("pollInterval", "15m");
    TestConfigs.write(dir, json);
    Files.setLastModifiedTime(file, java.nio.file.attribute.FileTime.fromMillis(
        System.currentTimeMillis() + 5000));

    assertThat(store.reloadIfChanged()).isTrue();
    assertThat(store.current().pbx().pollInterval()).isEqualTo(Duration.ofMinutes(15));
  }

  @Test
  void secretPrintsRedacted() {
    assertThat(new Secret("hunter2")).hasToString("[redacted]");
  }
}
