package io.natalia.oxo.tls;

import java.io.IOException;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/** Client-side TLS that trusts exactly one certificate, for talking to the simulator. */
public final class PinnedTls {
  private PinnedTls() {}

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
