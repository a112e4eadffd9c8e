package io.jobhook.object;

import io.jobhook.engine.Transaction;
import java.util.Optional;

/**
 * Durable metadata of objects, and which blob file holds each one's bytes. Committing a row is the
 * moment an object exists. Implementations are thread-safe.
 */
public interface ObjectIndex {

  /**
   * Stores the metadata inside {@code tx}, and the bytes themselves when {@code inlineData} is not
   * null; returns the blob of the object it replaced, if any.
   */
  Optional<String> upsert(Transaction tx, ObjectInfo info, byte[] inlineData);

  /** Metadata only (what HEAD needs). */
  Optional<ObjectInfo> find(String bucket, String key);

  /** Metadata and, for an inline object, its bytes, read together (so they always match). */
  Optional<Stored> load(String bucket, String key);

  /** An object as stored: {@code inlineData} is null when the bytes are in a blob file. */
  record Stored(ObjectInfo info, byte[] inlineData) {}

  /** Removes the object; returns its blob, if it existed. */
  Optional<String> delete(String bucket, String key);

  /** Whether a committed entry holds its bytes in this blob file. */
  boolean references(String blob);
}
