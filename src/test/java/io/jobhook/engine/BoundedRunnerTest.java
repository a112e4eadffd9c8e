package io.jobhook.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class BoundedRunnerTest {

  @Test
  void a_slot_reserved_while_a_claim_runs_never_leaves_a_claimed_item_without_a_slot()
      throws Exception {
    try (BoundedRunner<String> runner = new BoundedRunner<>(2, new Wakeup(), item -> item)) {
      CountDownLatch bothRunning = new CountDownLatch(2);
      CountDownLatch finish = new CountDownLatch(1);
      CompletableFuture<Optional<BoundedRunner<String>.Slot>> reservedDuringClaim =
          new CompletableFuture<>();
      // the claim is where a concurrent submit could take a slot: here it tries to, in the middle
      CompletableFuture<Boolean> claimed =
          CompletableFuture.supplyAsync(
              () ->
                  runner.claimAndStart(
                      free -> {
                        reservedDuringClaim.complete(runner.tryReserve());
                        return new BoundedRunner.Claim<>(List.of("a", "b").subList(0, free), true);
                      },
                      item -> {
                        bothRunning.countDown();
                        await(finish);
                      }));

      assertThat(claimed.get(5, TimeUnit.SECONDS)).as("every free slot claimed").isTrue();
      assertThat(bothRunning.await(5, TimeUnit.SECONDS)).as("both claimed items run").isTrue();
      assertThat(reservedDuringClaim.get()).as("the slots were the claim's").isEmpty();
      assertThat(runner.tryReserve()).as("full").isEmpty();
      finish.countDown();
      Optional<BoundedRunner<String>.Slot> later = Optional.empty();
      for (long end = System.nanoTime() + Duration.ofSeconds(5).toNanos();
          later.isEmpty() && System.nanoTime() < end; ) {
        later = runner.tryReserve();
        Thread.sleep(5);
      }
      assertThat(later).as("slots come back when items finish").isPresent();
    }
  }

  @Test
  void an_item_that_ends_wakes_the_next_claim_only_when_the_last_claim_left_items_waiting()
      throws Exception {
    Wakeup wakeup = new Wakeup();
    try (BoundedRunner<String> runner = new BoundedRunner<>(4, wakeup, item -> item)) {
      assertThat(runner.othersWaiting()).as("not known before a claim").isTrue();
      CountDownLatch aEnded = new CountDownLatch(1);
      runner.claimAndStart(
          free -> new BoundedRunner.Claim<>(List.of("a"), false), item -> aEnded.countDown());
      assertThat(runner.othersWaiting()).isFalse();
      assertThat(aEnded.await(5, TimeUnit.SECONDS)).isTrue();
      // proving that a signal does not come takes a wait; the one that does come, below, comes at
      // once
      assertThat(wakeup.await(Duration.ofMillis(300))).as("nothing was left waiting").isFalse();

      runner.claimAndStart(free -> new BoundedRunner.Claim<>(List.of("b"), true), item -> {});
      assertThat(runner.othersWaiting()).isTrue();
      assertThat(wakeup.await(Duration.ofSeconds(5))).as("items were left waiting").isTrue();
    }
  }

  @Test
  void a_claim_put_off_for_want_of_free_slots_is_made_when_the_next_item_ends() throws Exception {
    Wakeup wakeup = new Wakeup();
    try (BoundedRunner<String> runner = new BoundedRunner<>(1, wakeup, item -> item)) {
      CountDownLatch release = new CountDownLatch(1);
      startHeldItem(runner, release);
      assertThat(runner.othersWaiting()).isFalse();
      // new work arrives while the one slot is busy: the claim cannot run now
      assertThat(
              runner.claimAndStart(
                  free -> {
                    throw new AssertionError("no free slot to claim for");
                  },
                  item -> {}))
          .isFalse();
      assertThat(runner.othersWaiting()).as("work may be waiting").isTrue();
      release.countDown();
      assertThat(wakeup.await(Duration.ofSeconds(5))).as("the end of a makes the claim").isTrue();
    }
  }

  @Test
  void an_item_that_ends_while_a_claim_runs_wakes_the_next_claim() throws Exception {
    Wakeup wakeup = new Wakeup();
    try (BoundedRunner<String> runner = new BoundedRunner<>(4, wakeup, item -> item)) {
      CountDownLatch release = new CountDownLatch(1);
      startHeldItem(runner, release);
      boolean[] signalledDuringClaim = new boolean[1];
      // "a" ends while this claim runs: it may have freed what the claim finds held back (its
      // queue's limit, read before the end), so the claim's "nothing waiting" cannot be trusted
      runner.claimAndStart(
          free -> {
            release.countDown();
            try {
              signalledDuringClaim[0] = wakeup.await(Duration.ofSeconds(5));
            } catch (InterruptedException e) {
              throw new IllegalStateException(e);
            }
            return new BoundedRunner.Claim<>(List.of(), false);
          },
          item -> {});
      assertThat(signalledDuringClaim[0]).isTrue();
    }
  }

  @Test
  void slots_not_filled_by_a_claim_or_lost_to_a_failing_claim_come_back() {
    try (BoundedRunner<String> runner = new BoundedRunner<>(3, new Wakeup(), item -> item)) {
      assertThat(
              runner.claimAndStart(
                  free -> new BoundedRunner.Claim<>(List.<String>of(), true), item -> {}))
          .isFalse();
      try {
        runner.claimAndStart(
            free -> {
              throw new IllegalStateException("database down");
            },
            item -> {});
      } catch (IllegalStateException expected) {
        // the claim failed; its slots must not be lost
      }
      assertThat(runner.tryReserve()).isPresent();
      assertThat(runner.tryReserve()).isPresent();
      assertThat(runner.tryReserve()).isPresent();
      assertThat(runner.tryReserve()).isEmpty();
    }
  }

  @Test
  void close_lets_items_under_way_finish_and_interrupts_those_that_outlast_the_grace()
      throws Exception {
    BoundedRunner<Duration> runner =
        new BoundedRunner<>(2, new Wakeup(), Duration::toString, Duration.ofMillis(500));
    CountDownLatch started = new CountDownLatch(2);
    List<String> ends = new java.util.concurrent.CopyOnWriteArrayList<>();
    runner.claimAndStart(
        free ->
            new BoundedRunner.Claim<>(List.of(Duration.ofMillis(100), Duration.ofMinutes(5)), true),
        length -> {
          started.countDown();
          try {
            Thread.sleep(length); // a callback in flight, say
            ends.add("finished " + length);
          } catch (InterruptedException e) {
            ends.add("interrupted " + length);
          }
        });
    assertThat(started.await(5, TimeUnit.SECONDS)).isTrue();
    long start = System.nanoTime();
    runner.close();
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
    assertThat(ends).containsExactly("finished PT0.1S", "interrupted PT5M");
    runner.claimAndStart(
        free -> new BoundedRunner.Claim<>(List.of(Duration.ZERO), true),
        length -> ends.add("ran after close"));
    assertThat(ends).as("nothing starts once closed").hasSize(2);
  }

  /** Starts item "a", which runs until {@code release}, from a claim that left nothing waiting. */
  private static void startHeldItem(BoundedRunner<String> runner, CountDownLatch release) {
    runner.claimAndStart(
        free -> new BoundedRunner.Claim<>(List.of("a"), false), item -> await(release));
  }

  private static void await(CountDownLatch latch) {
    try {
      latch.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
