package io.jobhook.job.run;

import io.jobhook.job.IdleWorkers;
import io.jobhook.job.Job;
import io.jobhook.job.JobService;
import io.jobhook.job.JobState;
import io.jobhook.job.JobStore;
import io.jobhook.engine.BoundedRunner;
import io.jobhook.engine.Wakeup;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Claims due jobs and runs each on a virtual thread with the processor for its tag. A claim is a
 * lease that {@link #renewLeases()} keeps alive while the job runs; if the process dies, the lease
 * runs out (or, single-node, is released at start-up) and the job runs again. Thread-safe.
 */
public final class JobWorkers implements IdleWorkers, AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(JobWorkers.class);

  private final JobStore store;
  private final JobService jobs;
  private final Map<String, Processor> processors;
  private final InstantSource clock;
  private final String owner;
  private final Duration lease;
  private final BoundedRunner<Job> runners;

  public JobWorkers(JobStore store, JobService jobs, List<Processor> processors, InstantSource clock,
      String owner, Duration lease, int maxRunning, Wakeup wakeup) {
    this.store = store;
    this.jobs = jobs;
    this.processors = processors.stream().collect(Collectors.toMap(Processor::tag, Function.identity()));
    this.clock = clock;
    this.owner = owner;
    this.lease = lease;
    this.runners = new BoundedRunner<>(maxRunning, wakeup, job -> "job " + job.id());
  }

  /** Claims and starts what is due; returns true when more may be due right away. */
  public boolean runOnce() {
    return runners.claimAndStart(free -> {
      Instant now = clock.instant();
      JobStore.Claimed claimed = store.claimDue(owner, now, now.plus(lease), free);
      return new BoundedRunner.Claim<>(claimed.jobs(), claimed.othersWaiting());
    }, this::run);
  }

  @Override
  public Optional<IdleWorkers.Slot> reserve() {
    return runners.tryReserve().map(slot -> new IdleWorkers.Slot() {
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

  private void run(Job job) {
    Processor processor = processors.get(job.tag());
    ProcessingOutcome outcome;
    if (processor == null) {
      outcome = new ProcessingOutcome.Failed("InvalidParameter", "no processor for Tag " + job.tag());
    } else {
      try {
        outcome = processor.process(job, new ThrottledProgress(job.id()));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return; // shutting down: the lease will run out and the job runs again
      } catch (Exception | OutOfMemoryError e) {
        log.error("job {} failed unexpectedly", job.id(), e);
        outcome = new ProcessingOutcome.Failed("InternalError", "internal error: " + e);
      }
    }
    boolean recorded = switch (outcome) {
      case ProcessingOutcome.Succeeded s -> jobs.finish(job, owner, JobState.Success, "Success", "SUCCESS", s.outputs());
      case ProcessingOutcome.Failed f -> jobs.finish(job, owner, JobState.Failed, f.code(), f.message(), List.of());
    };
    if (!recorded) {
      log.warn("job {} finished but its lease had been lost; another run owns it", job.id());
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
  }
}
