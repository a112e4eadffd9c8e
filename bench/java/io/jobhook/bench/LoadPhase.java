package io.jobhook.bench;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * One measured phase of a job benchmark, the same code for jobhook ({@link PipelineBench}) and its
 * peer ({@link DbSchedulerBench}) so that their figures compare: {@code jobs} jobs submitted from
 * {@code concurrency} submitters (virtual threads), as fast as each submission returns when {@code
 * rate} is 0, else each job at its slot of a fixed schedule; then a wait until every job has been
 * reported complete. Prints one line, {@code REPORT jobs= completed= seconds= jobs_per_s=
 * submit_rate= p50_ms= p99_ms= cpu_ms_per_job=} (latency from the submit call to the completion;
 * CPU of the whole process), unless {@code report} is null (a warm-up).
 */
final class LoadPhase {
  private static final long MAX_WAIT_NANOS = 300_000_000_000L;

  private LoadPhase() {}

  /** One submitter's connection, used by one thread. */
  @FunctionalInterface
  interface Submitter extends AutoCloseable {
    /** Submits job {@code i}; returns the id its completion will be reported under. */
    String submit(int i) throws Exception;

    @Override
    default void close() throws Exception {}
  }

  @FunctionalInterface
  interface Connect {
    Submitter open() throws Exception;
  }

  /**
   * Runs the phase; {@code completed} is filled by the system under test (job id to {@link
   * System#nanoTime()} of its completion) and cleared here first.
   */
  static void run(
      int jobs,
      int concurrency,
      int rate,
      Connect connect,
      Map<String, Long> completed,
      String report)
      throws Exception {
    Map<String, Long> submitted = new ConcurrentHashMap<>();
    completed.clear();
    AtomicInteger next = new AtomicInteger();
    var os =
        (com.sun.management.OperatingSystemMXBean)
            java.lang.management.ManagementFactory.getOperatingSystemMXBean();
    long cpuAtStart = os.getProcessCpuTime();
    long start = System.nanoTime();
    try (var submitters = Executors.newVirtualThreadPerTaskExecutor()) {
      for (int t = 0; t < concurrency; t++) {
        submitters.execute(
            () -> {
              try (Submitter submitter = connect.open()) {
                int i;
                while ((i = next.getAndIncrement()) < jobs) {
                  if (rate > 0) {
                    LockSupport.parkNanos(start + (long) (i * 1e9 / rate) - System.nanoTime());
                  }
                  long sent = System.nanoTime();
                  submitted.put(submitter.submit(i), sent);
                }
              } catch (Exception e) {
                throw new IllegalStateException("a submitter failed", e);
              }
            });
      }
    }
    long submittedAt = System.nanoTime();
    while (completed.size() < jobs && System.nanoTime() - submittedAt < MAX_WAIT_NANOS) {
      Thread.sleep(5);
    }
    if (report == null) {
      return;
    }
    long end =
        completed.values().stream().mapToLong(Long::longValue).max().orElse(System.nanoTime());
    double cpuMsPerJob = (os.getProcessCpuTime() - cpuAtStart) / 1e6 / jobs;
    long[] latencies =
        submitted.entrySet().stream()
            .filter(e -> completed.containsKey(e.getKey()))
            .mapToLong(e -> completed.get(e.getKey()) - e.getValue())
            .sorted()
            .toArray();
    double seconds = (end - start) / 1e9;
    System.out.printf(
        "%s jobs=%d completed=%d seconds=%.2f jobs_per_s=%.1f submit_rate=%.0f p50_ms=%.2f p99_ms=%.2f"
            + " cpu_ms_per_job=%.2f%n",
        report,
        jobs,
        latencies.length,
        seconds,
        latencies.length / seconds,
        jobs / ((submittedAt - start) / 1e9),
        latencies[latencies.length / 2] / 1e6,
        latencies[(int) (latencies.length * 0.99)] / 1e6,
        cpuMsPerJob);
  }
}
