package io.jobhook.job;

/** A job's lifecycle state, spelled as CI spells it on the wire. */
public enum JobState {
  Submitted,
  Running,
  Success,
  Failed,
  Cancel
}
