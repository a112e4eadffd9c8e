package io.jobhook.metrics;

import io.jobhook.engine.Transaction;
import io.jobhook.job.Job;
import io.jobhook.job.JobEndListener;
import io.jobhook.job.JobStore;
import io.jobhook.job.JobSubmitListener;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import java.time.Duration;

/**
 * Jobs: submitted by tag and ended by tag and state (counted on this node once their transaction
 * commits), how long they waited for a worker and ran, and the depth of each queue (read from the
 * database at scrape time, so every node reports the whole cluster's).
 */
public final class JobSeries implements JobSubmitListener, JobEndListener {
  private static final double[] SECONDS = {
    0.005, 0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600, 1800, 3600
  };

  private final Counter submitted;
  private final Counter ended;
  private final Histogram waited;
  private final Histogram ran;

  public JobSeries(Metrics metrics) {
    var registry = metrics.registry();
    submitted =
        Counter.builder()
            .name("jobhook_jobs_submitted_total")
            .help("Jobs stored on this node, through the API or by workflow runs, by tag.")
            .labelNames("tag")
            .register(registry);
    ended =
        Counter.builder()
            .name("jobhook_jobs_ended_total")
            .help("Jobs that ended on this node, by tag and final state.")
            .labelNames("tag", "state")
            .register(registry);
    waited =
        Histogram.builder()
            .name("jobhook_job_queue_wait_seconds")
            .help("Time from a job's submission to its start, by tag.")
            .labelNames("tag")
            .classicOnly()
            .classicUpperBounds(SECONDS)
            .withoutExemplars()
            .register(registry);
    ran =
        Histogram.builder()
            .name("jobhook_job_duration_seconds")
            .help("Time from a job's start to its end, by tag and final state.")
            .labelNames("tag", "state")
            .classicOnly()
            .classicUpperBounds(SECONDS)
            .withoutExemplars()
            .register(registry);
  }

  @Override
  public void submitted(Job job) {
    submitted.labelValues(job.tag()).inc();
  }

  @Override
  public void ended(Transaction tx, Job job) {
    tx.afterCommit(() -> count(job));
  }

  private void count(Job job) {
    String state = job.state().name();
    ended.labelValues(job.tag(), state).inc();
    if (job.startTime() != null) {
      waited.labelValues(job.tag()).observe(seconds(job.creationTime(), job.startTime()));
      if (job.endTime() != null) {
        ran.labelValues(job.tag(), state).observe(seconds(job.startTime(), job.endTime()));
      }
    }
  }

  private static double seconds(java.time.Instant from, java.time.Instant to) {
    return Math.max(0, Duration.between(from, to).toNanos() / 1e9);
  }

  /** Adds the depth of every queue, read from the database at every scrape. */
  public static void queueDepths(Metrics metrics, JobStore jobs) {
    metrics
        .registry()
        .register(
            () -> {
              var depth =
                  new Gauges(
                      "jobhook_queue_jobs",
                      "Jobs of each queue that wait for a worker (Submitted) and that run.");
              for (JobStore.QueueDepth q : jobs.queueDepths()) {
                depth.add(
                    q.waiting(), "bucket", q.bucket(), "queue", q.queueId(), "state", "Submitted");
                depth.add(
                    q.running(), "bucket", q.bucket(), "queue", q.queueId(), "state", "Running");
              }
              return MetricSnapshots.of(depth.snapshot());
            });
  }
}
