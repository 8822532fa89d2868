package io.natalia.agent.forward;

import io.natalia.agent.config.AgentConfig;
import io.natalia.agent.crypto.PinnedTrustManager;
import io.natalia.agent.crypto.TrustStores;
import io.natalia.agent.crypto.UntrustedCertificateException;
import java.io.IOException;
import java.security.GeneralSecurityException;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * Decides which cloud certificates the agent trusts. Never all of them.
 *
 * <ul>
 *   <li>A pinned SHA-256 fingerprint ({@code cloud.certificateSha256}): only that exact
 *       certificate, for a cloud with a self-signed certificate. No host name check, since the
 *       pin already names the one certificate expected.
 *   <li>A CA file ({@code cloud.caCertificateFile}): certificates that chain to it, with the
 *       JDK's host name check.
 *   <li>Neither: the JDK's default trust store, as browsers do for a public cloud.
 * </ul>
 *
 * A refused certificate fails the TLS handshake, before the agent API key is sent.
 */
public final class CloudTrust {
  private CloudTrust() {}

  /**
   * Returns the trust manager for these cloud settings.
   *
   * @throws IOException when the CA file cannot be read
   */
  public static X509ExtendedTrustManager trustManager(AgentConfig.Cloud cloud)
      throws IOException {
    if (cloud.certificateSha256() != null) {
      return new PinnedTrustManager("cloud", cloud.certificateSha256());
    }
    if (cloud.caCertificateFile() != null) {
      return TrustStores.pemTrustManager(cloud.caCertificateFile());
    }
    return TrustStores.defaultTrustManager();
  }

  /**
   * Returns why the cloud's certificate was refused, or {@code null} when this failure is not
   * a refused certificate (a timeout, a refused connection, a protocol mismatch).
   */
  public static String refusedCertificate(IOException e) {
    UntrustedCertificateException pin = find(e, UntrustedCertificateException.class);
    if (pin != null) {
      return pin.getMessage();
    }
    if (find(e, SSLHandshakeException.class) == null) {
      return null;
    }
    // The JDK reports a chain or host name it refuses as a GeneralSecurityException cause.
    GeneralSecurityException check = find(e, GeneralSecurityException.class);
    return check == null ? null : "cloud certificate not trusted: " + check.getMessage();
  }

  /** Returns the fingerprint the cloud presented when a pin refused it, or {@code null}. */
  public static String refusedFingerprint(IOException e) {
    UntrustedCertificateException pin = find(e, UntrustedCertificateException.class);
    return pin == null ? null : pin.seenFingerprint();
  }

  private static <T extends Throwable> T find(Throwable e, Class<T> type) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (type.isInstance(t)) {
        return type.cast(t);
      }
    }
    return null;
  }
}
