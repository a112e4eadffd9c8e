package io.jobhook.callback;

import io.jobhook.engine.Ids;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Optional;
import java.util.function.Function;

/**
 * Makes the pending callback of an event, for jobs and workflow runs alike: where it goes, its body
 * rendered once in the target's format, its id, and when its first attempt is due. Thread-safe.
 */
public final class PendingCallbacks {
  private final InstantSource clock;
  private final Duration firstDelay;

  /** {@code firstDelay}: the wait before the first attempt (the retry schedule's first entry). */
  public PendingCallbacks(InstantSource clock, Duration firstDelay) {
    this.clock = clock;
    this.firstDelay = firstDelay;
  }

  /** What a callback is about: a job or a run, of a bucket and queue. */
  public record Subject(String id, String bucket, String queueId) {}

  /**
   * The callback of {@code event} about {@code subject}, if {@code own} or the {@code queue}'s
   * NotifyConfig asks for one; {@code render} writes its body in the format asked for.
   */
  public Optional<PendingCallback> of(
      CallbackEvent event,
      Subject subject,
      CallbackRequest own,
      NotifyConfig queue,
      Function<CallbackFormat, CallbackBody> render) {
    return CallbackTarget.of(own, queue, event)
        .map(
            target -> {
              CallbackBody body = render.apply(target.format());
              Instant now = clock.instant();
              return PendingCallback.create(
                  Ids.callbackId(now),
                  subject.id(),
                  subject.bucket(),
                  subject.queueId(),
                  event.name(),
                  target.url(),
                  body.contentType(),
                  body.bytes(),
                  now,
                  now.plus(firstDelay));
            });
  }
}
