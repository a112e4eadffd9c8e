package io.jobhook.callback;

/** A callback body, rendered once when the callback is queued: every attempt sends these bytes. */
public record CallbackBody(String contentType, byte[] bytes) {}
