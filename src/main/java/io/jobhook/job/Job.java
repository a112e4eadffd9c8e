package io.jobhook.job;

import io.jobhook.callback.CallbackRequest;
import java.time.Instant;

/**
 * A media job as stored. Immutable; state changes produce a new row through {@link JobStore}.
 * {@code startTime}/{@code endTime} are null until known; {@code code}/{@code message} are the CI
 * result fields; {@code workflow} is null unless a workflow run started the job.
 */
public record Job(
    String id,
    long seq,
    String queueId,
    String tag,
    JobState state,
    int progress,
    String code,
    String message,
    ObjectRef input,
    JobOperation operation,
    CallbackRequest callback,
    Instant creationTime,
    Instant startTime,
    Instant endTime,
    int attempts,
    WorkflowOrigin workflow) {

  /** This job as shown in {@code shown} state (a Submitted job of a paused queue: Pause). */
  Job shownAs(JobState shown) {
    return new Job(
        id,
        seq,
        queueId,
        tag,
        shown,
        progress,
        code,
        message,
        input,
        operation,
        callback,
        creationTime,
        startTime,
        endTime,
        attempts,
        workflow);
  }

  /** This job claimed for its first run at {@code at}. */
  public Job started(Instant at) {
    return new Job(
        id,
        seq,
        queueId,
        tag,
        JobState.Running,
        progress,
        code,
        message,
        input,
        operation,
        callback,
        creationTime,
        at,
        null,
        attempts + 1,
        workflow);
  }

  public Job finished(JobState finalState, String newCode, String newMessage, Instant end) {
    return new Job(
        id,
        seq,
        queueId,
        tag,
        finalState,
        finalState == JobState.Success ? 100 : progress,
        newCode,
        newMessage,
        input,
        operation,
        callback,
        creationTime,
        startTime,
        end,
        attempts,
        workflow);
  }
}
