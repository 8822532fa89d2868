package io.natalia.agent.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.natalia.agent.crypto.SelfSignedCertificate;
import io.natalia.agent.crypto.TrustStores;
import java.io.Writer;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The admin's own certificate for the web UI, in place of the self-signed one. */
class ProvidedCertificateTest {
  private static final char[] PASSWORD = "provided".toCharArray();

  @TempDir
  Path dir;

  @Test
  void providedCertificateServesTheWebUi() throws Exception {
    KeyStore provided = SelfSignedCertificate.create("agent.example.lan",
        List.of("127.0.0.1", "agent.example.lan"), PASSWORD);
    X509Certificate certificate = SelfSignedCertificate.certificate(provided);

    try (RunningAgent agent = RunningAgent.start(dir, data -> writePem(provided, data))) {
      HttpResponse<String> health = trusting(certificate).send(
          HttpRequest.newBuilder(agent.uri("/health")).build(),
          HttpResponse.BodyHandlers.ofString());

      assertThat(health.statusCode()).isIn(200, 503);
    }
    assertThat(TrustStores.sha256Fingerprint(certificate))
        .isEqualTo(TrustStores.sha256Fingerprint(served(dir)));
  }

  @Test
  void certificateWithoutKeyStopsStart() throws Exception {
    KeyStore provided = SelfSignedCertificate.create("agent.example.lan",
        List.of("127.0.0.1"), PASSWORD);

    assertThatThrownBy(() -> RunningAgent.start(dir, data -> {
      writePem(provided, data);
      Files.delete(data.resolve(ProvidedCertificate.KEY_FILE));
    })).hasMessageContaining(ProvidedCertificate.KEY_FILE + " is missing");
  }

  private static void writePem(KeyStore store, Path data) throws Exception {
    try (Writer out = Files.newBufferedWriter(data.resolve(ProvidedCertificate.CERTIFICATE_FILE));
        JcaPEMWriter pem = new JcaPEMWriter(out)) {
      pem.writeObject(SelfSignedCertificate.certificate(store));
    }
    try (Writer out = Files.newBufferedWriter(data.resolve(ProvidedCertificate.KEY_FILE));
        JcaPEMWriter pem = new JcaPEMWriter(out)) {
      // PKCS#8 ("BEGIN PRIVATE KEY"), as openssl genpkey writes it.
      pem.writeObject(new JcaPKCS8Generator(
          (PrivateKey) store.getKey(SelfSignedCertificate.ALIAS, PASSWORD), null));
    }
  }

  private static HttpClient trusting(X509Certificate certificate) throws Exception {
    KeyStore trusted = KeyStore.getInstance("PKCS12");
    trusted.load(null, null);
    trusted.setCertificateEntry("provided", certificate);
    TrustManagerFactory factory =
        TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    factory.init(trusted);
    SSLContext context = SSLContext.getInstance("TLS");
    context.init(null, factory.getTrustManagers(), null);
    return HttpClient.newBuilder().sslContext(context).build();
  }

  private static X509Certificate served(Path dir) throws Exception {
    io.natalia.agent.crypto.EncryptionKey key =
        io.natalia.agent.crypto.EncryptionKey.loadOrCreate(dir.resolve("agent.key"));
    return SelfSignedCertificate.certificate(SelfSignedCertificate.loadOrCreate(
        dir.resolve("data").resolve(ProvidedCertificate.KEY_STORE_FILE),
        key.derivePassword("web-tls")));
  }
}
