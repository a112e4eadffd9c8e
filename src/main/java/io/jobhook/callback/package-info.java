/**
 * Callbacks: the rendered seed document, the durable outbox port, delivery outcomes, the retry
 * policy and the dispatcher. No SQL, no HTTP; transports live in sub-packages.
 */
package io.jobhook.callback;
