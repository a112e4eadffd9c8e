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
    CountDownLatch inStep = new CountDownLatch(1);
    AtomicBoolean finished = new AtomicBoolean();
    AtomicBoolean interrupted = new AtomicBoolean();
    BackgroundLoop loop =
        new BackgroundLoop(
            "test",
            sleeping(Duration.ofMillis(300), inStep, finished, interrupted), // a commit, say
            new Wakeup(),
            POLL);
    loop.start();
    assertThat(inStep.await(5, TimeUnit.SECONDS)).isTrue();
    loop.close();
    assertThat(finished).isTrue();
    assertThat(interrupted).isFalse();
  }

  @Test
  void a_step_that_outlasts_the_grace_is_interrupted() throws Exception {
    CountDownLatch inStep = new CountDownLatch(1);
    AtomicBoolean finished = new AtomicBoolean();
    AtomicBoolean interrupted = new AtomicBoolean();
    BackgroundLoop loop =
        new BackgroundLoop(
            "test",
            sleeping(Duration.ofMinutes(5), inStep, finished, interrupted),
            new Wakeup(),
            POLL,
            Duration.ofMillis(200));
    loop.start();
    assertThat(inStep.await(5, TimeUnit.SECONDS)).isTrue();
    long start = System.nanoTime();
    loop.close();
    assertThat(interrupted).isTrue();
    assertThat(finished).isFalse();
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

  /** A step that sleeps for {@code length}, saying when it starts and how it ended. */
  private static BackgroundLoop.Step sleeping(
      Duration length, CountDownLatch started, AtomicBoolean finished, AtomicBoolean interrupted) {
    return () -> {
      started.countDown();
      try {
        Thread.sleep(length);
        finished.set(true);
      } catch (InterruptedException e) {
        interrupted.set(true);
        throw e;
      }
      return false;
    };
  }
}
