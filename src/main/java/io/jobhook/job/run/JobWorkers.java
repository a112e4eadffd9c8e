package io.jobhook.job.run;

import io.jobhook.engine.BoundedRunner;
import io.jobhook.engine.Leases;
import io.jobhook.engine.Transactions;
import io.jobhook.engine.Wakeup;
import io.jobhook.job.IdleWorkers;
import io.jobhook.job.Job;
import io.jobhook.job.JobEnds;
import io.jobhook.job.JobState;
import io.jobhook.job.JobStore;
import io.jobhook.job.ProcessingOutcome;
import io.jobhook.job.Processor;
import io.jobhook.object.StagedObject;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * Claims due jobs and runs each on a virtual thread with the processor for its tag. A claim is a
 * lease that {@link #renewLeases()} keeps alive while the job runs; if the process dies, the lease
 * runs out (or, single-node, is released at start-up) and the job runs again. Thread-safe.
 */
public final class JobWorkers implements IdleWorkers, AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(JobWorkers.class);

  private final JobStore store;
  private final Transactions transactions;
  private final JobEnds ends;
  private final Map<String, Processor> processors;
  private final InstantSource clock;
  private final String owner;
  private final Duration lease;

  private final BoundedRunner<Job> runners;

  private final List<Duration> retryDelays;

  /**
   * {@code ends}: what a job's end brings with it, written with its final state; {@code
   * retryDelays}: waits before the attempts after one that failed unexpectedly (an exception rather
   * than a failure the processor reports); the attempt after the last of them that fails ends the
   * job {@code InternalError}.
   */
  public JobWorkers(
      JobStore store,
      Transactions transactions,
      JobEnds ends,
      List<Processor> processors,
      InstantSource clock,
      String owner,
      Duration lease,
      List<Duration> retryDelays,
      int maxRunning,
      Wakeup wakeup) {
    this.store = store;
    this.transactions = transactions;
    this.ends = ends;
    this.processors =
        processors.stream().collect(Collectors.toMap(Processor::tag, Function.identity()));
    this.clock = clock;
    this.owner = owner;
    this.lease = lease;
    this.retryDelays = List.copyOf(retryDelays);
    this.runners = new BoundedRunner<>(maxRunning, wakeup, job -> "job " + job.id());
  }

  /** Claims and starts what is due; returns true when more may be due right away. */
  public boolean runOnce() {
    return runners.claimAndStart(
        free -> {
          Instant now = clock.instant();
          JobStore.Claimed claimed = store.claimDue(owner, now, now.plus(lease), free);
          return new BoundedRunner.Claim<>(claimed.jobs(), claimed.othersWaiting());
        },
        this::run);
  }

  @Override
  public Optional<IdleWorkers.Slot> reserve() {
    if (runners.othersWaiting()) {
      // the last claim left jobs waiting (beyond its limit, or held back by their queue): a new
      // job queues behind them anyway, not worth the database's check at each submit
      return Optional.empty();
    }
    return runners
        .tryReserve()
        .map(
            slot ->
                new IdleWorkers.Slot() {
                  @Override
                  public Lease lease() {
                    return new Lease(owner, clock.instant().plus(lease));
                  }

                  @Override
                  public void start(Job job) {
                    slot.start(job, JobWorkers.this::run);
                  }

                  @Override
                  public void release() {
                    slot.release();
                  }
                });
  }

  /** Extends the leases of every job this node runs; called periodically. */
  public boolean renewLeases() {
    store.renewLeases(owner, clock.instant().plus(lease));
    return false;
  }

  /** Runs a job with its id and bucket in the log's context of every line it leads to. */
  private void run(Job job) {
    MDC.put("jobId", job.id());
    MDC.put("bucket", job.input().bucket());
    try {
      process(job);
    } finally {
      MDC.remove("jobId");
      MDC.remove("bucket");
    }
  }

  private void process(Job job) {
    Processor processor = processors.get(job.tag());
    ProcessingOutcome outcome;
    if (processor == null) {
      outcome =
          new ProcessingOutcome.Failed("InvalidParameter", "no processor for Tag " + job.tag());
    } else {
      try {
        outcome = processor.process(job, new ThrottledProgress(job.id()));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return; // shutting down: handed back at close, the job runs again
      } catch (Exception | OutOfMemoryError e) {
        if (runners.closing()) {
          // interrupted by the stop (a read cut short, say): handed back at close, not set aside
          log.info("job {} stopped with the node; it runs again", job.id());
          return;
        }
        // Not the input's fault (a processor returns those as Failed): out of descriptors, memory,
        // disk or database for a while, most likely. Another attempt later usually succeeds.
        if (job.attempts() <= retryDelays.size()) {
          Duration delay = retryDelays.get(job.attempts() - 1);
          log.warn(
              "job {} failed unexpectedly in attempt {}; it runs again in {}",
              job.id(),
              job.attempts(),
              delay,
              e);
          untilStored(job, () -> store.retryLater(job.id(), owner, clock.instant().plus(delay)));
          return;
        }
        log.error(
            "job {} failed unexpectedly in attempt {}, its last", job.id(), job.attempts(), e);
        outcome = new ProcessingOutcome.Failed("InternalError", "internal error: " + e);
      }
    }
    ProcessingOutcome result = outcome;
    Instant end = clock.instant();
    JobEnds.Ending ending =
        ends.of(
            switch (result) {
              case ProcessingOutcome.Succeeded s ->
                  job.finished(JobState.Success, "Success", "SUCCESS", end);
              case ProcessingOutcome.Failed f ->
                  job.finished(JobState.Failed, f.code(), f.message(), end);
            });
    List<StagedObject> outputs =
        result instanceof ProcessingOutcome.Succeeded s ? s.outputs() : List.of();
    boolean recorded =
        untilStored(
            job,
            () ->
                transactions.inTransaction(
                    tx -> {
                      if (!store.finish(tx, ending.job(), owner)) {
                        return false;
                      }
                      outputs.forEach(
                          output ->
                              output.publish(
                                  tx)); // the outputs appear with the Success, not before
                      ending.record(tx);
                      return true;
                    }));
    if (recorded) {
      log.debug(
          "job {} ended {} ({}) after {} attempt(s)",
          job.id(),
          ending.job().state(),
          ending.job().code(),
          job.attempts());
    } else {
      outputs.forEach(StagedObject::discard);
      log.warn("job {} finished but its lease had been lost; another run owns it", job.id());
    }
  }

  /**
   * Writes what became of a job, trying again while storage fails: until it is written, the job is
   * leased to this node and nothing else would ever run it. Gives up only when shutting down (the
   * lease then runs out, or is released at start-up, and the job runs again).
   */
  private boolean untilStored(Job job, BooleanSupplier write) {
    long backoffMillis = 100;
    while (true) {
      try {
        return write.getAsBoolean();
      } catch (RuntimeException e) {
        log.warn(
            "could not record what became of job {}; trying again in {} ms: {}",
            job.id(),
            backoffMillis,
            e.toString());
        try {
          Thread.sleep(backoffMillis);
        } catch (InterruptedException interrupted) {
          Thread.currentThread().interrupt();
          return false;
        }
        backoffMillis = Math.min(30_000, backoffMillis * 2);
      }
    }
  }

  /**
   * Writes progress at most once per whole-percent step and never more than every 200 ms, starting
   * 200 ms in: most jobs end sooner, and their final state says 100 without a write per job.
   */
  private final class ThrottledProgress implements Processor.ProgressListener {
    private final String jobId;
    private int last = -1;
    private long lastWrite = System.nanoTime();

    ThrottledProgress(String jobId) {
      this.jobId = jobId;
    }

    @Override
    public void progress(int percent) {
      long now = System.nanoTime();
      if (percent > last && (now - lastWrite) > 200_000_000L && percent < 100) {
        last = percent;
        lastWrite = now;
        store.updateProgress(jobId, owner, percent);
      }
    }
  }

  @Override
  public void close() {
    runners.close();
    Leases.handBack("job(s)", () -> store.releaseLeasesOf(owner));
  }
}
