package io.jobhook.job;

import java.time.Instant;
import java.util.Set;

/**
 * Filters and paging for listing jobs (contract §3.4 and §10.1). Null fields do not filter: {@code
 * workflowId} keeps the jobs that runs of that workflow started, {@code inputObject} the jobs of
 * that input key.
 */
public record JobQuery(
    String queueId,
    String tag,
    Set<JobState> states,
    Instant createdFrom,
    Instant createdTo,
    boolean ascending,
    Long afterSeq,
    int size,
    String workflowId,
    String inputObject) {

  public JobQuery withStates(Set<JobState> newStates) {
    return new JobQuery(
        queueId,
        tag,
        newStates,
        createdFrom,
        createdTo,
        ascending,
        afterSeq,
        size,
        workflowId,
        inputObject);
  }
}
