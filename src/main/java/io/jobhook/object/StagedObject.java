package io.jobhook.object;

import java.util.Optional;

/**
 * An object whose bytes are stored but that does not exist yet: its index entry is written in the
 * transaction that publishes it (a job's final state), so a job's output appears exactly when the
 * job succeeds. After that transaction the writer settles the bytes with one of the two methods.
 */
public interface StagedObject {

  ObjectInfo info();

  /** The bytes, when they are kept in the index entry itself; null when they are in a blob file. */
  byte[] inlineData();

  /** The entry was committed; {@code replacedBlob} is the blob it replaced, unreferenced from now on. */
  void published(Optional<String> replacedBlob);

  /** The entry was never committed (the job had lost its lease): the staged bytes go. */
  void discard();
}
