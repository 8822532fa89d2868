package io.natalia.agent.pbx;

import io.natalia.agent.crypto.UntrustedCertificateException;
import io.natalia.agent.health.AgentException;
import io.natalia.agent.health.ConnectFailures;
import io.natalia.agent.health.ErrorCode;
import java.io.IOException;
import java.net.URI;
import javax.net.ssl.SSLException;

/** Translates transport failures of a PBX request into the admin's error codes. */
public final class PbxFailures {
  private PbxFailures() {}

  /**
   * Returns the coded failure for an I/O error of a request to {@code target} (a URL without
   * query string or credentials).
   */
  public static AgentException translate(IOException e, String target) {
    UntrustedCertificateException certificate =
        ConnectFailures.cause(e, UntrustedCertificateException.class);
    if (certificate != null) {
      ErrorCode code = certificate.pinnedFingerprint() == null
          ? ErrorCode.NAT_AGT_013 : ErrorCode.NAT_AGT_012;
      return new AgentException(code, certificate.getMessage() + " (" + target + ")", e);
    }
    ConnectFailures.Failure connect = ConnectFailures.describe(e, URI.create(target));
    if (connect != null) {
      ErrorCode code = connect.kind() == ConnectFailures.Kind.TIMED_OUT
          ? ErrorCode.NAT_AGT_001 : ErrorCode.NAT_AGT_004;
      return new AgentException(code, connect.reason(), e);
    }
    if (ConnectFailures.cause(e, SSLException.class) != null) {
      return new AgentException(ErrorCode.NAT_AGT_013,
          "TLS handshake with " + target + " failed: " + describe(e), e);
    }
    return new AgentException(ErrorCode.NAT_AGT_016,
        "connection to " + target + " failed: " + describe(e), e);
  }

  private static String describe(Throwable e) {
    Throwable root = e;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    String message = root.getMessage();
    return root.getClass().getSimpleName() + (message == null ? "" : " " + message);
  }
}
