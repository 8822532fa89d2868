package io.natalia.agent.pbx;

import io.natalia.agent.crypto.UntrustedCertificateException;
import io.natalia.agent.health.AgentException;
import io.natalia.agent.health.ErrorCode;
import java.io.IOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.UnknownHostException;
import java.net.http.HttpTimeoutException;
import java.nio.channels.UnresolvedAddressException;
import javax.net.ssl.SSLException;

/** Translates transport failures of a PBX request into the admin's error codes. */
public final class PbxFailures {
  private PbxFailures() {}

  /**
   * Returns the coded failure for an I/O error of a request to {@code target} (a URL without
   * query string or credentials).
   */
  public static AgentException translate(IOException e, String target) {
    UntrustedCertificateException certificate = find(e, UntrustedCertificateException.class);
    if (certificate != null) {
      ErrorCode code = certificate.pinnedFingerprint() == null
          ? ErrorCode.NAT_AGT_013 : ErrorCode.NAT_AGT_012;
      return new AgentException(code, certificate.getMessage() + " (" + target + ")", e);
    }
    if (find(e, HttpTimeoutException.class) != null) {
      return new AgentException(ErrorCode.NAT_AGT_001, "request to " + target + " timed out", e);
    }
    if (find(e, ConnectException.class) != null || find(e, NoRouteToHostException.class) != null
        || find(e, UnknownHostException.class) != null
        || find(e, UnresolvedAddressException.class) != null) {
      return new AgentException(ErrorCode.NAT_AGT_004,
          "cannot connect to " + target + ": " + describe(e), e);
    }
    if (find(e, SSLException.class) != null) {
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

  private static <T extends Throwable> T find(Throwable e, Class<T> type) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (type.isInstance(t)) {
        return type.cast(t);
      }
      if (t.getCause() == t) {
        break;
      }
    }
    return null;
  }
}
