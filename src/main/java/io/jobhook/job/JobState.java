package io.jobhook.job;

/**
 * A job's lifecycle state, spelled as CI spells it on the wire. {@link #Pause} is how a Submitted
 * job of a paused queue is shown; it is never stored, and the job runs once the queue is active.
 */
public enum JobState {
  Submitted,
  Pause,
  Running,
  Success,
  Failed,
  Cancel
}
