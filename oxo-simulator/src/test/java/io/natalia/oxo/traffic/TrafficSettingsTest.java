package io.natalia.oxo.traffic;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.ZoneId;
import org.junit.jupiter.api.Test;

class TrafficSettingsTest {

  @Test
  void defaultsDescribeFortyExtensionCompanyInParis() {
    TrafficSettings settings = TrafficSettings.builder().build();

    assertThat(settings.extensions()).isEqualTo(40);
    assertThat(settings.zone()).isEqualTo(ZoneId.of("Europe/Paris"));
    assertThat(settings.printUnansweredIncoming()).isTrue();
    assertThat(settings.maskLastDigits()).isFalse();
  }

  @Test
  void tooManyExtensionsNamesFieldAndValue() {
    assertThatThrownBy(() -> TrafficSettings.builder().extensions(301).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("extensions must be between 1 and 300: 301");
  }

  @Test
  void negativeTrunkCountNamesFieldAndValue() {
    assertThatThrownBy(() -> TrafficSettings.builder().briTrunks(-1).build())
        .hasMessage("briTrunks must be between 0 and 99: -1");
  }

  @Test
  void companyWithoutTrunksIsRejected() {
    TrafficSettings.Builder builder =
        TrafficSettings.builder().analogTrunks(0).briTrunks(0).priTrunks(0).voipTrunks(0);

    assertThatThrownBy(builder::build).hasMessageContaining("at least one trunk");
  }

  @Test
  void missingZoneIsRejected() {
    assertThatThrownBy(() -> TrafficSettings.builder().zone(null).build())
        .hasMessageContaining("zone");
  }

  @Test
  void scaleOutOfRangeNamesValue() {
    assertThatThrownBy(() -> TrafficSettings.builder().callsPerDayScale(31).build())
        .hasMessage("callsPerDayScale must be between 0.01 and 30.0: 31.0");
    assertThatThrownBy(() -> TrafficSettings.builder().callsPerDayScale(Double.NaN).build())
        .hasMessageContaining("NaN");
  }

  @Test
  void toBuilderKeepsEverySetting() {
    TrafficSettings settings = TrafficSettings.builder()
        .extensions(12)
        .huntGroups(1)
        .analogTrunks(1)
        .briTrunks(0)
        .priTrunks(0)
        .voipTrunks(3)
        .zone(ZoneId.of("Asia/Shanghai"))
        .callsPerDayScale(2.5)
        .maskLastDigits(true)
        .printUnansweredIncoming(false)
        .build();

    assertThat(settings.toBuilder().build()).isEqualTo(settings);
  }
}
