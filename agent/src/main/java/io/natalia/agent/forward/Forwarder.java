package io.natalia.agent.forward;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.natalia.agent.config.AgentConfig;
import io.natalia.agent.health.AgentStatus;
import io.natalia.agent.health.ConnectFailures;
import io.natalia.agent.health.ErrorCode;
import io.natalia.agent.health.StatusBoard;
import io.natalia.agent.spool.PendingRecord;
import io.natalia.agent.spool.Spool;
import io.natalia.cdr.IngestResponse;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.zip.Deflater;
import java.util.zip.GZIPOutputStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends the disk buffer's records to the cloud, one batch per call of {@link #forwardOnce}.
 *
 * <p>A batch holds at most {@code cloud.batchMaxRecords} records and {@code cloud.batchMaxBytes}
 * bytes of JSON, gzip-compressed on the wire. Records leave the buffer only after a 202 whose
 * counts account for the whole batch ({@code ingested + duplicates + rejected = sent});
 * rejected records go to the local quarantine with the cloud's code and reason. What each
 * other answer means is decided in {@link RetryPolicy}. Not thread-safe: the agent runs one
 * forwarding loop.
 */
public final class Forwarder {
  private static final Logger log = LoggerFactory.getLogger(Forwarder.class);
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int MAX_BODY_EXCERPT = 200;
  /**
   * Maximum time without a request: an idle agent then posts an empty batch. The cloud shows
   * an agent offline after 15 minutes without one (docs/known-limitations.md#agent-heartbeat).
   */
  static final Duration HEARTBEAT_INTERVAL = Duration.ofSeconds(60);

  private final Spool spool;
  private final CloudClient client;
  /** The settings {@link #client} was built from, to tell why a certificate was refused. */
  private final AgentConfig.Cloud cloud;
  private final RetryPolicy policy;
  private final StatusBoard board;
  private final EnvelopeHead envelopeHead;
  private final InstantSource clock;
  private final int maxRecords;
  private final long maxBytes;
  private int batchLimit;
  private int failures;
  private boolean stopped;
  /** When the last request was sent, or null before the first. */
  private Instant lastPostAt;
  /**
   * Whether records went out since the last empty batch. The health stored by the cloud then
   * still counts them as pending, so a heartbeat follows soon after the buffer empties.
   */
  private boolean sentRecordsSinceHeartbeat;

  Forwarder(Spool spool, CloudClient client, RetryPolicy policy, StatusBoard board,
      AgentConfig config, EnvelopeHead envelopeHead, InstantSource clock) {
    this.spool = spool;
    this.client = client;
    this.cloud = config.cloud();
    this.policy = policy;
    this.board = board;
    this.maxRecords = config.cloud().batchMaxRecords();
    this.maxBytes = config.cloud().batchMaxBytes();
    this.batchLimit = maxRecords;
    this.envelopeHead = envelopeHead;
    this.clock = clock;
  }

  /**
   * Returns a forwarder to the cloud of this configuration.
   *
   * @param status the agent's status, whose health every request carries
   */
  public static Forwarder create(Spool spool, StatusBoard board, AgentConfig config,
      String agentVersion, String hostName, Supplier<AgentStatus> status, InstantSource clock)
      throws IOException {
    return new Forwarder(spool, new CloudClient(config.cloud()), new RetryPolicy(), board,
        config, new EnvelopeHead(config, agentVersion, hostName, status, clock), clock);
  }

  /** Returns whether forwarding stopped on a failure only the admin can fix. */
  public boolean isStopped() {
    return stopped;
  }

  /**
   * Sends one batch, or an empty batch as a heartbeat when nothing was sent for
   * {@link #HEARTBEAT_INTERVAL}, so that the cloud records the agent as alive, with its health.
   * After records went out and the buffer is empty, the heartbeat comes once the health is
   * {@link EnvelopeHead#REFRESH} old, so the cloud does not show the last batch as pending.
   *
   * @return the wait before the next call: zero when more records wait, the backoff after a
   *     failure, or {@code null} when nothing waits or forwarding stopped
   */
  public Duration forwardOnce() throws InterruptedException {
    if (stopped) {
      return null;
    }
    List<PendingRecord> batch = spool.peek(batchLimit, maxBytes);
    Instant now = clock.instant();
    if (batch.isEmpty() && lastPostAt != null) {
      // Once the health has been refreshed, so that it reports the emptied buffer.
      Instant due = lastPostAt.plus(
          sentRecordsSinceHeartbeat ? EnvelopeHead.REFRESH : HEARTBEAT_INTERVAL);
      if (now.isBefore(due)) {
        return sentRecordsSinceHeartbeat ? Duration.between(now, due) : null;
      }
    }
    lastPostAt = now;
    CloudClient.Answer answer;
    try {
      answer = client.post(gzipBody(batch));
    } catch (IOException e) {
      CloudTrust.Refusal refused = CloudTrust.refusal(e, cloud);
      if (refused != null) {
        return certificateRefused(refused);
      }
      ConnectFailures.Failure connect = ConnectFailures.describe(e, client.ingestUri());
      String cause = connect != null ? connect.reason() : client.ingestUri() + " failed: " + e;
      return retryLater(cause, null);
    }
    return switch (RetryPolicy.classify(answer.status())) {
      case DELIVERED -> delivered(batch, answer);
      case RETRY -> retryLater(client.ingestUri() + " responded with HTTP " + answer.status(),
          answer.retryAfter());
      case SPLIT -> batch.isEmpty()
          ? retryLater(client.ingestUri() + " refused an empty batch with HTTP "
              + answer.status(), null)
          : split(batch, answer);
      case STOP -> stop(answer);
    };
  }

  private Duration delivered(List<PendingRecord> batch, CloudClient.Answer answer) {
    IngestResponse response;
    try {
      response = parse(answer.body());
    } catch (IOException | RuntimeException e) {
      return retryLater("cloud response to " + batch.size() + " records is not a valid ingest "
          + "response: " + excerpt(answer.body()), null);
    }
    if (response.accountedFor() != batch.size() || !indexesValid(response, batch.size())) {
      return retryLater("cloud response accounts for " + response.accountedFor() + " of "
          + batch.size() + " records sent; the batch is kept and sent again", null);
    }
    if (!batch.isEmpty()) {
      acknowledge(batch, response);
    }
    sentRecordsSinceHeartbeat = !batch.isEmpty();
    failures = 0;
    batchLimit = Math.min(maxRecords, batchLimit * 2);
    board.clear(ErrorCode.NAT_AGT_018);
    board.clear(ErrorCode.NAT_AGT_020);
    board.clear(ErrorCode.NAT_AGT_021);
    board.clear(ErrorCode.NAT_API_001);
    return batch.isEmpty() ? null : Duration.ZERO;
  }

  private void acknowledge(List<PendingRecord> batch, IngestResponse response) {
    Map<Integer, IngestResponse.Rejection> byIndex = new HashMap<>();
    for (IngestResponse.Rejection rejection : response.rejected()) {
      byIndex.put(rejection.index(), rejection);
    }
    List<PendingRecord> delivered = new ArrayList<>(batch.size());
    List<Spool.Rejected> rejected = new ArrayList<>();
    for (int i = 0; i < batch.size(); i++) {
      IngestResponse.Rejection rejection = byIndex.get(i);
      if (rejection == null) {
        delivered.add(batch.get(i));
      } else {
        rejected.add(new Spool.Rejected(batch.get(i), rejection.code(), rejection.reason()));
      }
    }
    spool.acknowledge(delivered, rejected);
    board.addRecordsForwarded(delivered.size());
    if (!rejected.isEmpty()) {
      board.raise(ErrorCode.NAT_AGT_019, rejected.size() + " record(s) rejected by the cloud "
          + "and quarantined; first: " + rejected.get(0).code() + " " + rejected.get(0).reason());
    }
  }

  private Duration split(List<PendingRecord> batch, CloudClient.Answer answer) {
    if (batch.size() > 1) {
      batchLimit = Math.max(1, batch.size() / 2);
      log.info("Cloud rejected a batch of {} records with HTTP {}; sending batches of {}",
          batch.size(), answer.status(), batchLimit);
      return Duration.ZERO;
    }
    String reason = "cloud rejected this record alone with HTTP " + answer.status() + ": "
        + excerpt(answer.body());
    spool.acknowledge(List.of(), List.of(new Spool.Rejected(batch.get(0),
        "HTTP-" + answer.status(), reason)));
    board.raise(ErrorCode.NAT_AGT_019, "record " + batch.get(0).id() + " quarantined: "
        + reason);
    return Duration.ZERO;
  }

  private Duration stop(CloudClient.Answer answer) {
    stopped = true;
    board.raise(ErrorCode.NAT_API_001, "cloud " + client.ingestUri() + " rejected the agent "
        + "API key (HTTP " + answer.status() + "); forwarding stopped, "
        + spool.pendingCount() + " records kept in the disk buffer");
    return null;
  }

  /**
   * Stops forwarding on a refused cloud certificate until it is trusted again. The handshake
   * fails before the API key is sent, so checking again every {@link RetryPolicy#MAX_DELAY}
   * costs nothing and resumes by itself when the cloud presents the trusted certificate again.
   */
  private Duration certificateRefused(CloudTrust.Refusal refused) {
    board.raise(refused.code(), refused.reason() + " (" + client.ingestUri() + "); forwarding "
        + "stopped, " + spool.pendingCount() + " records kept in the disk buffer; checked "
        + "again every " + RetryPolicy.MAX_DELAY.toMinutes() + " min");
    return RetryPolicy.MAX_DELAY;
  }

  private Duration retryLater(String cause, Duration retryAfter) {
    failures++;
    Duration wait = policy.delay(failures, retryAfter);
    board.raise(ErrorCode.NAT_AGT_018, cause + "; attempt " + failures + ", next in "
        + wait.toSeconds() + " s");
    log.debug("Forwarding failed ({}); retrying in {} ms", cause, wait.toMillis());
    return wait;
  }

  private List<byte[]> gzipBody(List<PendingRecord> batch) throws IOException {
    BlockOutputStream blocks = new BlockOutputStream();
    try (OutputStream out = new FastGzipOutputStream(blocks)) {
      out.write(envelopeHead.bytes());
      for (int i = 0; i < batch.size(); i++) {
        if (i > 0) {
          out.write(',');
        }
        batch.get(i).writeJson(out);
      }
      out.write(']');
      out.write('}');
    }
    return blocks.blocks();
  }

  /**
   * Collects bytes in blocks of at most 128 KiB. The JVM's G1 collector allocates an array of
   * half a heap region or more (512 KiB in a 256 MiB heap) directly in the old generation,
   * where a few per batch trigger costly collections.
   */
  private static final class BlockOutputStream extends OutputStream {
    private static final int BLOCK_BYTES = 128 * 1024;
    private final List<byte[]> full = new ArrayList<>();
    private byte[] current = new byte[BLOCK_BYTES];
    private int used;

    @Override
    public void write(int b) {
      write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] bytes, int offset, int length) {
      while (length > 0) {
        if (used == current.length) {
          full.add(current);
          current = new byte[BLOCK_BYTES];
          used = 0;
        }
        int step = Math.min(length, current.length - used);
        System.arraycopy(bytes, offset, current, used, step);
        used += step;
        offset += step;
        length -= step;
      }
    }

    List<byte[]> blocks() {
      List<byte[]> all = new ArrayList<>(full);
      all.add(Arrays.copyOf(current, used));
      return all;
    }
  }

  /**
   * Gzip stream at the fastest level, which costs less CPU than the default level 6 and still
   * compresses the field names that every record repeats.
   */
  private static final class FastGzipOutputStream extends GZIPOutputStream {
    FastGzipOutputStream(OutputStream out) throws IOException {
      super(out, 64 * 1024);
      def.setLevel(Deflater.BEST_SPEED);
    }
  }

  private static IngestResponse parse(byte[] body) throws IOException {
    JsonNode node = JSON.readTree(body);
    List<IngestResponse.Rejection> rejected = new ArrayList<>();
    for (JsonNode r : node.path("rejected")) {
      rejected.add(new IngestResponse.Rejection(r.path("index").asInt(-1),
          r.path("code").asText(""), r.path("reason").asText("")));
    }
    if (!node.path("ingested").canConvertToInt()) {
      throw new IOException("no ingested count");
    }
    return new IngestResponse(node.path("ingested").asInt(), node.path("duplicates").asInt(0),
        rejected);
  }

  private static boolean indexesValid(IngestResponse response, int size) {
    return response.rejected().stream()
        .allMatch(r -> r.index() >= 0 && r.index() < size)
        && response.rejected().stream().map(IngestResponse.Rejection::index).distinct().count()
            == response.rejected().size();
  }

  private static String excerpt(byte[] body) {
    String text = body == null ? "" : new String(body, StandardCharsets.UTF_8);
    return text.length() > MAX_BODY_EXCERPT ? text.substring(0, MAX_BODY_EXCERPT) + "..." : text;
  }
}
