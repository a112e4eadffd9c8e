package io.jobhook.workflow;

import io.jobhook.callback.CallbackBody;
import io.jobhook.callback.CallbackFormat;
import io.jobhook.job.Job;
import java.util.List;

/** Renders a run's WorkflowFinish callback body with the jobs it started (see {@code wire}). */
@FunctionalInterface
public interface WorkflowFinishBodies {
  CallbackBody render(WorkflowRun run, List<Job> jobs, CallbackFormat format);
}
