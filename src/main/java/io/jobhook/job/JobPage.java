package io.jobhook.job;

import java.util.List;

/** One page of jobs; {@code nextSeq} null on the last page. */
public record JobPage(List<Job> jobs, Long nextSeq) {}
