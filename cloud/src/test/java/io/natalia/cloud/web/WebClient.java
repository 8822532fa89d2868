package io.natalia.cloud.web;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * A browser without a browser: keeps the cookies the dashboard sets, follows no redirect and
 * trusts only the fixture's certificate.
 */
final class WebClient {
  private static final Pattern META_CSRF =
      Pattern.compile("<meta name=\"csrf-token\" content=\"([^\"]+)\">");
  private static final Pattern FORM_CSRF =
      Pattern.compile("name=\"_csrf\" value=\"([^\"]+)\"");

  private final DashboardFixture fixture;
  private final HttpClient http;
  final Map<String, String> cookies = new LinkedHashMap<>();

  WebClient(DashboardFixture fixture) throws GeneralSecurityException, IOException {
    this.fixture = fixture;
    KeyStore trusted = KeyStore.getInstance("PKCS12");
    trusted.load(null, null);
    trusted.setCertificateEntry("cloud", fixture.tls.certificate());
    TrustManagerFactory trust =
        TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    trust.init(trusted);
    SSLContext ssl = SSLContext.getInstance("TLS");
    ssl.init(null, trust.getTrustManagers(), null);
    this.http = HttpClient.newBuilder().sslContext(ssl)
        .followRedirects(HttpClient.Redirect.NEVER).build();
  }

  /** Signs in and returns the answer of {@code POST /login}. */
  HttpResponse<String> login(String email, String password) throws Exception {
    String page = get("/login").body();
    Matcher token = FORM_CSRF.matcher(page);
    token.find();
    return post("/login", Map.of("_csrf", token.group(1), "email", email,
        "password", password));
  }

  HttpResponse<String> get(String path) throws Exception {
    return send(HttpRequest.newBuilder(URI.create(fixture.baseUrl() + path)).GET());
  }

  /** Posts a form as is (the caller adds {@code _csrf} or not). */
  HttpResponse<String> post(String path, Map<String, String> form) throws Exception {
    StringBuilder body = new StringBuilder();
    form.forEach((name, value) -> body.append(body.isEmpty() ? "" : "&")
        .append(URLEncoder.encode(name, StandardCharsets.UTF_8)).append('=')
        .append(URLEncoder.encode(value, StandardCharsets.UTF_8)));
    return send(HttpRequest.newBuilder(URI.create(fixture.baseUrl() + path))
        .header("Content-Type", "application/x-www-form-urlencoded")
        .POST(HttpRequest.BodyPublishers.ofString(body.toString())));
  }

  /** Posts a form with the CSRF token of the signed-in session. */
  HttpResponse<String> postWithToken(String path, Map<String, String> form) throws Exception {
    Map<String, String> withToken = new LinkedHashMap<>(form);
    withToken.put("_csrf", csrfToken());
    return post(path, withToken);
  }

  String csrfToken() throws Exception {
    Matcher token = META_CSRF.matcher(get("/overview").body());
    if (!token.find()) {
      throw new AssertionError("no CSRF token on the overview: not signed in?");
    }
    return token.group(1);
  }

  private HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
    if (!cookies.isEmpty()) {
      StringBuilder header = new StringBuilder();
      cookies.forEach((name, value) -> header.append(header.isEmpty() ? "" : "; ")
          .append(name).append('=').append(value));
      request.header("Cookie", header.toString());
    }
    HttpResponse<String> response = http.send(request.build(),
        HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    for (String cookie : response.headers().allValues("Set-Cookie")) {
      String pair = cookie.substring(0, cookie.indexOf(';'));
      String name = pair.substring(0, pair.indexOf('='));
      String value = pair.substring(pair.indexOf('=') + 1);
      if (value.isEmpty()) {
        cookies.remove(name);
      } else {
        cookies.put(name, value);
      }
    }
    return response;
  }
}
