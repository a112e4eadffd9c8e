package io.jobhook.object;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * A client's multipart upload from its initiation to its completion or abort: where the object will
 * go and what it will carry ({@code headers}: the {@code Content-Type} and {@code x-cos-meta-*}
 * headers sent at initiation, in their order, which the completed upload hands to the {@link
 * UploadListener} as a single PUT's would).
 */
public record MultipartUpload(
    String uploadId,
    String bucket,
    String key,
    String contentType,
    Map<String, String> storedHeaders,
    List<CosHeader> headers,
    Instant initiated) {}
