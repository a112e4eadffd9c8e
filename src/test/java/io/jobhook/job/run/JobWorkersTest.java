package io.jobhook.job.run;

import static org.assertj.core.api.Assertions.assertThat;

import io.jobhook.callback.CallbackQueue;
import io.jobhook.callback.CallbackRequest;
import io.jobhook.callback.PendingCallbacks;
import io.jobhook.config.JobsConfig;
import io.jobhook.engine.Wakeup;
import io.jobhook.job.IdleWorkers;
import io.jobhook.job.Job;
import io.jobhook.job.JobEnds;
import io.jobhook.job.JobOperation;
import io.jobhook.job.JobService;
import io.jobhook.job.JobState;
import io.jobhook.job.JobSubmitListener;
import io.jobhook.job.JobTemplates;
import io.jobhook.job.NewJob;
import io.jobhook.job.ObjectRef;
import io.jobhook.job.ProcessingOutcome;
import io.jobhook.job.Processor;
import io.jobhook.job.QueueService;
import io.jobhook.storage.Database;
import io.jobhook.storage.JdbcCallbackOutbox;
import io.jobhook.storage.JdbcJobStore;
import io.jobhook.storage.JdbcQueueStore;
import io.jobhook.storage.JdbcTransactions;
import io.jobhook.wire.CiTimes;
import io.jobhook.wire.TaskFinishDocument;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A job whose processor throws (out of descriptors, say) runs again later instead of failing. */
class JobWorkersTest {
  private static final String BUCKET = "workers-1250000000";
  private static final String OWNER = "node-test";
  private static final List<Duration> RETRY_DELAYS = JobsConfig.defaults().retryDelays();

  @TempDir Path dir;
  private final AtomicReference<Instant> now =
      new AtomicReference<>(Instant.parse("2026-01-01T00:00:00Z"));
  private final InstantSource clock = () -> now.get();
  private Database db;
  private JdbcJobStore store;
  private JdbcTransactions transactions;
  private QueueService queues;
  private JobEnds ends;

  @BeforeEach
  void open() {
    db = Database.open("jdbc:sqlite:" + dir.resolve("jobs.db"), null, null);
    store = new JdbcJobStore(db);
    transactions = new JdbcTransactions(db);
    useQueuesOf(10);
  }

  /** Queues created from now on run at most {@code maxConcurrent} jobs at once. */
  private void useQueuesOf(int maxConcurrent) {
    queues = new QueueService(new JdbcQueueStore(db), clock, maxConcurrent, new Wakeup());
    ends =
        new JobEnds(
            queues,
            new TaskFinishDocument(new CiTimes(ZoneId.of("UTC"))),
            new PendingCallbacks(clock, Duration.ZERO),
            new CallbackQueue(
                new JdbcCallbackOutbox(db), new Wakeup(), callback -> Optional.empty()),
            List.of());
  }

  private JobWorkers workersFor(Processor kind) {
    return new JobWorkers(
        store,
        transactions,
        ends,
        List.of(kind),
        clock,
        OWNER,
        Duration.ofSeconds(30),
        RETRY_DELAYS,
        2,
        new Wakeup());
  }

  @AfterEach
  void close() {
    db.close();
  }

  /** A processor of the tag submit() uses, taking any settings. */
  private abstract static class TestProcessor implements Processor {
    @Override
    public String tag() {
      return "Flaky";
    }

    @Override
    public void validate(JobOperation operation) {}

    @Override
    public void validateSettings(Map<String, String> settings) {}
  }

  /** A processor that throws for its first {@code failures} calls, then succeeds. */
  private static final class Flaky extends TestProcessor {
    final AtomicInteger calls = new AtomicInteger();
    final int failures;

    Flaky(int failures) {
      this.failures = failures;
    }

    @Override
    public ProcessingOutcome process(Job job, ProgressListener progress) throws IOException {
      if (calls.incrementAndGet() <= failures) {
        throw new IOException("Too many open files");
      }
      return new ProcessingOutcome.Succeeded(List.of());
    }
  }

  private Job submit(Processor kind) {
    JobService jobs =
        new JobService(
            store,
            queues,
            transactions,
            ends,
            List.of(kind),
            JobTemplates.NONE,
            IdleWorkers.NONE,
            new Wakeup(),
            clock,
            JobSubmitListener.NONE);
    return jobs.submit(
        new NewJob(
            BUCKET,
            "ap-guangzhou",
            null,
            "Flaky",
            "in/a.wav",
            new JobOperation(
                new ObjectRef(BUCKET, "ap-guangzhou", "out/a.wav"), "", "", 0, Map.of()),
            new CallbackRequest(null, true, null, null)));
  }

  private Job stored(Job job) {
    return store.find(BUCKET, job.id()).orElseThrow();
  }

  /** A processor that holds every job until released. */
  private static final class Held extends TestProcessor {
    final java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);

    @Override
    public ProcessingOutcome process(Job job, ProgressListener progress) throws IOException {
      try {
        release.await();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      return new ProcessingOutcome.Succeeded(List.of());
    }
  }

  @Test
  void no_worker_is_offered_to_a_new_job_while_jobs_wait_for_one() throws Exception {
    Held held = new Held();
    useQueuesOf(1); // two jobs wait while a worker is free
    try (JobWorkers workers = workersFor(held)) {
      List<Job> jobs = List.of(submit(held), submit(held), submit(held));
      workers.runOnce(); // one runs, two wait for the queue
      assertThat(workers.reserve())
          .as("jobs are waiting: a new one would queue behind them")
          .isEmpty();

      held.release.countDown();
      for (int ended = 1; ended <= 3; ended++) {
        int count = ended;
        awaitTrue(
            "job " + ended + " ended",
            () ->
                jobs.stream().filter(j -> stored(j).state() == JobState.Success).count() >= count);
        workers.runOnce(); // the next one runs; after the last, nothing is left waiting
      }
      awaitTrue(
          "all ended", () -> jobs.stream().allMatch(j -> stored(j).state() == JobState.Success));
      var slot = workers.reserve();
      assertThat(slot).as("nothing waits: a new job may start at once").isPresent();
      slot.get().release();
    }
  }

  @Test
  void closing_hands_back_a_job_it_had_to_interrupt_so_another_node_takes_it_at_once()
      throws Exception {
    Job job = closedWhileRunning(new UntilInterrupted(false));
    Job handedBack = stored(job);
    assertThat(handedBack.state()).isEqualTo(JobState.Submitted);
    assertThat(leasesHeld()).isZero();
    assertThat(store.claimDue("node-other", now.get(), now.get().plusSeconds(30), 1).jobs())
        .as("another node takes it now, not when the 30 s lease would have run out")
        .extracting(Job::id)
        .containsExactly(job.id());
  }

  @Test
  void a_run_that_fails_because_the_node_stops_is_handed_back_not_set_aside() throws Exception {
    Job job = closedWhileRunning(new UntilInterrupted(true)); // a read from the store, say
    assertThat(store.claimDue("node-other", now.get(), now.get().plusSeconds(30), 1).jobs())
        .as("claimable at once, not after the retry delay of a failed attempt")
        .extracting(Job::id)
        .containsExactly(job.id());
  }

  /**
   * A processor that runs until interrupted, then returns as interrupted or, {@code failsAsRead},
   * fails as a read cut short by the interrupt would.
   */
  private static final class UntilInterrupted extends TestProcessor {
    final java.util.concurrent.CountDownLatch started = new java.util.concurrent.CountDownLatch(1);
    final boolean failsAsRead;

    UntilInterrupted(boolean failsAsRead) {
      this.failsAsRead = failsAsRead;
    }

    @Override
    public ProcessingOutcome process(Job job, ProgressListener progress) throws Exception {
      started.countDown();
      try {
        Thread.sleep(Duration.ofMinutes(10));
      } catch (InterruptedException e) {
        throw failsAsRead ? new java.io.InterruptedIOException("read interrupted") : e;
      }
      return new ProcessingOutcome.Succeeded(List.of());
    }
  }

  /** Submits a job to {@code processor} and closes the workers while it runs; the job. */
  private Job closedWhileRunning(UntilInterrupted processor) throws Exception {
    Job job = submit(processor);
    JobWorkers workers = workersFor(processor);
    workers.runOnce();
    assertThat(processor.started.await(5, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
    workers.close(); // lets it run for the grace, then interrupts it
    return job;
  }

  @Test
  void a_transient_failure_sets_the_job_aside_and_it_succeeds_on_a_later_attempt()
      throws Exception {
    Flaky flaky = new Flaky(2);
    try (JobWorkers workers = workersFor(flaky)) {
      Job job = submit(flaky);
      workers.runOnce();
      awaitTrue(
          "the first attempt gave its lease back",
          () -> flaky.calls.get() == 1 && leasesHeld() == 0);
      assertThat(stored(job).state()).as("not failed").isEqualTo(JobState.Running);

      now.set(now.get().plus(RETRY_DELAYS.get(0)).minusSeconds(1));
      workers.runOnce();
      assertThat(leasesHeld()).as("not before its time").isZero();

      now.set(now.get().plusSeconds(2));
      workers.runOnce();
      awaitTrue(
          "the second attempt gave its lease back",
          () -> flaky.calls.get() == 2 && leasesHeld() == 0);
      now.set(now.get().plus(RETRY_DELAYS.get(1)).plusSeconds(1));
      workers.runOnce();
      awaitTrue("the third attempt succeeded", () -> stored(job).state() == JobState.Success);
      assertThat(stored(job).attempts()).isEqualTo(3);
      assertThat(flaky.calls.get()).isEqualTo(3);
    }
  }

  @Test
  void a_job_that_keeps_failing_unexpectedly_ends_failed_after_its_last_attempt() throws Exception {
    Flaky broken = new Flaky(Integer.MAX_VALUE);
    try (JobWorkers workers = workersFor(broken)) {
      Job job = submit(broken);
      for (Duration delay : RETRY_DELAYS) {
        int calls = broken.calls.get();
        workers.runOnce();
        awaitTrue(
            "an attempt set the job aside",
            () -> broken.calls.get() == calls + 1 && leasesHeld() == 0);
        now.set(now.get().plus(delay).plusSeconds(1));
      }
      workers.runOnce();
      awaitTrue("the last attempt ended the job", () -> stored(job).state() == JobState.Failed);
      assertThat(stored(job).code()).isEqualTo("InternalError");
      assertThat(stored(job).message()).contains("Too many open files");
      assertThat(broken.calls.get()).isEqualTo(RETRY_DELAYS.size() + 1);
    }
  }

  private int leasesHeld() {
    return store.renewLeases(OWNER, now.get().plusSeconds(30));
  }

  private static void awaitTrue(String what, BooleanSupplier condition)
      throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (!condition.getAsBoolean()) {
      assertThat(System.nanoTime()).as(what).isLessThan(deadline);
      Thread.sleep(5);
    }
  }
}
