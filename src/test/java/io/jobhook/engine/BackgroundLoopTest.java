package io.jobhook.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class BackgroundLoopTest {
  private static final Duration POLL = Duration.ofHours(1);

  @Test
  void close_lets_a_step_under_way_finish_instead_of_interrupting_it() throws Exception {
    Sleeping step = new Sleeping(Duration.ofMillis(300)); // a commit, say
    BackgroundLoop loop = runningStep(step, Closer.GRACE);
    loop.close();
    assertThat(step.finished).isTrue();
    assertThat(step.interrupted).isFalse();
  }

  @Test
  void a_step_that_outlasts_the_grace_is_interrupted() throws Exception {
    Sleeping step = new Sleeping(Duration.ofMinutes(5));
    BackgroundLoop loop = runningStep(step, Duration.ofMillis(200));
    long start = System.nanoTime();
    loop.close();
    assertThat(step.interrupted).isTrue();
    assertThat(step.finished).isFalse();
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
  }

  @Test
  void an_idle_loop_and_one_backing_off_after_a_failure_stop_at_once() throws Exception {
    AtomicInteger steps = new AtomicInteger();
    Wakeup shared = new Wakeup();
    BackgroundLoop idle =
        new BackgroundLoop("idle", () -> steps.incrementAndGet() < 0, shared, POLL);
    CountDownLatch failed = new CountDownLatch(3);
    BackgroundLoop failing =
        new BackgroundLoop(
            "failing",
            () -> {
              failed.countDown();
              throw new IllegalStateException("the database is down");
            },
            new Wakeup(),
            POLL);
    idle.start();
    failing.start();
    assertThat(failed.await(5, TimeUnit.SECONDS)).as("backing off: 50, 100, 200 ms...").isTrue();
    long start = System.nanoTime();
    failing.close();
    idle.close();
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(2));
    assertThat(steps.get()).isPositive();
  }

  /** A loop started on {@code step}, once the step is under way. */
  private static BackgroundLoop runningStep(Sleeping step, Duration grace) throws Exception {
    BackgroundLoop loop = new BackgroundLoop("test", step, new Wakeup(), POLL, grace);
    loop.start();
    assertThat(step.started.await(5, TimeUnit.SECONDS)).isTrue();
    return loop;
  }

  /** A step that sleeps for {@code length}, saying when it starts and how it ended. */
  private static final class Sleeping implements BackgroundLoop.Step {
    final Duration length;
    final CountDownLatch started = new CountDownLatch(1);
    final AtomicBoolean finished = new AtomicBoolean();
    final AtomicBoolean interrupted = new AtomicBoolean();

    Sleeping(Duration length) {
      this.length = length;
    }

    @Override
    public boolean runOnce() throws InterruptedException {
      started.countDown();
      try {
        Thread.sleep(length);
        finished.set(true);
      } catch (InterruptedException e) {
        interrupted.set(true);
        throw e;
      }
      return false;
    }
  }
}
