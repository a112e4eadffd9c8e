package io.jobhook.object;

import java.util.Optional;

/**
 * Durable metadata of objects, and which blob file holds each one's bytes. Committing a row is the
 * moment an object exists. Implementations are thread-safe.
 */
public interface ObjectIndex {

  /**
   * Stores the metadata, and the bytes themselves when {@code inlineData} is not null; returns the
   * blob of the object it replaced, if any.
   */
  Optional<String> upsert(ObjectInfo info, byte[] inlineData);

  /** The bytes of an inline object, if it is still the version with this MD5. */
  Optional<byte[]> inlineData(String bucket, String key, String md5Hex);

  Optional<ObjectInfo> find(String bucket, String key);

  /** Removes the object; returns its blob, if it existed. */
  Optional<String> delete(String bucket, String key);
}
