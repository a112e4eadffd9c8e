package io.jobhook.metrics;

import io.jobhook.workflow.WorkflowService;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;

/** Workflows: runs by state and the backlog of workflow events, read at every scrape. */
public final class WorkflowSeries {
  private WorkflowSeries() {}

  public static void register(Metrics metrics, WorkflowService workflows) {
    metrics
        .registry()
        .register(
            () -> {
              var runs =
                  new Gauges("jobhook_workflow_runs", "Workflow runs in the database, by state.");
              workflows.runsByState().forEach((state, n) -> runs.add(n, "state", state));
              var backlog = workflows.eventBacklog();
              return MetricSnapshots.of(
                  runs.snapshot(),
                  new Gauges(
                          "jobhook_workflow_events_pending",
                          "Uploads and job ends not yet turned into workflow runs or steps.")
                      .add(backlog.pending())
                      .snapshot(),
                  new Gauges(
                          "jobhook_workflow_events_left_aside",
                          "Workflow events that failed 10 times (see the log).")
                      .add(backlog.leftAside())
                      .snapshot());
            });
  }
}
