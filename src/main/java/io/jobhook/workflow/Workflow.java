package io.jobhook.workflow;

import java.time.Instant;

/**
 * A workflow definition of a bucket; {@code region} is the CI region it was created in (its runs
 * report it).
 */
public record Workflow(
    String id,
    String bucket,
    String region,
    String name,
    WorkflowState state,
    Topology topology,
    Instant createTime,
    Instant updateTime) {}
