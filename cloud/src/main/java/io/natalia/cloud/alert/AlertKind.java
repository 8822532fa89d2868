package io.natalia.cloud.alert;

import java.util.Locale;

/** Kind of an alert; the wire name is the lower-case name. */
public enum AlertKind {
  /** No record from a PBX during business hours for longer than the silence threshold. */
  PBX_SILENT("NAT-ALR-001"),
  /** An agent has not contacted the cloud for longer than the offline threshold. */
  AGENT_OFFLINE("NAT-ALR-002"),
  /** An agent reports its disk buffer above 80 % (NAT-AGT-007) or 95 % (NAT-AGT-008). */
  BUFFER_ALARM("NAT-ALR-003"),
  /** The share of missed incoming calls over the recent window is above the threshold. */
  MISSED_RATE("NAT-ALR-004");

  private final String code;

  AlertKind(String code) {
    this.code = code;
  }

  /** Returns the alert's code, documented in docs/api.md. */
  public String code() {
    return code;
  }

  /** Returns the name stored and shown: {@code pbx_silent}. */
  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }

  static AlertKind fromWire(String wireName) {
    return valueOf(wireName.toUpperCase(Locale.ROOT));
  }
}
