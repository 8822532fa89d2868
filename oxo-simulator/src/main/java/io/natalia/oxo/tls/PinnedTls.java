package io.natalia.oxo.tls;

import java.io.IOException;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.Locale;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;

/** Client-side TLS that trusts exactly one certificate, for talking to the simulator. */
public final class PinnedTls {
  private PinnedTls() {}

  /**
   * Returns a TLS context that accepts only a server certificate whose SHA-256 fingerprint is
   * {@code fingerprintSha256} (hex, colons and case ignored), as printed by the simulator.
   *
   * @throws IllegalArgumentException when the fingerprint is not 64 hex digits
   */
  public static SSLContext sslContext(String fingerprintSha256) {
    String expected = fingerprintSha256.replace(":", "").toUpperCase(Locale.ROOT);
    if (!expected.matches("[0-9A-F]{64}")) {
      throw new IllegalArgumentException("fingerprint must be a SHA-256 as 64 hex digits,"
          + " colons allowed: '" + fingerprintSha256 + "'");
    }
    TrustManager trustManager = new X509TrustManager() {
      @Override
      public void checkClientTrusted(X509Certificate[] chain, String authType)
          throws CertificateException {
        throw new CertificateException("client certificates are not trusted here");
      }

      @Override
      public void checkServerTrusted(X509Certificate[] chain, String authType)
          throws CertificateException {
        String actual = TlsIdentity.fingerprintSha256(chain[0]).replace(":", "");
        if (!actual.equals(expected)) {
          throw new CertificateException("server certificate SHA-256 " + actual
              + " does not match the pinned fingerprint " + expected);
        }
      }

      @Override
      public X509Certificate[] getAcceptedIssuers() {
        return new X509Certificate[0];
      }
    };
    try {
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(null, new TrustManager[] {trustManager}, null);
      return context;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("cannot build a TLS context", e);
    }
  }

  /** Returns a TLS context whose only trusted certificate is {@code pinned}. */
  public static SSLContext sslContext(X509Certificate pinned) {
    try {
      KeyStore trusted = KeyStore.getInstance("PKCS12");
      trusted.load(null, null);
      trusted.setCertificateEntry("pinned", pinned);
      TrustManagerFactory factory =
          TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      factory.init(trusted);
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(null, factory.getTrustManagers(), null);
      return context;
    } catch (GeneralSecurityException | IOException e) {
      throw new IllegalStateException("cannot build a TLS context pinned on "
          + pinned.getSubjectX500Principal(), e);
    }
  }
}
