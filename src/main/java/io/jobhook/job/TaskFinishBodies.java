package io.jobhook.job;

import io.jobhook.callback.CallbackBody;
import io.jobhook.callback.CallbackFormat;

/**
 * Renders a job's TaskFinish callback body, exactly as CI's callback page shows it (see {@code
 * wire}).
 */
@FunctionalInterface
public interface TaskFinishBodies {
  CallbackBody render(Job job, CallbackFormat format);
}
