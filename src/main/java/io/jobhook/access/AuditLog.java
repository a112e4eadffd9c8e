package io.jobhook.access;

import java.time.Instant;
import java.util.List;

/** The audit log of administrative changes: who, what, to which bucket and thing, when. */
public interface AuditLog {

  /** One change: {@code actor} is the SecretId that made it. */
  record Entry(long seq, Instant at, String actor, String action, String bucket, String target) {}

  void record(Instant at, String actor, String action, String bucket, String target);

  /** Entries newest first, those before {@code beforeSeq} when it is set, at most {@code limit}. */
  List<Entry> list(Long beforeSeq, int limit);
}
