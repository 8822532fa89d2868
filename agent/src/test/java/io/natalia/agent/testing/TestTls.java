package io.natalia.agent.testing;

import io.natalia.agent.crypto.SelfSignedCertificate;
import io.natalia.agent.crypto.TrustStores;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.util.Base64;
import java.util.List;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;

/** A self-signed server certificate for localhost and 127.0.0.1, for the tests' fakes. */
public final class TestTls {
  private static final char[] PASSWORD = "test-only".toCharArray();

  private final KeyStore keyStore;
  private final X509Certificate certificate;

  public TestTls() {
    keyStore = SelfSignedCertificate.create("localhost", List.of("localhost", "127.0.0.1"),
        PASSWORD);
    certificate = SelfSignedCertificate.certificate(keyStore);
  }

  /** Returns the server side context. */
  public SSLContext serverContext() {
    try {
      KeyManagerFactory keys = KeyManagerFactory.getInstance("PKIX");
      keys.init(keyStore, PASSWORD);
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(keys.getKeyManagers(), null, null);
      return context;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Returns the certificate's SHA-256 fingerprint as the agent writes it. */
  public String fingerprint() {
    return TrustStores.sha256Fingerprint(certificate);
  }

  /** Writes the certificate as PEM (for a client that trusts it as a CA) and returns the file. */
  public Path writePem(Path file) throws IOException {
    try {
      String pem = "-----BEGIN CERTIFICATE-----\n"
          + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
              .encodeToString(certificate.getEncoded())
          + "\n-----END CERTIFICATE-----\n";
      Files.writeString(file, pem);
      return file;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }
}
