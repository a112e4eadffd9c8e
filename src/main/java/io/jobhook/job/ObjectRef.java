package io.jobhook.job;

/** An object in a bucket of a region: a job's input or output location. */
public record ObjectRef(String bucket, String region, String key) {}
