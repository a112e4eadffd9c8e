/**
 * Object bytes in an S3-compatible store (AWS S3, Tencent COS, MinIO, Ceph, S3Proxy), through the
 * AWS SDK for Java v2: the {@code BlobStore} port of {@code object}, at the edge.
 */
package io.jobhook.object.s3;
