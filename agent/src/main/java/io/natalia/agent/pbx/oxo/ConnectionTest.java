package io.natalia.agent.pbx.oxo;

import io.natalia.agent.config.AgentConfig;
import io.natalia.agent.config.ConfigException;
import io.natalia.agent.crypto.UntrustedCertificateException;
import io.natalia.agent.health.AgentException;
import io.natalia.agent.health.ErrorCode;
import io.natalia.agent.pbx.PbxTrust;
import io.natalia.cdr.CallRecord;
import java.io.IOException;
import java.net.http.HttpClient;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * "Test the connection": logs in to the PBX, reads its records once and parses them, without
 * storing anything. On first contact (no certificate trusted yet) it stops at the TLS
 * handshake, before sending the password, and returns the certificate's fingerprint for the
 * admin to check and trust.
 */
public final class ConnectionTest {
  /** Records returned in {@link Result#sample()}. */
  public static final int SAMPLE_SIZE = 5;
  private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);

  private ConnectionTest() {}

  /**
   * Outcome of the test.
   *
   * @param errorCode the failure, or {@code null} when the test passed
   * @param message what happened, naming the value at fault on failure
   * @param recordsRead records parsed from the PBX's response
   * @param unparsable tickets the parser would quarantine, with {@link #reasons()}
   * @param sample the first records read, at most {@link #SAMPLE_SIZE}
   * @param reasons why the unparsable tickets were rejected (at most {@link #SAMPLE_SIZE})
   * @param certificateSha256 the PBX certificate's fingerprint when known: the one seen on
   *     first contact or on a change, else the pinned one
   * @param tokenLifetime the token lifetime the PBX announced, or {@code null}
   */
  public record Result(
      ErrorCode errorCode,
      String message,
      int recordsRead,
      int unparsable,
      List<CallRecord> sample,
      List<String> reasons,
      String certificateSha256,
      Duration tokenLifetime) {

    public Result {
      sample = List.copyOf(sample);
      reasons = List.copyOf(reasons);
    }

    /** Returns whether login, request and parsing all worked. */
    public boolean passed() {
      return errorCode == null;
    }
  }

  /** Runs the test against this PBX's settings; never throws on a PBX failure. */
  public static Result run(AgentConfig.Pbx pbx, Clock clock) {
    HttpClient http;
    try {
      http = httpClient(pbx);
    } catch (IOException e) {
      return failure(ErrorCode.NAT_AGT_017, "pbx.caCertificateFile: " + e.getMessage(), pbx,
          null, null);
    }
    OxoSession session = new OxoSession(pbx, http, System::nanoTime);
    try {
      session.login();
      AgentConfig.checkPollInterval(pbx.pollInterval(), session.tokenLifetime());
      List<Ticket> tickets = session.fetchRecords(Poller.BEGINNING);
      return parsed(pbx, tickets, clock, session.tokenLifetime());
    } catch (ConfigException e) {
      return failure(ErrorCode.NAT_AGT_017, e.getMessage(), pbx, null, session.tokenLifetime());
    } catch (AgentException e) {
      return failure(e.code(), e.getMessage(), pbx, seenFingerprint(e), null);
    } finally {
      http.close();
    }
  }

  /** Returns the HTTPS client the agent uses for this PBX. */
  public static HttpClient httpClient(AgentConfig.Pbx pbx) throws IOException {
    return HttpClient.newBuilder()
        .sslContext(PbxTrust.sslContext(pbx))
        .connectTimeout(CONNECT_TIMEOUT)
        .version(HttpClient.Version.HTTP_1_1)
        .build();
  }

  private static Result parsed(AgentConfig.Pbx pbx, List<Ticket> tickets, Clock clock,
      Duration lifetime) {
    OxoRecordParser parser = new OxoRecordParser(pbx.id(), pbx.timeZone(), clock);
    List<CallRecord> sample = new ArrayList<>();
    List<String> reasons = new ArrayList<>();
    int read = 0;
    int unparsable = 0;
    for (Ticket ticket : tickets) {
      OxoRecordParser.Result result = parser.parse(ticket);
      if (result.record() == null) {
        unparsable++;
        addIfRoom(reasons, result.reason());
      } else {
        read++;
        addIfRoom(sample, result.record());
      }
    }
    String message = "Logged in to " + pbx.baseUri() + " and read " + read + " records"
        + (unparsable > 0 ? "; " + unparsable + " could not be parsed" : "");
    return new Result(null, message, read, unparsable, sample, reasons, pbx.certificateSha256(),
        lifetime);
  }

  private static Result failure(ErrorCode code, String message, AgentConfig.Pbx pbx,
      String seenFingerprint, Duration lifetime) {
    String fingerprint = seenFingerprint != null ? seenFingerprint : pbx.certificateSha256();
    return new Result(code, message, 0, 0, List.of(), List.of(), fingerprint, lifetime);
  }

  private static String seenFingerprint(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof UntrustedCertificateException untrusted) {
        return untrusted.seenFingerprint();
      }
    }
    return null;
  }

  private static <T> void addIfRoom(List<T> list, T item) {
    if (list.size() < SAMPLE_SIZE) {
      list.add(item);
    }
  }
}
