/**
 * Workflows: a topology of nodes that an upload (or a manual trigger) runs. A run's jobs are
 * ordinary jobs on the workflow's queue; runs move on through committed rows only (an upload's
 * event, a job's end), so a crash at any point resumes where it stopped.
 */
package io.jobhook.workflow;
