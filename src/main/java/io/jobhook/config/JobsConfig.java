package io.jobhook.config;

import java.time.Duration;
import java.util.List;

/**
 * The job engine.
 *
 * @param maxRunning jobs processed at once on this node ({@code --max-running-jobs}, default the
 *     number of cores, at least 2)
 * @param queueMaxConcurrent MaxConcurrent of each bucket's default queue, set when the queue is
 *     created ({@code --queue-max-concurrent}, default 10, as CI)
 * @param lease how long a node's claim outlives its last sign of life ({@code --lease-duration},
 *     default 30 s): a job's lease is renewed every third of it while the job runs, so a node that
 *     dies has its jobs taken over by another within it; a callback attempt is claimed for the
 *     callback timeout plus this
 * @param pollInterval how often due jobs and workflow events are looked for when nothing woke the
 *     loops, the fallback for other nodes' work (default 500 ms)
 * @param retryDelays waits before the attempts after one that failed for a reason that is not the
 *     input's (an exception rather than a failure the processor reports); the attempt after the
 *     last of them that fails too ends the job InternalError (default 10 s, 1 min, 5 min, 15 min)
 * @param retainJobs how long ended jobs and workflow runs are kept ({@code --retain-jobs}, default
 *     30 days; zero keeps them): older ones are deleted, once their callbacks have left the
 *     delivery log, by a pass at start and every ten minutes after
 */
public record JobsConfig(
    int maxRunning,
    int queueMaxConcurrent,
    Duration lease,
    Duration pollInterval,
    List<Duration> retryDelays,
    Duration retainJobs) {

  public static JobsConfig defaults() {
    return new JobsConfig(
        Math.max(2, Runtime.getRuntime().availableProcessors()),
        10,
        Duration.ofSeconds(30),
        Duration.ofMillis(500),
        List.of(
            Duration.ofSeconds(10),
            Duration.ofMinutes(1),
            Duration.ofMinutes(5),
            Duration.ofMinutes(15)),
        Duration.ofDays(30));
  }

  public JobsConfig {
    retryDelays = List.copyOf(retryDelays);
    if (maxRunning < 1) {
      throw new IllegalArgumentException("--max-running-jobs must be at least 1");
    }
    if (queueMaxConcurrent < 1) {
      throw new IllegalArgumentException("--queue-max-concurrent must be at least 1");
    }
    if (lease.compareTo(Duration.ofSeconds(1)) < 0) {
      throw new IllegalArgumentException("--lease-duration must be at least 1s");
    }
    if (retainJobs.isNegative()) {
      throw new IllegalArgumentException("--retain-jobs must not be negative");
    }
  }

  public JobsConfig withConcurrency(int newMaxRunning, int newQueueMaxConcurrent) {
    return new JobsConfig(
        newMaxRunning, newQueueMaxConcurrent, lease, pollInterval, retryDelays, retainJobs);
  }

  public JobsConfig withLease(Duration newLease) {
    return new JobsConfig(
        maxRunning, queueMaxConcurrent, newLease, pollInterval, retryDelays, retainJobs);
  }

  public JobsConfig withPollInterval(Duration interval) {
    return new JobsConfig(maxRunning, queueMaxConcurrent, lease, interval, retryDelays, retainJobs);
  }

  public JobsConfig withRetainJobs(Duration retain) {
    return new JobsConfig(maxRunning, queueMaxConcurrent, lease, pollInterval, retryDelays, retain);
  }
}
