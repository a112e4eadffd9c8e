package io.jobhook.config;

/**
 * The workflow engine (it polls with the job engine's {@link JobsConfig#pollInterval}).
 *
 * @param eventBatch events handled per pass (default 64)
 * @param maxEventAttempts failures after which an event is left aside and logged, so that one bad
 *     event cannot stall the rest (default 10)
 */
public record WorkflowsConfig(int eventBatch, int maxEventAttempts) {

  public static WorkflowsConfig defaults() {
    return new WorkflowsConfig(64, 10);
  }

  public WorkflowsConfig {
    if (eventBatch < 1 || maxEventAttempts < 1) {
      throw new IllegalArgumentException(
          "the workflow event batch and attempts must be at least 1");
    }
  }
}
