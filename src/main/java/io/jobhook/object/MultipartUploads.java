package io.jobhook.object;

import io.jobhook.engine.Transactions;
import io.jobhook.object.MultipartRefused.Reason;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.io.UncheckedIOException;
import java.nio.file.NoSuchFileException;
import java.security.MessageDigest;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Client multipart uploads as COS takes them: initiated for a key, sent in numbered parts (each its
 * own blob, which may be sent again), then completed into one object from the parts the client
 * lists, or aborted. Completion writes the object's blob from the parts' blobs and commits its
 * entry, with the upload's end and the {@link UploadListener}'s event, in one transaction: the
 * object appears whole or not at all, and an upload completes at most once. Parts of an upload
 * never completed stay until it is aborted, as on COS.
 */
public final class MultipartUploads {
  /** COS's smallest part but the last. */
  public static final long MIN_PART_SIZE = 1 << 20;

  public static final int MAX_PART_NUMBER = 10_000;

  private final IndexedObjectStore objects;
  private final MultipartIndex index;
  private final Transactions transactions;
  private final InstantSource clock;

  public MultipartUploads(
      IndexedObjectStore objects,
      MultipartIndex index,
      Transactions transactions,
      InstantSource clock) {
    this.objects = objects;
    this.index = index;
    this.transactions = transactions;
    this.clock = clock;
  }

  /** A part the client names for the object: its number and the ETag it was answered with. */
  public record ChosenPart(int number, String etag) {}

  public MultipartUpload initiate(
      String bucket,
      String key,
      String contentType,
      Map<String, String> storedHeaders,
      List<CosHeader> headers) {
    String type =
        contentType == null || contentType.isBlank() ? "application/octet-stream" : contentType;
    // the time first, so that an upload id sorts after those of the key's earlier uploads
    String uploadId =
        String.format(Locale.ROOT, "%013d", clock.millis())
            + UUID.randomUUID().toString().replace("-", "");
    MultipartUpload upload =
        new MultipartUpload(
            uploadId, bucket, key, type, Map.copyOf(storedHeaders), headers, clock.instant());
    index.create(upload);
    return upload;
  }

  /**
   * Stores one part; checked against {@code expectedLength} (or -1) and {@code expectedMd5} (hex,
   * or null) before it is recorded.
   */
  public UploadedPart uploadPart(
      String bucket,
      String key,
      String uploadId,
      int number,
      InputStream body,
      long expectedLength,
      String expectedMd5)
      throws IOException {
    if (number < 1 || number > MAX_PART_NUMBER) {
      throw new MultipartRefused(
          Reason.INVALID_ARGUMENT,
          "partNumber must be from 1 to " + MAX_PART_NUMBER + ", not " + number);
    }
    upload(bucket, key, uploadId);
    IndexedObjectStore.NewBlob written = objects.writeBlob(body, expectedLength, expectedMd5);
    UploadedPart part =
        new UploadedPart(number, written.blob(), written.size(), written.md5Hex(), clock.instant());
    Optional<String> replaced;
    try {
      replaced = index.putPart(uploadId, part);
    } catch (RuntimeException e) {
      objects.discardBlob(written.blob());
      throw e;
    }
    replaced.ifPresent(objects::deleteBlobQuietly);
    return part;
  }

  /**
   * Makes the object of the parts {@code chosen} names, in their order, which must ascend; each
   * must have been uploaded with the ETag given, and each but the last be at least {@link
   * #MIN_PART_SIZE}. Parts not chosen are dropped. Its ETag is COS's for a multipart object: the
   * MD5 of the parts' MD5s, a dash, the number of parts.
   */
  public ObjectInfo complete(String bucket, String key, String uploadId, List<ChosenPart> chosen)
      throws IOException {
    MultipartUpload upload = upload(bucket, key, uploadId);
    List<UploadedPart> parts = listed(uploadId, chosen);
    long size = parts.stream().mapToLong(UploadedPart::size).sum();
    IndexedObjectStore.NewBlob written;
    try {
      written = objects.writeBlob(concatenated(parts), size, null);
    } catch (UncheckedIOException e) {
      if (e.getCause() instanceof NoSuchFileException) {
        throw new MultipartRefused(
            Reason.INVALID_PART,
            "a part was sent again while the upload was being completed; complete it again");
      }
      throw e.getCause();
    }
    ObjectInfo info =
        new ObjectInfo(
            bucket,
            key,
            written.size(),
            multipartEtag(parts),
            upload.contentType(),
            upload.storedHeaders(),
            clock.instant(),
            written.blob());
    try {
      transactions.inTransaction(
          tx -> {
            List<String> partBlobs =
                index.end(tx, uploadId).orElseThrow(() -> MultipartRefused.noSuchUpload(uploadId));
            objects.publish(tx, info, null, upload.headers());
            tx.afterCommit(() -> partBlobs.forEach(objects::deleteBlobQuietly));
            return null;
          });
    } catch (RuntimeException e) {
      objects.discardBlob(written.blob());
      throw e;
    }
    return info;
  }

  /**
   * The uploaded parts {@code chosen} names, in its order: ascending, each with the ETag it was
   * answered with, each but the last at least {@link #MIN_PART_SIZE}.
   */
  private List<UploadedPart> listed(String uploadId, List<ChosenPart> chosen) {
    if (chosen.isEmpty()) {
      throw new MultipartRefused(Reason.INVALID_PART, "a completed upload needs at least one part");
    }
    Map<Integer, UploadedPart> uploaded =
        index.parts(uploadId, 0, MAX_PART_NUMBER).stream()
            .collect(Collectors.toMap(UploadedPart::number, Function.identity()));
    List<UploadedPart> parts = new ArrayList<>(chosen.size());
    for (ChosenPart c : chosen) {
      if (!parts.isEmpty() && c.number() <= parts.getLast().number()) {
        throw new MultipartRefused(
            Reason.INVALID_PART_ORDER,
            "the parts must be listed in ascending order of their numbers; "
                + c.number()
                + " follows "
                + parts.getLast().number());
      }
      UploadedPart part = uploaded.get(c.number());
      if (part == null || !part.md5Hex().equalsIgnoreCase(unquoted(c.etag()))) {
        throw new MultipartRefused(
            Reason.INVALID_PART,
            "part "
                + c.number()
                + (part == null
                    ? " was not uploaded"
                    : " was uploaded with the ETag \"" + part.md5Hex() + "\", not " + c.etag()));
      }
      if (!parts.isEmpty() && parts.getLast().size() < MIN_PART_SIZE) {
        throw new MultipartRefused(
            Reason.ENTITY_TOO_SMALL,
            "part "
                + parts.getLast().number()
                + " has "
                + parts.getLast().size()
                + " bytes; every part but the last needs at least "
                + MIN_PART_SIZE);
      }
      parts.add(part);
    }
    return parts;
  }

  /** Ends the upload without an object; its parts' blobs go. */
  public void abort(String bucket, String key, String uploadId) {
    upload(bucket, key, uploadId);
    if (!end(uploadId)) {
      throw MultipartRefused.noSuchUpload(uploadId);
    }
  }

  /**
   * Aborts the uploads initiated before {@code cutoff}, which their clients abandoned; returns how
   * many. An upload completed or aborted meanwhile is left to that.
   */
  public int abortInitiatedBefore(Instant cutoff) {
    int aborted = 0;
    for (List<MultipartUpload> old = index.initiatedBefore(cutoff, 100);
        !old.isEmpty();
        old = index.initiatedBefore(cutoff, 100)) {
      for (MultipartUpload upload : old) {
        if (end(upload.uploadId())) {
          aborted++;
        }
      }
    }
    return aborted;
  }

  /** Ends the upload, and removes its parts' blobs once that commits; false if it had ended. */
  private boolean end(String uploadId) {
    return transactions.inTransaction(
        tx -> {
          Optional<List<String>> partBlobs = index.end(tx, uploadId);
          partBlobs.ifPresent(
              blobs -> tx.afterCommit(() -> blobs.forEach(objects::deleteBlobQuietly)));
          return partBlobs.isPresent();
        });
  }

  /** The upload and its parts numbered above {@code afterNumber}, at most {@code limit}. */
  public record PartListing(MultipartUpload upload, List<UploadedPart> parts) {}

  public PartListing parts(String bucket, String key, String uploadId, int afterNumber, int limit) {
    MultipartUpload upload = upload(bucket, key, uploadId);
    return new PartListing(upload, index.parts(uploadId, afterNumber, limit));
  }

  /** See {@link MultipartIndex#uploads}. */
  public List<MultipartUpload> uploads(
      String bucket, String prefix, String keyMarker, String uploadIdMarker, int limit) {
    return index.uploads(bucket, prefix, keyMarker, uploadIdMarker, limit);
  }

  private MultipartUpload upload(String bucket, String key, String uploadId) {
    return index
        .find(uploadId)
        .filter(u -> u.bucket().equals(bucket) && u.key().equals(key))
        .orElseThrow(() -> MultipartRefused.noSuchUpload(uploadId));
  }

  /** The parts' bytes one after the other, each blob opened when the one before it ends. */
  private InputStream concatenated(List<UploadedPart> parts) {
    Iterator<UploadedPart> next = parts.iterator();
    return new SequenceInputStream(
        new Enumeration<>() {
          @Override
          public boolean hasMoreElements() {
            return next.hasNext();
          }

          @Override
          public InputStream nextElement() {
            try {
              return objects.openBlob(next.next().blob());
            } catch (IOException e) {
              throw new UncheckedIOException(e);
            }
          }
        });
  }

  private static String multipartEtag(List<UploadedPart> parts) {
    MessageDigest md5 = Digests.md5();
    parts.forEach(p -> md5.update(HexFormat.of().parseHex(p.md5Hex())));
    return Digests.hex(md5.digest()) + "-" + parts.size();
  }

  private static String unquoted(String etag) {
    String e = etag == null ? "" : etag.trim();
    return e.length() >= 2 && e.startsWith("\"") && e.endsWith("\"")
        ? e.substring(1, e.length() - 1)
        : e;
  }
}
