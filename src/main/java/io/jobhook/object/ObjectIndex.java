package io.jobhook.object;

import io.jobhook.engine.Transaction;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Durable metadata of objects, and which blob file holds each one's bytes. Committing a row is the
 * moment an object exists. Implementations are thread-safe.
 */
public interface ObjectIndex {

  /**
   * Stores the metadata inside {@code tx}, and the bytes themselves when {@code inlineData} is not
   * null; returns the blob of the object it replaced, if any. An entry naming a blob settles the
   * blob's announcement, and fails when the sweep has claimed the blob (its writer was too slow).
   */
  Optional<String> upsert(Transaction tx, ObjectInfo info, byte[] inlineData);

  /** Metadata only (what HEAD needs). */
  Optional<ObjectInfo> find(String bucket, String key);

  /** Metadata and, for an inline object, its bytes, read together (so they always match). */
  Optional<Stored> load(String bucket, String key);

  /** An object as stored: {@code inlineData} is null when the bytes are in a blob file. */
  record Stored(ObjectInfo info, byte[] inlineData) {}

  /**
   * The bucket's objects in key order (see {@link KeyOrder}), metadata only: keys from {@code from}
   * (included when {@code fromIncluded}) to before {@code before} (null: to the last), at most
   * {@code limit}.
   */
  List<ObjectInfo> list(String bucket, String from, boolean fromIncluded, String before, int limit);

  /** Removes the object; returns its blob, if it existed. */
  Optional<String> delete(String bucket, String key);

  /**
   * Replaces the stored headers of the object {@code current} describes, if it is still that object
   * (same bytes, same write); false when it changed or is gone.
   */
  boolean replaceHeaders(ObjectInfo current, Map<String, String> storedHeaders);

  /**
   * Whether a committed entry holds its bytes in this blob, or a recorded part of a multipart
   * upload (see {@link MultipartIndex}) does.
   */
  boolean references(String blob);

  /**
   * Announces a blob about to be written, at {@code at}: until an entry that holds it commits (see
   * {@link #upsert}) or it is {@link #abandon abandoned}, the sweep leaves it alone.
   */
  void intend(String blob, Instant at);

  /** The blob will not be published (its write failed, its job lost the lease). */
  void abandon(String blob);

  /**
   * Whether the sweep may remove {@code blob}: no committed entry or part holds it, and no writer
   * can still settle it (it was announced before {@code cutoff}, or never). Once this answers true,
   * an entry naming the blob can no longer commit.
   */
  boolean claimOrphan(String blob, Instant cutoff);
}
