package io.jobhook.object;

import io.jobhook.engine.Transaction;
import java.util.List;

/**
 * What a client upload feeds, in the transaction that makes the object exist, so that an upload
 * that succeeded always reaches it (workflows start runs from uploads).
 */
@FunctionalInterface
public interface UploadListener {
  UploadListener NONE = (tx, object, headers) -> {};

  /**
   * {@code headers}: the upload's {@code Content-Type} and {@code x-cos-meta-*} headers, in the
   * order sent.
   */
  void uploaded(Transaction tx, ObjectInfo object, List<CosHeader> headers);
}
