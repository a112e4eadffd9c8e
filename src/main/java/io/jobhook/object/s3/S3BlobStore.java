package io.jobhook.object.s3;

import io.jobhook.object.BlobStore;
import io.jobhook.object.Digests;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.NoSuchFileException;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Predicate;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3ClientBuilder;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.ListMultipartUploadsResponse;
import software.amazon.awssdk.services.s3.model.MultipartUpload;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * Blobs as objects {@code PREFIX + "blobs/" + name} of one bucket of an S3-compatible store. Up to
 * {@value #PART_BYTES} bytes go in one PUT; larger blobs stream as a multipart upload, one part in
 * memory at a time, completed only once their length and MD5 are checked (a mismatch aborts it:
 * nothing of it remains). A blob appears whole, on completion, or not at all; an upload a crash
 * interrupted is aborted by {@link #removeUnfinished}. Checksums are sent only where the S3 API
 * requires them: other stores do not all speak the SDK's newer trailing checksums.
 */
public final class S3BlobStore implements BlobStore, AutoCloseable {
  /** A part of a multipart upload (S3's smallest part is 5 MiB, except the last). */
  static final int PART_BYTES = 8 << 20;

  private final S3Client s3;
  private final String bucket;
  private final String keyPrefix;

  public S3BlobStore(S3Location location) {
    S3ClientBuilder builder =
        S3Client.builder()
            .forcePathStyle(location.pathStyle())
            .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
            .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED);
    if (location.endpoint() != null) {
      builder.endpointOverride(location.endpoint());
    }
    if (location.region() != null) {
      builder.region(Region.of(location.region()));
    } else if (location.endpoint() != null) {
      builder.region(Region.US_EAST_1); // a store of its own: any region signs
    }
    this.s3 = builder.build();
    this.bucket = location.bucket();
    this.keyPrefix = location.prefix() + "blobs/";
  }

  @Override
  public Written write(String name, InputStream body, long expectedLength, String expectedMd5)
      throws IOException {
    String key = keyPrefix + name;
    MessageDigest md5 = Digests.md5();
    byte[] first = body.readNBytes(PART_BYTES);
    md5.update(first);
    try {
      if (first.length < PART_BYTES) {
        Written written = new Written(first.length, Digests.hex(md5.digest()));
        Digests.check(written, expectedLength, expectedMd5);
        s3.putObject(b -> b.bucket(bucket).key(key), RequestBody.fromBytes(first));
        return written;
      }
      return multipart(key, first, body, md5, expectedLength, expectedMd5);
    } catch (SdkException e) {
      throw new IOException("could not write blob " + key + " to " + bucket + ": " + e, e);
    }
  }

  private Written multipart(
      String key,
      byte[] first,
      InputStream body,
      MessageDigest md5,
      long expectedLength,
      String expectedMd5)
      throws IOException {
    String uploadId = s3.createMultipartUpload(b -> b.bucket(bucket).key(key)).uploadId();
    try {
      List<CompletedPart> parts = new ArrayList<>();
      long size = 0;
      byte[] part = first;
      while (part.length > 0) {
        int number = parts.size() + 1;
        byte[] bytes = part;
        String etag =
            s3.uploadPart(
                    b -> b.bucket(bucket).key(key).uploadId(uploadId).partNumber(number),
                    RequestBody.fromBytes(bytes))
                .eTag();
        parts.add(CompletedPart.builder().partNumber(number).eTag(etag).build());
        size += part.length;
        part = body.readNBytes(PART_BYTES);
        md5.update(part);
      }
      Written written = new Written(size, Digests.hex(md5.digest()));
      Digests.check(written, expectedLength, expectedMd5);
      s3.completeMultipartUpload(
          b -> b.bucket(bucket).key(key).uploadId(uploadId).multipartUpload(m -> m.parts(parts)));
      return written;
    } catch (IOException | RuntimeException e) {
      abortQuietly(key, uploadId);
      throw e;
    }
  }

  @Override
  public InputStream open(String name, long offset) throws IOException {
    try {
      return s3.getObject(
          b -> {
            b.bucket(bucket).key(keyPrefix + name);
            if (offset > 0) {
              b.range("bytes=" + offset + "-");
            }
          });
    } catch (NoSuchKeyException e) {
      throw new NoSuchFileException(keyPrefix + name);
    } catch (AwsServiceException e) {
      if (e.statusCode() == 416) {
        return new ByteArrayInputStream(new byte[0]); // from the end: nothing more
      }
      throw new IOException("could not read blob " + name + ": " + e, e);
    } catch (SdkException e) {
      throw new IOException("could not read blob " + name + ": " + e, e);
    }
  }

  @Override
  public void delete(String name) throws IOException {
    try {
      s3.deleteObject(b -> b.bucket(bucket).key(keyPrefix + name));
    } catch (SdkException e) {
      throw new IOException("could not delete blob " + name + ": " + e, e);
    }
  }

  @Override
  public void forEachBlob(Instant cutoff, Consumer<String> action) throws IOException {
    try {
      for (S3Object object :
          s3.listObjectsV2Paginator(b -> b.bucket(bucket).prefix(keyPrefix)).contents()) {
        // directory markers some stores list (S3Proxy's file system, folders made in consoles)
        boolean marker = object.key().endsWith("/");
        if (!marker && object.lastModified().isBefore(cutoff)) {
          action.accept(object.key().substring(keyPrefix.length()));
        }
      }
    } catch (SdkException e) {
      throw new IOException("could not list the blobs of " + bucket + ": " + e, e);
    }
  }

  @Override
  public int removeUnfinished(Instant cutoff, Predicate<String> abandoned) throws IOException {
    int removed = 0;
    try {
      String keyMarker = null;
      String uploadMarker = null;
      ListMultipartUploadsResponse page;
      do {
        String k = keyMarker;
        String u = uploadMarker;
        page =
            s3.listMultipartUploads(
                b -> b.bucket(bucket).prefix(keyPrefix).keyMarker(k).uploadIdMarker(u));
        for (MultipartUpload upload : page.uploads()) {
          if (abandoned.test(upload.key().substring(keyPrefix.length()))) {
            abortQuietly(upload.key(), upload.uploadId());
            removed++;
          }
        }
        keyMarker = page.nextKeyMarker();
        uploadMarker = page.nextUploadIdMarker();
      } while (Boolean.TRUE.equals(page.isTruncated()));
    } catch (SdkException e) {
      throw new IOException("could not list the unfinished uploads of " + bucket + ": " + e, e);
    }
    return removed;
  }

  @Override
  public void check() throws IOException {
    try {
      s3.headBucket(b -> b.bucket(bucket));
    } catch (SdkException e) {
      throw new IOException("the object store's bucket " + bucket + " does not answer: " + e, e);
    }
  }

  private void abortQuietly(String key, String uploadId) {
    try {
      s3.abortMultipartUpload(b -> b.bucket(bucket).key(key).uploadId(uploadId));
    } catch (SdkException ignored) {
      // left for removeUnfinished
    }
  }

  @Override
  public void close() {
    s3.close();
  }
}
