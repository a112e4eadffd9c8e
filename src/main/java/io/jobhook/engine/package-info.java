/**
 * What every feature's engine shares: the unit of work ({@code Transactions}, with after-commit
 * hooks for wake-ups), the coalescing wake-up signal, the background loop, the bounded runner of
 * claimed work and the hand-back of its leases at stop, time-ordered ids, and the storage failure
 * every feature may meet. Imports nothing of jobhook.
 */
package io.jobhook.engine;
