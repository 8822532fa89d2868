package io.natalia.agent.web;

import io.natalia.agent.crypto.SelfSignedCertificate;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.KeyStore;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * A browser without JavaScript for the web UI: keeps the session cookie, sends the CSRF token
 * of the last page, follows no redirect by itself, trusts only the agent's certificate and
 * keeps a transcript of every response (status, headers, body).
 */
final class WebClient {
  private static final Pattern CSRF = Pattern.compile("name=\"_csrf\" value=\"([^\"]+)\"");
  private static final Pattern COOKIE = Pattern.compile(Sessions.COOKIE + "=([^;]*)");

  private final RunningAgent agent;
  private final HttpClient http;
  private final List<String> transcript = new ArrayList<>();
  private String cookie;
  private String csrf;

  WebClient(RunningAgent agent) throws Exception {
    this.agent = agent;
    this.http = HttpClient.newBuilder().sslContext(trusting(agent))
        .followRedirects(HttpClient.Redirect.NEVER).build();
  }

  HttpResponse<String> get(String path) throws Exception {
    return send(request(path).GET().build());
  }

  /** Posts a form with the CSRF token of the last page. */
  HttpResponse<String> post(String path, Map<String, String> fields) throws Exception {
    Map<String, String> withToken = new LinkedHashMap<>();
    if (csrf != null) {
      withToken.put(WebUi.CSRF_FIELD, csrf);
    }
    withToken.putAll(fields);
    return postExactly(path, withToken);
  }

  /** Posts exactly these fields, without adding the CSRF token. */
  HttpResponse<String> postExactly(String path, Map<String, String> fields) throws Exception {
    String body = fields.entrySet().stream()
        .map(e -> encode(e.getKey()) + "=" + encode(e.getValue()))
        .collect(Collectors.joining("&"));
    return send(request(path).header("Content-Type", "application/x-www-form-urlencoded")
        .POST(HttpRequest.BodyPublishers.ofString(body)).build());
  }

  /** Runs the first-start setup with the printed code, signs in and opens the config page. */
  void setUp(String password) throws Exception {
    get("/setup");
    post("/setup", Map.of("code", agent.setupCode, "password", password, "confirm", password));
    get("/config");
  }

  String cookie() {
    return cookie;
  }

  String csrf() {
    return csrf;
  }

  /** Sends this session cookie from now on, as a stolen or replayed one would be. */
  void useCookie(String value) {
    cookie = value;
  }

  /** Returns every response so far: status line, headers and body. */
  String transcript() {
    return String.join("\n", transcript);
  }

  private HttpRequest.Builder request(String path) {
    HttpRequest.Builder builder = HttpRequest.newBuilder(agent.uri(path));
    if (cookie != null) {
      builder.header("Cookie", Sessions.COOKIE + "=" + cookie);
    }
    return builder;
  }

  private HttpResponse<String> send(HttpRequest request) throws Exception {
    HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
    response.headers().firstValue("Set-Cookie").ifPresent(header -> {
      Matcher m = COOKIE.matcher(header);
      if (m.find()) {
        cookie = m.group(1);
      }
    });
    Matcher token = CSRF.matcher(response.body());
    if (token.find()) {
      csrf = token.group(1);
    }
    transcript.add(request.method() + " " + request.uri().getPath() + " -> "
        + response.statusCode() + " " + response.headers().map() + "\n" + response.body());
    return response;
  }

  private static SSLContext trusting(RunningAgent agent) throws Exception {
    char[] password = agent.store.key().derivePassword("web-tls");
    KeyStore server = SelfSignedCertificate.loadOrCreate(
        agent.store.current().dataDir().resolve("web-tls.p12"), password);
    KeyStore trusted = KeyStore.getInstance("PKCS12");
    trusted.load(null, null);
    trusted.setCertificateEntry("agent", SelfSignedCertificate.certificate(server));
    TrustManagerFactory factory =
        TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    factory.init(trusted);
    SSLContext context = SSLContext.getInstance("TLS");
    context.init(null, factory.getTrustManagers(), null);
    return context;
  }

  private static String encode(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8);
  }

  static URI location(HttpResponse<String> response) {
    return URI.create(response.headers().firstValue("Location").orElse(""));
  }
}
