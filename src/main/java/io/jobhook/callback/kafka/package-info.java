/**
 * The Kafka transport of callbacks: the same outbox, retries and circuits as URL callbacks, each
 * callback a record of the document a URL receiver gets, acknowledged by the brokers.
 */
package io.jobhook.callback.kafka;
