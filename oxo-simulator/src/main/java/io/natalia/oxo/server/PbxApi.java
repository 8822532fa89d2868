package io.natalia.oxo.server;

import static io.natalia.oxo.server.Responses.JSON;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import io.natalia.oxo.buffer.Page;
import io.natalia.oxo.fault.Faults;
import io.natalia.oxo.server.TokenService.InvalidTokenException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Base64;
import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The PBX API: Basic login to a JWT, and the records endpoint with its faults. */
final class PbxApi {
  private static final Logger LOG = LoggerFactory.getLogger(PbxApi.class);
  private static final String SINCE_FORMAT =
      "expected an ISO-8601 UTC time such as 2026-05-24T00:00:00Z";

  private final OxoSimulator pbx;
  private final Faults faults;
  private final RecordFaults recordFaults;

  PbxApi(OxoSimulator pbx) {
    this.pbx = pbx;
    this.faults = pbx.faults();
    this.recordFaults = new RecordFaults(faults);
  }

  void register(JavalinConfig config) {
    config.routes.post(OxoSimulator.LOGIN_PATH, this::login);
    config.routes.get(OxoSimulator.RECORDS_PATH, this::records);
    // The body is already short of its Content-Length: Jetty aborts the connection on return.
    config.routes.exception(CutConnectionException.class, (e, ctx) -> { });
  }

  private void login(Context ctx) throws InterruptedException {
    if (rejectedByFault(ctx)) {
      return;
    }
    String[] credentials = basicCredentials(ctx.header("Authorization"));
    Account account = credentials == null ? null : pbx.account(credentials[0]);
    if (account == null || !samePassword(account.password(), credentials[1])) {
      LOG.warn("Login rejected for account '{}': wrong login or password",
          credentials == null ? "(no Basic credentials)" : credentials[0]);
      ctx.header("WWW-Authenticate", "Basic realm=\"OXO\"");
      reject(ctx, 401, "invalid login or password");
      return;
    }
    ObjectNode body = JSON.createObjectNode()
        .put("token", pbx.tokens().issue(account.login()))
        .put("expires_in", pbx.tokens().lifetime().toSeconds());
    LOG.debug("Login accepted for account '{}'", account.login());
    Responses.json(ctx, 200, body);
  }

  private void records(Context ctx) throws InterruptedException, IOException {
    if (rejectedByFault(ctx) || !authorized(ctx)) {
      return;
    }
    String accept = ctx.header("Accept");
    if (accept != null && !acceptsJson(accept)) {
      reject(ctx, 406, "records are only served as application/json, the request accepts: "
          + accept);
      return;
    }
    Instant since = since(ctx);
    if (since == null) {
      return;
    }
    pbx.writeTicketsUntilNow();
    Page page = pbx.buffer().take(since, pbx.pageCap());
    byte[] body = recordFaults.body(page);
    int length = body == null ? Math.max(2, page.data().length + 1) : body.length;
    ctx.status(200).contentType(Responses.JSON_TYPE);
    ctx.res().setContentLength(length);
    OutputStream out = ctx.res().getOutputStream();
    if (faults.takeCutConnection()) {
      byte[] full = body == null ? RecordFaults.plainArray(page) : body;
      out.write(full, 0, length / 2);
      out.flush();
      LOG.warn("Connection cut after {} of {} bytes on purpose (fault cut-connections)",
          length / 2, length);
      throw new CutConnectionException();
    }
    if (body != null) {
      out.write(body);
    } else {
      writePlainArray(page, out);
    }
    out.flush();
    if (!faults.ignoreDelivered()) {
      pbx.buffer().delivered(page.ticketIds());
    }
  }

  /** Writes the page as a JSON array straight from the buffer's bytes, without a copy. */
  private static void writePlainArray(Page page, OutputStream out) throws IOException {
    byte[] data = page.data();
    out.write('[');
    if (data.length > 0) {
      out.write(data, 0, data.length - 1);
    }
    out.write(']');
  }

  /** Answers 503 or 429 when a fault burst is on, after the slow-response delay. */
  private boolean rejectedByFault(Context ctx) throws InterruptedException {
    Duration delay = faults.slowResponse();
    if (!delay.isZero()) {
      Thread.sleep(delay);
    }
    if (faults.takeServerError()) {
      reject(ctx, 503, "service temporarily unavailable (fault server-errors)");
      return true;
    }
    Duration retryAfter = faults.takeTooManyRequests();
    if (retryAfter != null) {
      ctx.header("Retry-After", Long.toString(retryAfter.toSeconds()));
      reject(ctx, 429, "too many requests (fault too-many-requests)");
      return true;
    }
    return false;
  }

  private boolean authorized(Context ctx) {
    if (!pbx.cdrOverIpEnabled()) {
      reject(ctx, 404, "service CDR over IP is not enabled: enable it in WMC under"
          + " Configuration > Services > CDR over IP");
      return false;
    }
    String header = ctx.header("Authorization");
    if (header == null || !header.regionMatches(true, 0, "Bearer ", 0, 7)) {
      ctx.header("WWW-Authenticate", "Bearer");
      reject(ctx, 401, "missing Bearer token: log in at " + OxoSimulator.LOGIN_PATH);
      return false;
    }
    Account account;
    try {
      account = pbx.account(pbx.tokens().verify(header.substring(7).strip()));
    } catch (InvalidTokenException e) {
      ctx.header("WWW-Authenticate", "Bearer error=\"invalid_token\"");
      reject(ctx, 401, e.getMessage() + ": log in again at " + OxoSimulator.LOGIN_PATH);
      return false;
    }
    if (account == null) {
      reject(ctx, 401, "token names an account that no longer exists");
      return false;
    }
    if (!account.cdrOperator()) {
      reject(ctx, 403, "account '" + account.login() + "' lacks the CDR operator profile");
      return false;
    }
    return true;
  }

  private static Instant since(Context ctx) {
    String raw = ctx.queryParam("since");
    if (raw == null || raw.isBlank()) {
      reject(ctx, 400, "missing query parameter since: " + SINCE_FORMAT);
      return null;
    }
    try {
      return Instant.parse(raw.strip());
    } catch (DateTimeParseException e) {
      reject(ctx, 400, "invalid since '" + raw + "': " + SINCE_FORMAT);
      return null;
    }
  }

  /** Sends an error status and logs why at DEBUG, without credentials or tokens. */
  private static void reject(Context ctx, int status, String message) {
    LOG.debug("{} {} rejected with {}: {}", ctx.method(), ctx.path(), status, message);
    Responses.error(ctx, status, message);
  }

  private static boolean acceptsJson(String accept) {
    String lower = accept.toLowerCase(Locale.ROOT);
    return lower.contains("application/json") || lower.contains("*/*")
        || lower.contains("application/*");
  }

  /** Returns {login, password} from a Basic header, or null when there is none or it is bad. */
  private static String[] basicCredentials(String header) {
    if (header == null || !header.regionMatches(true, 0, "Basic ", 0, 6)) {
      return null;
    }
    String decoded;
    try {
      decoded = new String(Base64.getDecoder().decode(header.substring(6).strip()),
          StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      return null;
    }
    int colon = decoded.indexOf(':');
    return colon < 0 ? null
        : new String[] {decoded.substring(0, colon), decoded.substring(colon + 1)};
  }

  private static boolean samePassword(String expected, String given) {
    return MessageDigest.isEqual(expected.getBytes(StandardCharsets.UTF_8),
        given.getBytes(StandardCharsets.UTF_8));
  }

  /** Thrown after a deliberately short body so that Jetty aborts the connection. */
  static final class CutConnectionException extends IOException {
    CutConnectionException() {
      super("connection cut on purpose (fault cut-connections)");
    }
  }

  /** Builds the JSON array of a page, applying the record faults. */
  static final class RecordFaults {
    private final Faults faults;
    private byte[] lastRecord;
    private long lastTicketId = -1;

    RecordFaults(Faults faults) {
      this.faults = faults;
    }

    /** Returns the body with record faults applied, or null when the page is served as is. */
    synchronized byte[] body(Page page) throws IOException {
      byte[] previous = lastRecord;
      long previousId = lastTicketId;
      if (page.size() > 0) {
        lastRecord = page.record(page.size() - 1);
        lastTicketId = page.ticketIds()[page.size() - 1];
      }
      boolean repeat = faults.duplicateAcrossPages() && previous != null
          && (page.size() == 0 || page.ticketIds()[0] != previousId);
      int malformed = faults.takeMalformedRecords(page.size());
      int halfWritten = faults.takeHalfWrittenRecords(page.size() - malformed);
      if (!repeat && malformed == 0 && halfWritten == 0) {
        return null;
      }
      ByteArrayOutputStream out = new ByteArrayOutputStream(page.data().length + 1024);
      out.write('[');
      if (repeat) {
        out.write(previous);
      }
      for (int i = 0; i < page.size(); i++) {
        if (repeat || i > 0) {
          out.write(',');
        }
        out.write(i < malformed ? malformed(page.record(i))
            : i < malformed + halfWritten ? halfWritten(page.record(i)) : page.record(i));
      }
      out.write(']');
      return out.toByteArray();
    }

    static byte[] plainArray(Page page) {
      byte[] data = page.data();
      if (data.length == 0) {
        return new byte[] {'[', ']'};
      }
      byte[] body = new byte[data.length + 1];
      body[0] = '[';
      System.arraycopy(data, 0, body, 1, data.length - 1);
      body[data.length] = ']';
      return body;
    }

    private static byte[] malformed(byte[] record) throws IOException {
      ObjectNode node = (ObjectNode) JSON.readTree(record);
      node.put("startTime", "2026-13-45T25:61:00");
      node.put("duration", "1h20");
      node.put("units", -3);
      return JSON.writeValueAsBytes(node);
    }

    private static byte[] halfWritten(byte[] record) throws IOException {
      ObjectNode node = (ObjectNode) JSON.readTree(record);
      ObjectNode half = JSON.createObjectNode();
      int keep = (node.size() + 1) / 2;
      node.properties().stream().limit(keep).forEach(e -> half.set(e.getKey(), e.getValue()));
      return JSON.writeValueAsBytes(half);
    }
  }
}
