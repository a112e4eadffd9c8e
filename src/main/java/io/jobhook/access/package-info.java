/**
 * Who may do what: the administrator's key pair (from the environment) and access keys limited to
 * buckets and to reads, their secrets sealed under the master key; and the audit log of
 * administrative changes. No SQL, no HTTP: the store and the log are ports.
 */
package io.jobhook.access;
