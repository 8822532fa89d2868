package io.natalia.agent.pbx.oxo;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Flow;

/**
 * Collects a response body into a byte array, failing as soon as it exceeds a limit, so that a
 * misbehaving PBX cannot exhaust the agent's memory with an endless or huge response.
 */
final class BoundedBody implements HttpResponse.BodySubscriber<byte[]> {
  private final long maxBytes;
  private final CompletableFuture<byte[]> result = new CompletableFuture<>();
  private final ByteArrayOutputStream received;
  /** The body when its length was announced: filled in place, without a final copy. */
  private final byte[] announced;
  private int filled;
  private Flow.Subscription subscription;

  BoundedBody(long maxBytes, long contentLength) {
    this.maxBytes = maxBytes;
    boolean fits = contentLength >= 0 && contentLength <= maxBytes;
    this.announced = fits ? new byte[(int) contentLength] : null;
    this.received = fits ? null : new ByteArrayOutputStream();
  }

  /** Returns a body handler whose bodies fail with {@link TooLargeException} past the limit. */
  static HttpResponse.BodyHandler<byte[]> handler(long maxBytes) {
    return responseInfo -> new BoundedBody(maxBytes,
        responseInfo.headers().firstValueAsLong("Content-Length").orElse(-1));
  }

  @Override
  public void onSubscribe(Flow.Subscription subscription) {
    this.subscription = subscription;
    subscription.request(Long.MAX_VALUE);
  }

  @Override
  public void onNext(List<ByteBuffer> buffers) {
    if (result.isDone()) {
      return;
    }
    for (ByteBuffer buffer : buffers) {
      long size = announced != null ? filled : received.size();
      long limit = announced != null ? announced.length : maxBytes;
      if (size + buffer.remaining() > limit) {
        subscription.cancel();
        result.completeExceptionally(announced != null
            ? new IOException("response body longer than its Content-Length " + limit)
            : new TooLargeException(maxBytes));
        return;
      }
      if (announced != null) {
        int length = buffer.remaining();
        buffer.get(announced, filled, length);
        filled += length;
      } else {
        byte[] bytes = new byte[buffer.remaining()];
        buffer.get(bytes);
        received.writeBytes(bytes);
      }
    }
  }

  @Override
  public void onError(Throwable failure) {
    result.completeExceptionally(failure);
  }

  @Override
  public void onComplete() {
    if (announced != null && filled < announced.length) {
      result.completeExceptionally(new IOException("response body of " + filled
          + " bytes is shorter than its Content-Length " + announced.length));
    } else {
      result.complete(announced != null ? announced : received.toByteArray());
    }
  }

  @Override
  public CompletionStage<byte[]> getBody() {
    return result;
  }

  /** A response body larger than the agent accepts. */
  static final class TooLargeException extends IOException {
    private static final long serialVersionUID = 1L;

    TooLargeException(long maxBytes) {
      super("response body larger than " + maxBytes + " bytes");
    }
  }
}
