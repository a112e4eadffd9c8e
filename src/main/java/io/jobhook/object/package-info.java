/**
 * Objects: the ObjectStore port, its metadata index port, staged outputs published with a job's
 * final state, the disk-space gate, and the local-disk implementation (atomic writes).
 */
package io.jobhook.object;
