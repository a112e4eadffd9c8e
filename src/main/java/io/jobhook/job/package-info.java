/**
 * Jobs and queues: the values, the services that change them, and the storage ports they own. No
 * SQL, no HTTP.
 */
package io.jobhook.job;
