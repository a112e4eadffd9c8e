package io.jobhook.object;

import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.ToLongFunction;

/**
 * Object bytes and metadata. A put is atomic: readers see the old object or the new one, never a
 * part. Implementations are thread-safe.
 */
public interface ObjectStore {

  /**
   * Stores the stream as the object. {@code expectedLength} (or -1) guards against truncated
   * uploads; {@code expectedMd5} (hex, or null) against corrupted ones. {@code upload} is the
   * headers a client sent (null for objects jobhook writes itself): a client upload is told to the
   * {@link UploadListener} in the transaction that stores the object.
   */
  ObjectInfo put(
      String bucket,
      String key,
      InputStream body,
      long expectedLength,
      String expectedMd5,
      String contentType,
      Map<String, String> storedHeaders,
      List<CosHeader> upload)
      throws IOException;

  /**
   * Stores the bytes of an object that some other transaction will publish: like {@link #put}
   * without the index entry, which the caller writes (see {@link StagedObject}).
   */
  StagedObject stage(
      String bucket,
      String key,
      InputStream body,
      long expectedLength,
      String contentType,
      Map<String, String> storedHeaders)
      throws IOException;

  Optional<ObjectInfo> head(String bucket, String key);

  /**
   * Opens the object for reading from the byte {@code startAt} names once the object's metadata is
   * known (a range's first byte); the caller closes the stream.
   */
  Optional<OpenObject> open(String bucket, String key, ToLongFunction<ObjectInfo> startAt)
      throws IOException;

  /** Opens the object for reading from its first byte; the caller closes the stream. */
  default Optional<OpenObject> open(String bucket, String key) throws IOException {
    return open(bucket, key, info -> 0);
  }

  boolean delete(String bucket, String key) throws IOException;

  /**
   * Sets an object's tags, its bytes and other metadata unchanged (not an upload: no workflow
   * starts); false when the object does not exist.
   */
  boolean tag(String bucket, String key, ObjectTags tags);

  /**
   * A page of at most {@code maxKeys} (1 or more) objects and common prefixes, in key order, of the
   * keys that start with {@code prefix} and come after {@code marker} (null: from the first). With
   * a {@code delimiter} (null: none), the keys that hold it after the prefix are rolled up into one
   * common prefix each: the prefix up to and including the delimiter's first occurrence.
   */
  ObjectListing list(String bucket, String prefix, String delimiter, String marker, int maxKeys);

  /** An object opened for reading. */
  record OpenObject(ObjectInfo info, InputStream content) implements AutoCloseable {
    @Override
    public void close() throws IOException {
      content.close();
    }
  }

  /** The upload did not match its declared length or MD5; nothing was stored. */
  final class IntegrityException extends IOException {
    public final String code;

    public IntegrityException(String code, String message) {
      super(message);
      this.code = code;
    }
  }
}
