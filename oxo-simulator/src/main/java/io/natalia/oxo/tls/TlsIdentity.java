package io.natalia.oxo.tls;

import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.HexFormat;

/**
 * The simulator's HTTPS key pair and its self-signed certificate.
 *
 * @param privateKey the EC P-256 private key
 * @param certificate the self-signed certificate for {@code localhost} and {@code 127.0.0.1}
 */
public record TlsIdentity(PrivateKey privateKey, X509Certificate certificate) {

  /** Alias of the key entry in {@link #keyStore(char[])}. */
  public static final String KEY_ALIAS = "oxo-simulator";

  /**
   * Returns the SHA-256 fingerprint of the certificate's DER encoding as upper-case hex pairs
   * separated by colons, the form browsers and {@code openssl x509 -fingerprint} print.
   */
  public String fingerprintSha256() {
    return fingerprintSha256(certificate);
  }

  /** Returns the SHA-256 fingerprint of {@code certificate}, formatted as above. */
  public static String fingerprintSha256(X509Certificate certificate) {
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(certificate.getEncoded());
      return HexFormat.ofDelimiter(":").withUpperCase().formatHex(digest);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("cannot compute the certificate's SHA-256 fingerprint", e);
    }
  }

  /** Returns a new in-memory PKCS#12 key store holding this key and certificate. */
  public KeyStore keyStore(char[] password) {
    try {
      KeyStore store = KeyStore.getInstance("PKCS12");
      store.load(null, null);
      store.setKeyEntry(KEY_ALIAS, privateKey, password, new Certificate[] {certificate});
      return store;
    } catch (GeneralSecurityException | java.io.IOException e) {
      throw new IllegalStateException("cannot build a PKCS#12 key store for the simulator", e);
    }
  }
}
