package io.jobhook.job;

import io.jobhook.object.CosHeader;
import java.util.List;

/**
 * Where a job came from when a workflow run started it: the run, the workflow, the node, and the
 * headers of the upload that triggered the run. Its TaskFinish callback reports them as {@code
 * Workflow} and {@code Input/CosHeaders}.
 */
public record WorkflowOrigin(
    String runId,
    String workflowId,
    String workflowName,
    String nodeName,
    List<CosHeader> cosHeaders) {
  public WorkflowOrigin {
    cosHeaders = List.copyOf(cosHeaders);
  }
}
