package io.natalia.agent.crypto;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.KeyStoreException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.Certificate;
import java.security.cert.CertificateEncodingException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.Collection;
import java.util.HexFormat;
import java.util.Locale;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedTrustManager;

/** Builds TLS client contexts and certificate fingerprints. */
public final class TrustStores {
  private TrustStores() {}

  /**
   * Returns a client context that trusts only the CA certificates of a PEM file, with the JDK's
   * usual chain and host name checks.
   *
   * @throws IOException when the file cannot be read or holds no certificate
   */
  public static SSLContext trustingPem(Path pemFile) throws IOException {
    return context(pemTrustManager(pemFile));
  }

  /**
   * Returns a trust manager of the CA certificates of a PEM file, with the JDK's usual chain and
   * host name checks.
   *
   * @throws IOException when the file cannot be read or holds no certificate
   */
  public static X509ExtendedTrustManager pemTrustManager(Path pemFile) throws IOException {
    try (InputStream in = Files.newInputStream(pemFile)) {
      Collection<? extends Certificate> certificates =
          CertificateFactory.getInstance("X.509").generateCertificates(in);
      if (certificates.isEmpty()) {
        throw new IOException("no certificate found in " + pemFile);
      }
      KeyStore store = KeyStore.getInstance("PKCS12");
      store.load(null, null);
      int index = 0;
      for (Certificate certificate : certificates) {
        store.setCertificateEntry("ca-" + index++, certificate);
      }
      return trustManager(store);
    } catch (GeneralSecurityException e) {
      throw new IOException("cannot read the CA certificates of " + pemFile + ": "
          + e.getMessage(), e);
    }
  }

  /** Returns the trust manager of the JDK's default trust store (public CAs). */
  public static X509ExtendedTrustManager defaultTrustManager() {
    try {
      return trustManager(null);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("the JDK's default trust store cannot be read", e);
    }
  }

  private static X509ExtendedTrustManager trustManager(KeyStore store)
      throws GeneralSecurityException {
    TrustManagerFactory factory =
        TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    factory.init(store);
    for (TrustManager manager : factory.getTrustManagers()) {
      if (manager instanceof X509ExtendedTrustManager x509) {
        return x509;
      }
    }
    throw new KeyStoreException("the JDK's trust manager factory returned no X.509 manager");
  }

  /** Returns a client context over the given trust managers. */
  public static SSLContext context(TrustManager... trustManagers) {
    try {
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(null, trustManagers, null);
      return context;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("every JDK provides TLS", e);
    }
  }

  /** Returns the SHA-256 fingerprint of a certificate: upper-case hex bytes with colons. */
  public static String sha256Fingerprint(X509Certificate certificate) {
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(certificate.getEncoded());
      return HexFormat.ofDelimiter(":").formatHex(digest).toUpperCase(Locale.ROOT);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK provides SHA-256", e);
    } catch (CertificateEncodingException e) {
      throw new IllegalArgumentException("certificate cannot be encoded", e);
    }
  }
}
