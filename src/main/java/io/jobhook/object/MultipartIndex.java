package io.jobhook.object;

import io.jobhook.engine.Transaction;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Durable multipart uploads and their parts. A part's blob is announced to the {@link ObjectIndex}
 * before it is written, like an object's, and recording the part settles it; the sweep never
 * removes a blob a recorded part holds. Implementations are thread-safe.
 */
public interface MultipartIndex {

  void create(MultipartUpload upload);

  Optional<MultipartUpload> find(String uploadId);

  /**
   * Records {@code part} (its blob written and announced), replacing a part of the same number;
   * returns the replaced part's blob. Throws {@link MultipartRefused} when the upload no longer
   * exists (it was completed or aborted while the part was sent), and fails when the sweep has
   * claimed the blob.
   */
  Optional<String> putPart(String uploadId, UploadedPart part);

  /** The upload's parts numbered above {@code afterNumber}, at most {@code limit}, by number. */
  List<UploadedPart> parts(String uploadId, int afterNumber, int limit);

  /**
   * The bucket's uploads whose key starts with {@code prefix}, by key, then by upload id (which
   * begins with the time it was initiated), after the upload the markers name (a key marker alone:
   * after all of that key's uploads), at most {@code limit}.
   */
  List<MultipartUpload> uploads(
      String bucket, String prefix, String keyMarker, String uploadIdMarker, int limit);

  /** The uploads initiated before {@code cutoff}, oldest first, at most {@code limit}. */
  List<MultipartUpload> initiatedBefore(Instant cutoff, int limit);

  /**
   * Ends the upload inside {@code tx} (completed or aborted): returns its parts' blobs, for removal
   * once {@code tx} commits, or empty when it had already ended.
   */
  Optional<List<String>> end(Transaction tx, String uploadId);
}
