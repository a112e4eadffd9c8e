package io.jobhook.job;

import java.time.Instant;
import java.util.Set;

/** Filters and paging for listing jobs (contract §3.4). Null fields do not filter. */
public record JobQuery(
    String queueId,
    String tag,
    Set<JobState> states,
    Instant createdFrom,
    Instant createdTo,
    boolean ascending,
    Long afterSeq,
    int size) {}
