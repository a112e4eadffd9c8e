/**
 * Objects: the ObjectStore port, its metadata index port, and the local-disk implementation (atomic
 * writes).
 */
package io.jobhook.object;
