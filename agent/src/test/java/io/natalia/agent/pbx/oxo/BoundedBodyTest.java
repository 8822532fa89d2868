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
    BoundedBody body = new BoundedBody(6);
    body.onSubscribe(subscription);

    body.onNext(List.of(ByteBuffer.wrap("abc".getBytes()), ByteBuffer.wrap("def".getBytes())));
    body.onComplete();

    assertThat(body.getBody().toCompletableFuture().get()).asString().isEqualTo("abcdef");
    assertThat(subscription.cancelled).isFalse();
  }

  @Test
  void bodyOverLimitFailsAndCancels() {
    FakeSubscription subscription = new FakeSubscription();
    BoundedBody body = new BoundedBody(5);
    body.onSubscribe(subscription);

    body.onNext(List.of(ByteBuffer.wrap("abc".getBytes()), ByteBuffer.wrap("def".getBytes())));

    assertThat(subscription.cancelled).isTrue();
    assertThat(body.getBody().toCompletableFuture()).failsWithin(java.time.Duration.ZERO)
        .withThrowableOfType(ExecutionException.class)
        .withCauseInstanceOf(BoundedBody.TooLargeException.class)
        .withMessageContaining("larger than 5 bytes");
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
