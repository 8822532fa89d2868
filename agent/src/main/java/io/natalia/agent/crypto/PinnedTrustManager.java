package io.natalia.agent.crypto;

import java.net.Socket;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * Trusts exactly one server certificate, by its SHA-256 fingerprint; with none pinned, trusts
 * nothing. It checks no host name, since the pin already names the one certificate expected.
 * A refused certificate raises an {@link UntrustedCertificateException} carrying its
 * fingerprint, before any request byte is sent.
 */
public final class PinnedTrustManager extends X509ExtendedTrustManager {
  private final String peer;
  private final String pinned;

  /**
   * Creates the trust manager for one server.
   *
   * @param peer the server in words, {@code PBX} or {@code cloud}, for messages
   * @param pinned the trusted fingerprint ({@code AB:CD:...}, upper case), or {@code null}
   */
  public PinnedTrustManager(String peer, String pinned) {
    this.peer = peer;
    this.pinned = pinned;
  }

  @Override
  public void checkServerTrusted(X509Certificate[] chain, String authType)
      throws CertificateException {
    if (chain == null || chain.length == 0) {
      throw new CertificateException(peer + " presented no certificate");
    }
    String seen = TrustStores.sha256Fingerprint(chain[0]);
    if (!seen.equals(pinned)) {
      throw new UntrustedCertificateException(peer, seen, pinned);
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
