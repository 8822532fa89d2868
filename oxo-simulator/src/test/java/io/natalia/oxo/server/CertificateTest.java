package io.natalia.oxo.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.natalia.oxo.tls.CertificateStore;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.ZoneId;
import java.util.List;
import javax.net.ssl.SSLHandshakeException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CertificateTest {
  @TempDir Path stateDir;

  private OxoSimulator start() throws Exception {
    return OxoSimulator.builder().stateDir(stateDir)
        .traffic(new FakeTraffic(ZoneId.of("Europe/Paris"))).start();
  }

  @Test
  void fingerprintSurvivesRestart() throws Exception {
    String first;
    try (OxoSimulator pbx = start()) {
      first = pbx.fingerprintSha256();
    }

    try (OxoSimulator pbx = start()) {
      assertThat(pbx.fingerprintSha256()).isEqualTo(first);
    }
    assertThat(Files.exists(stateDir.resolve(CertificateStore.FILE_NAME))).isTrue();
    assertThat(first).matches("([0-9A-F]{2}:){31}[0-9A-F]{2}");
  }

  @Test
  void certificateIsEcP256ForLocalhostAndLoopback() throws Exception {
    try (OxoSimulator pbx = start()) {
      X509Certificate certificate = pbx.certificate();

      assertThat(certificate.getPublicKey().getAlgorithm()).isEqualTo("EC");
      assertThat(certificate.getSigAlgName()).isEqualTo("SHA256withECDSA");
      assertThat(certificate.getSubjectAlternativeNames())
          .contains(List.of(2, "localhost"), List.of(7, "127.0.0.1"));
    }
  }

  @Test
  void clientWithoutPinRejectsSelfSignedCertificate() throws Exception {
    try (OxoSimulator pbx = start()) {
      HttpRequest request = HttpRequest.newBuilder(
          pbx.baseUri().resolve(OxoSimulator.LOGIN_PATH))
          .POST(HttpRequest.BodyPublishers.noBody()).build();

      assertThatThrownBy(() -> HttpClient.newHttpClient().send(request,
          HttpResponse.BodyHandlers.ofString())).isInstanceOf(SSLHandshakeException.class);
    }
  }

  @Test
  void plainHttpIsNotServed() throws Exception {
    try (OxoSimulator pbx = start()) {
      HttpRequest request = HttpRequest.newBuilder(
          java.net.URI.create("http://127.0.0.1:" + pbx.port() + OxoSimulator.LOGIN_PATH))
          .POST(HttpRequest.BodyPublishers.noBody()).build();

      HttpResponse<String> response = sendOrNull(request);

      assertThat(response == null || response.statusCode() == 400).isTrue();
    }
  }

  private static HttpResponse<String> sendOrNull(HttpRequest request) {
    try {
      return HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString());
    } catch (Exception e) {
      return null;
    }
  }
}
