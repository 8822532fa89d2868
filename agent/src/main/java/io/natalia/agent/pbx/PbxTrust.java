package io.natalia.agent.pbx;

import io.natalia.agent.config.AgentConfig;
import io.natalia.agent.crypto.PinnedTrustManager;
import io.natalia.agent.crypto.TrustStores;
import io.natalia.agent.crypto.UntrustedCertificateException;
import java.io.IOException;
import javax.net.ssl.SSLContext;

/**
 * Decides which PBX certificates the agent trusts. Never all of them.
 *
 * <ul>
 *   <li>A pinned SHA-256 fingerprint: only that exact certificate. No host name check, since
 *       the PBX is addressed by IP and the pin already names the one certificate expected.
 *   <li>A CA file: certificates that chain to it, with the JDK's host name check.
 *   <li>Neither (first contact): no certificate; the handshake fails with an
 *       {@link UntrustedCertificateException} carrying the fingerprint to show the admin, before
 *       any password is sent.
 * </ul>
 */
public final class PbxTrust {
  private PbxTrust() {}

  /** Returns the TLS client context for this PBX's settings. */
  public static SSLContext sslContext(AgentConfig.Pbx pbx) throws IOException {
    if (pbx.certificateSha256() != null) {
      return TrustStores.context(new PinnedTrustManager("PBX", pbx.certificateSha256()));
    }
    if (pbx.caCertificateFile() != null) {
      return TrustStores.trustingPem(pbx.caCertificateFile());
    }
    return TrustStores.context(new PinnedTrustManager("PBX", null));
  }
}
