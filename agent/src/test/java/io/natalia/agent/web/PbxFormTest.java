package io.natalia.agent.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.natalia.agent.config.AgentConfig;
import io.natalia.agent.config.PbxType;
import io.natalia.agent.config.Secret;
import java.time.Duration;
import java.time.ZoneId;
import org.junit.jupiter.api.Test;

class PbxFormTest {
  private static final String PIN = "AB:" + "00:".repeat(30) + "CD";
  private static final AgentConfig.Pbx CURRENT = new AgentConfig.Pbx("oxo-main", PbxType.OXO,
      "192.168.1.10", 443, "natalia-collector", new Secret("stored password"),
      ZoneId.of("Europe/Paris"), Duration.ofMinutes(30), Duration.ofHours(2), PIN, null);

  @Test
  void blankPasswordKeepsStoredOne() throws Exception {
    AgentConfig.Pbx pbx = form("192.168.1.10", "443", "", "20", "Europe/Paris").toPbx(CURRENT);

    assertThat(pbx.password().value()).isEqualTo("stored password");
    assertThat(pbx.certificateSha256()).isEqualTo(PIN);
    assertThat(pbx.pollInterval()).isEqualTo(Duration.ofMinutes(20));
  }

  @Test
  void newAddressDropsTrustedCertificate() throws Exception {
    AgentConfig.Pbx pbx = form("192.168.1.11", "30443", "new", "30", "Europe/Paris")
        .toPbx(CURRENT);

    assertThat(pbx.certificateSha256()).isNull();
    assertThat(pbx.password().value()).isEqualTo("new");
  }

  @Test
  void nameSetsPbxId() throws Exception {
    AgentConfig.Pbx renamed = named("oxo-paris_2.main").toPbx(CURRENT);
    AgentConfig.Pbx absent = named(null).toPbx(CURRENT);

    assertThat(renamed.id()).isEqualTo("oxo-paris_2.main");
    assertThat(absent.id()).isEqualTo("oxo-main");
  }

  @Test
  void invalidNameNamesFieldAndValue() {
    assertThatThrownBy(() -> named("oxo main").toPbx(CURRENT))
        .hasMessage("PBX name must be 1 to 64 letters, digits, '.', '_' or '-', such as "
            + "oxo-main: 'oxo main'.");
    assertThatThrownBy(() -> named("").toPbx(CURRENT))
        .hasMessageStartingWith("PBX name must be 1 to 64").hasMessageEndingWith("''.");
    assertThatThrownBy(() -> named("x".repeat(65)).toPbx(CURRENT))
        .hasMessageContaining("'" + "x".repeat(65) + "'");
  }

  @Test
  void intervalAtTokenLifetimeRejected() {
    assertThatThrownBy(() -> form("192.168.1.10", "443", "", "90", "Europe/Paris")
        .toPbx(CURRENT))
        .hasMessageStartingWith("Polling interval 90 min is too long: it must be below the PBX "
            + "token lifetime of 60 min (expires_in 3600 s)");
    assertThatThrownBy(() -> form("192.168.1.10", "443", "", "60", "Europe/Paris")
        .toPbx(CURRENT)).hasMessageContaining("60 min is too long");
  }

  @Test
  void badValuesNameFieldAndValue() {
    assertThatThrownBy(() -> form("192.168.1.10", "http", "", "30", "Europe/Paris")
        .toPbx(CURRENT)).hasMessage("Port must be a port number, 443 or 30443 as chosen in WMC "
            + "under CDR over IP: 'http'.");
    assertThatThrownBy(() -> form("https://pbx", "443", "", "30", "Europe/Paris")
        .toPbx(CURRENT)).hasMessageStartingWith("PBX IP must be an IP address or a host name");
    assertThatThrownBy(() -> form("192.168.1.10", "443", "", "30", "Mars/Olympus")
        .toPbx(CURRENT)).hasMessageContaining("PBX time zone", "'Mars/Olympus'");
    assertThatThrownBy(() -> new PbxForm(null, "OXE", "192.168.1.10", "443",
        "natalia-collector", "", "30", "Europe/Paris").toPbx(CURRENT))
        .hasMessageContaining("OXE is coming");
  }

  private static PbxForm named(String name) {
    return new PbxForm(name, "OXO", "192.168.1.10", "443", "natalia-collector", "", "30",
        "Europe/Paris");
  }

  private static PbxForm form(String host, String port, String password, String minutes,
      String zone) {
    return new PbxForm(null, "OXO", host, port, "natalia-collector", password, minutes, zone);
  }
}
