package io.natalia.agent.web;

import io.natalia.agent.crypto.TrustStores;
import java.net.Socket;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * Notes the fingerprint of the certificate a server presents, then lets another trust manager
 * decide, so that a connection test can show the fingerprint whether it is trusted or not.
 * Trusts exactly what the delegate trusts.
 */
final class RecordingTrustManager extends X509ExtendedTrustManager {
  private final X509ExtendedTrustManager delegate;
  private volatile String seenFingerprint;

  RecordingTrustManager(X509ExtendedTrustManager delegate) {
    this.delegate = delegate;
  }

  /** Returns the SHA-256 fingerprint of the last certificate presented, or null before any. */
  String seenFingerprint() {
    return seenFingerprint;
  }

  @Override
  public void checkServerTrusted(X509Certificate[] chain, String authType)
      throws CertificateException {
    record(chain);
    delegate.checkServerTrusted(chain, authType);
  }

  @Override
  public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket)
      throws CertificateException {
    record(chain);
    delegate.checkServerTrusted(chain, authType, socket);
  }

  @Override
  public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
      throws CertificateException {
    record(chain);
    delegate.checkServerTrusted(chain, authType, engine);
  }

  @Override
  public void checkClientTrusted(X509Certificate[] chain, String authType)
      throws CertificateException {
    delegate.checkClientTrusted(chain, authType);
  }

  @Override
  public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket)
      throws CertificateException {
    delegate.checkClientTrusted(chain, authType, socket);
  }

  @Override
  public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
      throws CertificateException {
    delegate.checkClientTrusted(chain, authType, engine);
  }

  @Override
  public X509Certificate[] getAcceptedIssuers() {
    return delegate.getAcceptedIssuers();
  }

  private void record(X509Certificate[] chain) {
    if (chain != null && chain.length > 0) {
      seenFingerprint = TrustStores.sha256Fingerprint(chain[0]);
    }
  }
}
