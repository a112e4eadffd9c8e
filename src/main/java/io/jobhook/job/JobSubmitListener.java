package io.jobhook.job;

/**
 * Hears of every job stored, through the API or by a workflow run, once its transaction has
 * committed (the metrics edge counts them).
 */
@FunctionalInterface
public interface JobSubmitListener {
  JobSubmitListener NONE = job -> {};

  void submitted(Job job);
}
