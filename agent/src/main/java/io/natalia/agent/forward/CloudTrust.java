package io.natalia.agent.forward;

import io.natalia.agent.config.AgentConfig;
import io.natalia.agent.crypto.PinnedTrustManager;
import io.natalia.agent.crypto.TrustStores;
import io.natalia.agent.crypto.UntrustedCertificateException;
import io.natalia.agent.health.ConnectFailures;
import io.natalia.agent.health.ErrorCode;
import java.io.IOException;
import java.security.GeneralSecurityException;
import java.security.cert.CertPathBuilderException;
import java.security.cert.CertPathValidatorException;
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
   * A refused cloud certificate.
   *
   * @param code NAT-AGT-020 when a pinned fingerprint or the configured CA refused it,
   *     NAT-AGT-021 on first contact (nothing pinned, no CA file: the JDK's trust store
   *     refused it)
   * @param reason what was refused, in words, without the JDK's exception text
   */
  public record Refusal(ErrorCode code, String reason) {}

  /**
   * Returns why the cloud's certificate was refused, or {@code null} when this failure is not
   * a refused certificate (a timeout, a refused connection, a protocol mismatch).
   */
  public static Refusal refusal(IOException e, AgentConfig.Cloud cloud) {
    UntrustedCertificateException pin =
        ConnectFailures.cause(e, UntrustedCertificateException.class);
    if (pin != null) {
      ErrorCode code = pin.pinnedFingerprint() == null ? ErrorCode.NAT_AGT_021
          : ErrorCode.NAT_AGT_020;
      return new Refusal(code, pin.getMessage());
    }
    // The JDK reports a chain or host name it refuses as a GeneralSecurityException cause.
    if (ConnectFailures.cause(e, SSLHandshakeException.class) == null
        || ConnectFailures.cause(e, GeneralSecurityException.class) == null) {
      return null;
    }
    String host = cloud.url() == null ? null : cloud.url().getHost();
    boolean chainRefused = ConnectFailures.cause(e, CertPathBuilderException.class) != null
        || ConnectFailures.cause(e, CertPathValidatorException.class) != null;
    if (cloud.caCertificateFile() != null) {
      return new Refusal(ErrorCode.NAT_AGT_020, chainRefused
          ? "cloud certificate not signed by the CA in cloud.caCertificateFile "
              + cloud.caCertificateFile()
          : "cloud certificate not issued for host " + host);
    }
    return new Refusal(ErrorCode.NAT_AGT_021, chainRefused
        ? "cloud certificate not trusted yet: no CA known to this machine signed it "
            + "(a self-signed certificate, for example) and no fingerprint is pinned"
        : "cloud certificate not trusted yet: it is not issued for host " + host
            + " and no fingerprint is pinned");
  }
}
