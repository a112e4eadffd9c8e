package io.jobhook.workflow;

import io.jobhook.object.CosHeader;
import java.time.Instant;
import java.util.List;

/**
 * One run of a workflow on one object. It keeps the topology (and so the queue) it started with, so
 * editing the workflow does not change runs in flight. {@code version} guards concurrent advances.
 */
public record WorkflowRun(
    String id,
    String bucket,
    String region,
    String workflowId,
    String workflowName,
    String name,
    String objectKey,
    List<CosHeader> cosHeaders,
    Topology topology,
    RunState state,
    Instant createTime,
    Instant endTime,
    int version) {
  public WorkflowRun {
    cosHeaders = List.copyOf(cosHeaders);
  }

  public WorkflowRun ended(RunState finalState, Instant end) {
    return new WorkflowRun(
        id,
        bucket,
        region,
        workflowId,
        workflowName,
        name,
        objectKey,
        cosHeaders,
        topology,
        finalState,
        createTime,
        end,
        version);
  }

  /** The queue the run's jobs use: its Start node's. */
  public String queueId() {
    return topology.start().queueId();
  }
}
