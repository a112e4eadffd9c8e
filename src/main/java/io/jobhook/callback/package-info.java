/**
 * Callbacks, in one place: where a callback goes (a job's CallBack, a queue's NotifyConfig, or
 * none), the one builder of pending callbacks that jobs and workflows use, the durable outbox port,
 * delivery outcomes, retries, circuits, signing and the dispatcher. No SQL, no HTTP; transports
 * live in sub-packages, the documents they carry in {@code wire}.
 */
package io.jobhook.callback;
