package io.jobhook.access;

import java.time.Instant;
import java.util.List;

/**
 * The audit log of administrative changes: who, what, to which bucket and thing, when, and how it
 * ended. An entry is written before its change is made and settled after, so that no change can
 * happen without one: a node that stops in between leaves the entry {@link Outcome#UNKNOWN}.
 */
public interface AuditLog {

  /** How an audited change ended. */
  enum Outcome {
    /** Not settled: the change is under way, or its node stopped before it could tell. */
    UNKNOWN("Unknown"),
    SUCCEEDED("Succeeded"),
    /** Refused or failed: nothing was changed. */
    FAILED("Failed");

    private final String wireName;

    Outcome(String wireName) {
      this.wireName = wireName;
    }

    /** The name in the database, the API and the console. */
    public String wireName() {
      return wireName;
    }

    public static Outcome ofWireName(String name) {
      for (Outcome o : values()) {
        if (o.wireName.equals(name)) {
          return o;
        }
      }
      throw new IllegalArgumentException("no audit outcome " + name);
    }
  }

  /** One change: {@code actor} is the SecretId that made it. */
  record Entry(
      long seq,
      Instant at,
      String actor,
      String action,
      String bucket,
      String target,
      Outcome outcome) {}

  /**
   * Records a change about to be made, {@link Outcome#UNKNOWN} until {@link #settle}d; returns the
   * entry's seq.
   */
  long begin(Instant at, String actor, String action, String bucket, String target);

  /** Records how the change of entry {@code seq} ended. */
  void settle(long seq, Outcome outcome);

  /** Entries newest first, those before {@code beforeSeq} when it is set, at most {@code limit}. */
  List<Entry> list(Long beforeSeq, int limit);
}
