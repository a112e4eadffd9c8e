package io.jobhook.object;

import java.time.Instant;

/** One part of a {@link MultipartUpload}: its bytes in {@code blob}, their size and MD5 hex. */
public record UploadedPart(
    int number, String blob, long size, String md5Hex, Instant lastModified) {}
