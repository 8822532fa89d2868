package io.natalia.agent.pbx.oxo;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Flow;
import org.junit.jupiter.api.Test;

class BoundedBodyTest {

  @Test
  void bodyWithinLimitIsCollected() throws Exception {
    FakeSubscription subscription = new FakeSubscription();
    BoundedBody body = new BoundedBody(6, -1);
    body.onSubscribe(subscription);

    body.onNext(List.of(ByteBuffer.wrap("abc".getBytes()), ByteBuffer.wrap("def".getBytes())));
    body.onComplete();

    assertThat(body.getBody().toCompletableFuture().get()).asString().isEqualTo("abcdef");
    assertThat(subscription.cancelled).isFalse();
  }

  @Test
  void bodyOverLimitFailsAndCancels() {
    FakeSubscription subscription = new FakeSubscription();
    BoundedBody body = new BoundedBody(5, -1);
    body.onSubscribe(subscription);

    body.onNext(List.of(ByteBuffer.wrap("abc".getBytes()), ByteBuffer.wrap("def".getBytes())));

    assertThat(subscription.cancelled).isTrue();
    assertThat(body.getBody().toCompletableFuture()).failsWithin(java.time.Duration.ZERO)
        .withThrowableOfType(ExecutionException.class)
        .withCauseInstanceOf(BoundedBody.TooLargeException.class)
        .withMessageContaining("larger than 5 bytes");
  }

  @Test
  void bodyOfAnnouncedLengthIsFilledInPlace() throws Exception {
    BoundedBody body = new BoundedBody(100, 6);
    body.onSubscribe(new FakeSubscription());

    body.onNext(List.of(ByteBuffer.wrap("abc".getBytes()), ByteBuffer.wrap("def".getBytes())));
    body.onComplete();

    assertThat(body.getBody().toCompletableFuture().get()).asString().isEqualTo("abcdef");
  }

  @Test
  void bodyShorterThanAnnouncedFails() {
    BoundedBody body = new BoundedBody(100, 7);
    body.onSubscribe(new FakeSubscription());

    body.onNext(List.of(ByteBuffer.wrap("abcdef".getBytes())));
    body.onComplete();

    assertThat(body.getBody().toCompletableFuture()).failsWithin(java.time.Duration.ZERO)
        .withThrowableOfType(ExecutionException.class)
        .withMessageContaining("shorter than its Content-Length 7");
  }

  @Test
  void bodyLongerThanAnnouncedFailsAndCancels() {
    FakeSubscription subscription = new FakeSubscription();
    BoundedBody body = new BoundedBody(100, 5);
    body.onSubscribe(subscription);

    body.onNext(List.of(ByteBuffer.wrap("abcdef".getBytes())));

    assertThat(subscription.cancelled).isTrue();
    assertThat(body.getBody().toCompletableFuture()).failsWithin(java.time.Duration.ZERO)
        .withThrowableOfType(ExecutionException.class)
        .withMessageContaining("longer than its Content-Length 5");
  }

  private static final class FakeSubscription implements Flow.Subscription {
    boolean cancelled;

    @Override
    public void request(long n) {}

    @Override
    public void cancel() {
      cancelled = true;
    }
  }
}
