package io.natalia.cloud.server;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.http.HttpURI;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;

/**
 * Jetty's error page for requests it rejects before Javalin handles them, such as 431 headers too
 * large: the API's {@code {"code", "message"}} JSON on paths under {@code /api/} and
 * {@code /ingest/}, Jetty's HTML page elsewhere.
 *
 * <p>Limitation: see docs/known-limitations.md#jetty-errors-without-path. A request line Jetty
 * cannot read (414 URI too long, 400 bad URI) reaches this handler without its path, so it
 * gets the HTML page.
 */
final class ApiErrorHandler extends ErrorHandler {

  @Override
  protected void generateResponse(Request request, Response response, int status,
      String message, Throwable cause, Callback callback) throws IOException {
    String path = path(request);
    if (path == null || !CloudServer.isApiPath(path)) {
      super.generateResponse(request, response, status, message, cause, callback);
      return;
    }
    response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
    response.write(true, ByteBuffer.wrap(json(status, message).getBytes(StandardCharsets.UTF_8)),
        callback);
  }

  /** Returns the body of an error, with Jetty's reason or the status's standard text. */
  static String json(int status, String message) {
    ApiError error = ApiError.ofRejectedRequest(status);
    String reason = message == null || message.isBlank()
        ? HttpStatus.getMessage(status) : message;
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("code", error.code());
    body.put("message", "the web server rejected the request before reading it (HTTP "
        + status + "): " + reason);
    return CloudServer.json(body);
  }

  private static String path(Request request) {
    HttpURI uri = request.getHttpURI();
    return uri == null ? null : uri.getPath();
  }
}
