package io.jobhook.workflow;

import io.jobhook.object.CosHeader;
import java.time.Instant;
import java.util.List;

/**
 * A fact that may move workflows on, stored in the same transaction as the fact itself: a client
 * uploaded an object ({@code subject} = its key, with the headers it was sent with), or a job a run
 * started ended ({@code subject} = the job id).
 */
public record WorkflowEvent(
    long seq,
    Kind kind,
    String bucket,
    String subject,
    List<CosHeader> headers,
    Instant createdAt,
    int attempts) {

  public enum Kind {
    Upload,
    JobEnded
  }

  public WorkflowEvent {
    headers = List.copyOf(headers);
  }
}
