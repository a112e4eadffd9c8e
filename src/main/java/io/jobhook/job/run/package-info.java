/**
 * Job workers: they claim due jobs under a lease, run each on its kind's Processor, and record the
 * end, retrying failures that are not the input's.
 */
package io.jobhook.job.run;
