package io.natalia.agent.pbx;

import io.natalia.agent.config.AgentConfig;
import io.natalia.agent.crypto.TrustStores;
import java.io.IOException;
import java.net.Socket;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedTrustManager;

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
      return TrustStores.context(new PinningTrustManager(pbx.certificateSha256()));
    }
    if (pbx.caCertificateFile() != null) {
      return TrustStores.trustingPem(pbx.caCertificateFile());
    }
    return TrustStores.context(new PinningTrustManager(null));
  }

  /** Trusts exactly one certificate, by its SHA-256 fingerprint; with none, trusts nothing. */
  private static final class PinningTrustManager extends X509ExtendedTrustManager {
    private final String pinned;

    PinningTrustManager(String pinned) {
      this.pinned = pinned;
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType)
        throws CertificateException {
      if (chain == null || chain.length == 0) {
        throw new CertificateException("PBX presented no certificate");
      }
      String seen = TrustStores.sha256Fingerprint(chain[0]);
      if (!seen.equals(pinned)) {
        throw new UntrustedCertificateException(seen, pinned);
      }
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket)
        throws CertificateException {
      checkServerTrusted(chain, authType);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
        throws CertificateException {
      checkServerTrusted(chain, authType);
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType)
        throws CertificateException {
      throw new CertificateException("the agent does not accept client connections here");
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket)
        throws CertificateException {
      checkClientTrusted(chain, authType);
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
        throws CertificateException {
      checkClientTrusted(chain, authType);
    }

    @Override
    public X509Certificate[] getAcceptedIssuers() {
      return new X509Certificate[0];
    }
  }
}
