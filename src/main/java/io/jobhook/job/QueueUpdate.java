package io.jobhook.job;

/** A change to a queue; null fields stay as they are (the SDK sends empty elements for those). */
public record QueueUpdate(
    String name,
    Queue.QueueState state,
    String notifyUrl,
    String notifyType,
    String notifyEvent,
    String notifyState,
    String notifyResultFormat) {}
