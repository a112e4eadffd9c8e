package io.jobhook.object;

/**
 * One header a client sent with an upload ({@code Content-Type} or an {@code x-cos-meta-*} header):
 * what a workflow-started job's callback reports as {@code Input/CosHeaders}.
 */
public record CosHeader(String key, String value) {}
