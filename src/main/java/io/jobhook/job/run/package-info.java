/** Job workers: leases, claiming due jobs, and the Processor port that each job kind implements. */
package io.jobhook.job.run;
