/**
 * Small building blocks for background loops: a coalescing wake-up signal and a loop with
 * runOnce().
 */
package io.jobhook.engine;
