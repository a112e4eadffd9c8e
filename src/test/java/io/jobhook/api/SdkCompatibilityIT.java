package io.jobhook.api;

import static io.jobhook.support.TestNode.BUCKET;
import static io.jobhook.support.TestNode.REGION;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.qcloud.cos.COSClient;
import com.qcloud.cos.exception.CosServiceException;
import com.qcloud.cos.model.AbortMultipartUploadRequest;
import com.qcloud.cos.model.COSObject;
import com.qcloud.cos.model.COSObjectSummary;
import com.qcloud.cos.model.CompleteMultipartUploadRequest;
import com.qcloud.cos.model.CopyObjectRequest;
import com.qcloud.cos.model.CopyObjectResult;
import com.qcloud.cos.model.CopyPartRequest;
import com.qcloud.cos.model.DeleteObjectTaggingRequest;
import com.qcloud.cos.model.DeleteObjectsRequest;
import com.qcloud.cos.model.DeleteObjectsResult;
import com.qcloud.cos.model.GetObjectTaggingRequest;
import com.qcloud.cos.model.InitiateMultipartUploadRequest;
import com.qcloud.cos.model.ListMultipartUploadsRequest;
import com.qcloud.cos.model.ListObjectsRequest;
import com.qcloud.cos.model.ListPartsRequest;
import com.qcloud.cos.model.MultipartUploadListing;
import com.qcloud.cos.model.ObjectListing;
import com.qcloud.cos.model.ObjectMetadata;
import com.qcloud.cos.model.ObjectTagging;
import com.qcloud.cos.model.PartETag;
import com.qcloud.cos.model.PartListing;
import com.qcloud.cos.model.PutObjectRequest;
import com.qcloud.cos.model.PutObjectResult;
import com.qcloud.cos.model.SetObjectTaggingRequest;
import com.qcloud.cos.model.UploadPartRequest;
import com.qcloud.cos.model.UploadPartResult;
import com.qcloud.cos.model.UploadResult;
import com.qcloud.cos.model.ciModel.common.MediaOutputObject;
import com.qcloud.cos.model.ciModel.job.MediaJobObject;
import com.qcloud.cos.model.ciModel.job.MediaJobResponse;
import com.qcloud.cos.model.ciModel.job.MediaJobsRequest;
import com.qcloud.cos.model.ciModel.job.MediaListJobResponse;
import com.qcloud.cos.model.ciModel.job.v2.MediaJobResponseV2;
import com.qcloud.cos.model.ciModel.job.v2.MediaJobsRequestV2;
import com.qcloud.cos.model.ciModel.queue.MediaListQueueResponse;
import com.qcloud.cos.model.ciModel.queue.MediaNotifyConfig;
import com.qcloud.cos.model.ciModel.queue.MediaQueueObject;
import com.qcloud.cos.model.ciModel.queue.MediaQueueRequest;
import com.qcloud.cos.model.ciModel.queue.MediaQueueResponse;
import com.qcloud.cos.model.ciModel.template.MediaListTemplateResponse;
import com.qcloud.cos.model.ciModel.template.MediaTemplateObject;
import com.qcloud.cos.model.ciModel.template.MediaTemplateRequest;
import com.qcloud.cos.transfer.TransferManager;
import com.qcloud.cos.utils.VersionInfoUtils;
import io.jobhook.api.auth.Credentials;
import io.jobhook.support.RawHttp;
import io.jobhook.support.SdkCalls;
import io.jobhook.support.TestAudio;
import io.jobhook.support.TestNode;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every SDK call of the vertical slice, through the unmodified official SDK against a real node.
 */
class SdkCompatibilityIT {
  @TempDir static Path dataDir;
  static TestNode node;
  static COSClient sdk;

  @BeforeAll
  static void start() throws Exception {
    node = TestNode.start(dataDir);
    sdk = node.sdk();
  }

  @AfterAll
  static void stop() {
    node.close();
  }

  @Test
  void the_sdk_under_test_is_the_version_the_build_names() {
    // the build runs this class once per SDK version (pom.xml: failsafe's sdk-latest)
    assertThat(VersionInfoUtils.getVersion())
        .isEqualTo(System.getProperty("jobhook.cos.version", "5.6.259"));
  }

  @Test
  void putObject_from_a_stream_keeps_content_type_and_user_metadata_and_returns_the_md5_etag()
      throws Exception {
    byte[] body = "hello noise reduction".getBytes(StandardCharsets.UTF_8);
    ObjectMetadata meta = new ObjectMetadata();
    meta.setContentLength(body.length);
    meta.setContentType("audio/mpeg");
    meta.addUserMetadata("probe", "yes");
    meta.addUserMetadata("origin", "unit test");
    PutObjectResult put =
        sdk.putObject(BUCKET, "input/demo.mp3", new ByteArrayInputStream(body), meta);
    assertThat(put.getETag()).isEqualTo(md5Hex(body));

    ObjectMetadata head = sdk.getObjectMetadata(BUCKET, "input/demo.mp3");
    assertThat(head.getContentLength()).isEqualTo(body.length);
    assertThat(head.getContentType()).isEqualTo("audio/mpeg");
    assertThat(head.getETag()).isEqualTo(md5Hex(body));
    assertThat(head.getUserMetadata())
        .containsEntry("probe", "yes")
        .containsEntry("origin", "unit test");
    assertThat(head.getLastModified()).isNotNull();

    try (COSObject object = sdk.getObject(BUCKET, "input/demo.mp3")) {
      assertThat(object.getObjectContent().readAllBytes()).isEqualTo(body);
      assertThat(object.getObjectMetadata().getUserMetadata()).containsEntry("probe", "yes");
    }
  }

  @Test
  void getObject_sets_the_response_headers_it_asks_for() throws Exception {
    byte[] body = "a download with a file name".getBytes(StandardCharsets.UTF_8);
    ObjectMetadata meta = new ObjectMetadata();
    meta.setContentLength(body.length);
    meta.setContentType("audio/wav");
    sdk.putObject(BUCKET, "output/named.wav", new ByteArrayInputStream(body), meta);
    var request = new com.qcloud.cos.model.GetObjectRequest(BUCKET, "output/named.wav");
    var overrides = new com.qcloud.cos.model.ResponseHeaderOverrides();
    overrides.setContentType("application/octet-stream");
    overrides.setContentDisposition("attachment; filename=\"talk (clean).wav\"");
    overrides.setCacheControl("no-cache");
    overrides.setContentLanguage("en");
    request.setResponseHeaders(overrides);
    try (COSObject object = sdk.getObject(request)) {
      assertThat(object.getObjectContent().readAllBytes()).isEqualTo(body);
      ObjectMetadata got = object.getObjectMetadata();
      assertThat(got.getContentType()).isEqualTo("application/octet-stream");
      assertThat(got.getContentDisposition())
          .isEqualTo("attachment; filename=\"talk (clean).wav\"");
      assertThat(got.getCacheControl()).isEqualTo("no-cache");
      assertThat(got.getContentLanguage()).isEqualTo("en");
    }
    try (COSObject plain = sdk.getObject(BUCKET, "output/named.wav")) {
      assertThat(plain.getObjectMetadata().getContentType()).isEqualTo("audio/wav");
      assertThat(plain.getObjectMetadata().getContentDisposition()).isNull();
    }
  }

  @Test
  void putObject_from_a_file_sends_content_md5_and_getObject_reads_it_back() throws Exception {
    Path file = dataDir.resolve("upload.wav");
    byte[] wav = TestAudio.wav16(16000, TestAudio.speechLike(16000, 1.0));
    Files.write(file, wav);
    sdk.putObject(BUCKET, "input/from-file.wav", file.toFile());
    try (COSObject object = sdk.getObject(BUCKET, "input/from-file.wav")) {
      assertThat(object.getObjectContent().readAllBytes()).isEqualTo(wav);
    }
  }

  @Test
  void keys_with_spaces_cjk_plus_and_a_ci_path_name_are_plain_objects() throws Exception {
    for (String key : List.of("dir a/声音 file+1.mp3", "jobs", "queue/x", "a//b")) {
      sdk.putObject(BUCKET, key, "content of " + key);
      try (COSObject object = sdk.getObject(BUCKET, key)) {
        assertThat(new String(object.getObjectContent().readAllBytes(), StandardCharsets.UTF_8))
            .isEqualTo("content of " + key);
      }
    }
  }

  @Test
  void objects_on_both_sides_of_the_inline_size_round_trip() throws Exception {
    for (int size : List.of(0, 1, 65_535, 65_536, 65_537, 300_000)) {
      byte[] body = new byte[size];
      new java.util.Random(size).nextBytes(body);
      ObjectMetadata meta = new ObjectMetadata();
      meta.setContentLength(size);
      String key = "sizes/" + size + ".bin";
      assertThat(sdk.putObject(BUCKET, key, new ByteArrayInputStream(body), meta).getETag())
          .isEqualTo(md5Hex(body));
      try (COSObject object = sdk.getObject(BUCKET, key)) {
        assertThat(object.getObjectContent().readAllBytes()).as("size %d", size).isEqualTo(body);
      }
      sdk.putObject(BUCKET, key, "replaced");
      try (COSObject object = sdk.getObject(BUCKET, key)) {
        assertThat(new String(object.getObjectContent().readAllBytes(), StandardCharsets.UTF_8))
            .isEqualTo("replaced");
      }
    }
  }

  @Test
  void transferManager_sends_a_large_file_in_parts_that_read_back_as_the_file() throws Exception {
    byte[] data = new byte[(12 << 20) + 7];
    new java.util.Random(7).nextBytes(data);
    Path file = Files.write(dataDir.resolve("large-upload.bin"), data);
    ExecutorService pool = Executors.newFixedThreadPool(3);
    TransferManager transfers = new TransferManager(sdk, pool, false);
    try {
      UploadResult result =
          transfers
              .upload(new PutObjectRequest(BUCKET, "in/large parts.bin", file.toFile()))
              .waitForUploadResult();
      // above its 5 MB threshold the SDK sends parts of 5 MB: 5 + 5 + 2
      assertThat(result.getETag()).matches("[0-9a-f]{32}-3");
      try (COSObject back = sdk.getObject(BUCKET, "in/large parts.bin")) {
        assertThat(back.getObjectContent().readAllBytes()).isEqualTo(data);
        assertThat(back.getObjectMetadata().getETag()).isEqualTo(result.getETag());
      }
    } finally {
      transfers.shutdownNow(false);
    }
  }

  @Test
  void multipart_calls_list_an_upload_and_its_parts_and_abort_it() {
    String key = "in/by hand.bin";
    String uploadId =
        sdk.initiateMultipartUpload(new InitiateMultipartUploadRequest(BUCKET, key)).getUploadId();
    byte[] part = "the first part".getBytes(StandardCharsets.UTF_8);
    UploadPartResult sent =
        sdk.uploadPart(
            new UploadPartRequest()
                .withBucketName(BUCKET)
                .withKey(key)
                .withUploadId(uploadId)
                .withPartNumber(1)
                .withPartSize(part.length)
                .withInputStream(new ByteArrayInputStream(part)));

    MultipartUploadListing uploads =
        sdk.listMultipartUploads(new ListMultipartUploadsRequest(BUCKET).withPrefix("in/by "));
    assertThat(uploads.getMultipartUploads())
        .singleElement()
        .satisfies(u -> assertThat(u.getKey()).isEqualTo(key))
        .satisfies(u -> assertThat(u.getUploadId()).isEqualTo(uploadId))
        .satisfies(u -> assertThat(u.getInitiated()).isNotNull());
    PartListing parts = sdk.listParts(new ListPartsRequest(BUCKET, key, uploadId));
    assertThat(parts.getParts())
        .singleElement()
        .satisfies(p -> assertThat(p.getETag()).isEqualTo(sent.getETag()))
        .satisfies(p -> assertThat(p.getSize()).isEqualTo(part.length));

    // a second upload, of a key that sorts after: listed a page at a time
    String later =
        sdk.initiateMultipartUpload(new InitiateMultipartUploadRequest(BUCKET, key + "/ü"))
            .getUploadId();
    MultipartUploadListing first =
        sdk.listMultipartUploads(
            new ListMultipartUploadsRequest(BUCKET).withPrefix("in/by ").withMaxUploads(1));
    assertThat(first.isTruncated()).isTrue();
    assertThat(first.getMultipartUploads()).singleElement().returns(uploadId, u -> u.getUploadId());
    MultipartUploadListing next =
        sdk.listMultipartUploads(
            new ListMultipartUploadsRequest(BUCKET)
                .withPrefix("in/by ")
                .withKeyMarker(first.getNextKeyMarker())
                .withUploadIdMarker(first.getNextUploadIdMarker()));
    assertThat(next.isTruncated()).isFalse();
    assertThat(next.getMultipartUploads())
        .singleElement()
        .returns(later, u -> u.getUploadId())
        .returns(key + "/ü", u -> u.getKey());
    sdk.abortMultipartUpload(new AbortMultipartUploadRequest(BUCKET, key + "/ü", later));

    sdk.abortMultipartUpload(new AbortMultipartUploadRequest(BUCKET, key, uploadId));

    assertThatThrownBy(() -> sdk.listParts(new ListPartsRequest(BUCKET, key, uploadId)))
        .isInstanceOfSatisfying(
            CosServiceException.class,
            e -> {
              assertThat(e.getStatusCode()).isEqualTo(404);
              assertThat(e.getErrorCode()).isEqualTo("NoSuchUpload");
            });
    assertThat(sdk.doesObjectExist(BUCKET, key)).isFalse();
  }

  @Test
  void listObjects_pages_through_keys_in_order_with_common_prefixes() {
    List<String> keys =
        List.of("list/z", "list/é.txt", "list/dir/2", "list/a b+c.txt", "list/dir/1");
    for (String key : keys) {
      byte[] body = key.getBytes(StandardCharsets.UTF_8);
      put(BUCKET, key, body);
    }

    ObjectListing first = sdk.listObjects(new ListObjectsRequest(BUCKET, "list/", null, "/", 2));
    assertThat(first.getObjectSummaries())
        .extracting(COSObjectSummary::getKey)
        .containsExactly("list/a b+c.txt");
    assertThat(first.getCommonPrefixes()).containsExactly("list/dir/");
    assertThat(first.isTruncated()).isTrue();
    ObjectListing rest = sdk.listNextBatchOfObjects(first);
    assertThat(rest.getObjectSummaries())
        .extracting(COSObjectSummary::getKey)
        .containsExactly("list/z", "list/é.txt");
    assertThat(rest.isTruncated()).isFalse();
    COSObjectSummary summary = rest.getObjectSummaries().getLast();
    assertThat(summary.getSize()).isEqualTo("list/é.txt".getBytes(StandardCharsets.UTF_8).length);
    assertThat(summary.getETag()).isEqualTo(sdk.getObjectMetadata(BUCKET, "list/é.txt").getETag());
    assertThat(
            sdk.listObjects(BUCKET, "list/dir/").getObjectSummaries().stream()
                .map(COSObjectSummary::getKey))
        .containsExactly("list/dir/1", "list/dir/2");
  }

  @Test
  void copyObject_copies_bytes_and_metadata_or_replaces_the_metadata_and_honours_conditions()
      throws Exception {
    byte[] body = "copy me".getBytes(StandardCharsets.UTF_8);
    ObjectMetadata meta = new ObjectMetadata();
    meta.setContentLength(body.length);
    meta.setContentType("text/plain");
    meta.addUserMetadata("origin", "source");
    PutObjectResult put =
        sdk.putObject(BUCKET, "copy/source.txt", new ByteArrayInputStream(body), meta);

    CopyObjectResult copied =
        sdk.copyObject(BUCKET, "copy/source.txt", BUCKET, "copy/same meta.txt");
    assertThat(copied.getETag()).isEqualTo(put.getETag());
    try (COSObject back = sdk.getObject(BUCKET, "copy/same meta.txt")) {
      assertThat(back.getObjectContent().readAllBytes()).isEqualTo(body);
      assertThat(back.getObjectMetadata().getContentType()).isEqualTo("text/plain");
      assertThat(back.getObjectMetadata().getUserMetadata()).containsEntry("origin", "source");
    }

    ObjectMetadata replacement = new ObjectMetadata();
    replacement.setContentType("application/x-copied");
    replacement.addUserMetadata("origin", "replaced");
    sdk.copyObject(
        new CopyObjectRequest(BUCKET, "copy/source.txt", BUCKET, "copy/new meta.txt")
            .withNewObjectMetadata(replacement));
    ObjectMetadata replaced = sdk.getObjectMetadata(BUCKET, "copy/new meta.txt");
    assertThat(replaced.getContentType()).isEqualTo("application/x-copied");
    assertThat(replaced.getUserMetadata()).containsEntry("origin", "replaced");

    // a condition that does not hold: 412, which the SDK answers with null, and nothing copied
    assertThat(
            sdk.copyObject(
                new CopyObjectRequest(BUCKET, "copy/source.txt", BUCKET, "copy/not.txt")
                    .withMatchingETagConstraint("0123456789abcdef0123456789abcdef")))
        .isNull();
    assertThat(sdk.doesObjectExist(BUCKET, "copy/not.txt")).isFalse();
    assertThatThrownBy(() -> sdk.copyObject(BUCKET, "copy/missing.txt", BUCKET, "copy/x.txt"))
        .isInstanceOfSatisfying(
            CosServiceException.class, e -> assertThat(e.getErrorCode()).isEqualTo("NoSuchKey"));
  }

  @Test
  void copyPart_builds_an_object_from_ranges_of_another() throws Exception {
    byte[] data = new byte[(3 << 20) + 11];
    new java.util.Random(5).nextBytes(data);
    put(BUCKET, "copy/parts-source.bin", data);
    String uploadId =
        sdk.initiateMultipartUpload(new InitiateMultipartUploadRequest(BUCKET, "copy/parts.bin"))
            .getUploadId();
    List<PartETag> parts = new ArrayList<>();
    long partSize = 2 << 20;
    for (int number = 1; (number - 1) * partSize < data.length; number++) {
      long first = (number - 1) * partSize;
      long last = Math.min(data.length, first + partSize) - 1;
      parts.add(
          sdk.copyPart(
                  new CopyPartRequest()
                      .withSourceBucketName(BUCKET)
                      .withSourceKey("copy/parts-source.bin")
                      .withDestinationBucketName(BUCKET)
                      .withDestinationKey("copy/parts.bin")
                      .withUploadId(uploadId)
                      .withPartNumber(number)
                      .withFirstByte(first)
                      .withLastByte(last))
              .getPartETag());
    }
    sdk.completeMultipartUpload(
        new CompleteMultipartUploadRequest(BUCKET, "copy/parts.bin", uploadId, parts));
    try (COSObject back = sdk.getObject(BUCKET, "copy/parts.bin")) {
      assertThat(back.getObjectContent().readAllBytes()).isEqualTo(data);
    }
  }

  @Test
  void deleteObjects_removes_several_keys_in_one_request() {
    for (String key : List.of("batch/a", "batch/ b ", "batch/c")) {
      byte[] body = key.getBytes(StandardCharsets.UTF_8);
      put(BUCKET, key, body);
    }
    DeleteObjectsResult result =
        sdk.deleteObjects(
            new DeleteObjectsRequest(BUCKET).withKeys("batch/a", "batch/ b ", "batch/never-there"));
    assertThat(result.getDeletedObjects())
        .extracting(DeleteObjectsResult.DeletedObject::getKey)
        .containsExactly("batch/a", "batch/ b ", "batch/never-there");
    assertThat(sdk.doesObjectExist(BUCKET, "batch/a")).isFalse();
    assertThat(sdk.doesObjectExist(BUCKET, "batch/ b ")).isFalse();
    assertThat(sdk.doesObjectExist(BUCKET, "batch/c")).isTrue();

    DeleteObjectsResult quiet =
        sdk.deleteObjects(new DeleteObjectsRequest(BUCKET).withKeys("batch/c").withQuiet(true));
    assertThat(quiet.getDeletedObjects()).isEmpty();
    assertThat(sdk.doesObjectExist(BUCKET, "batch/c")).isFalse();
  }

  @Test
  void the_standard_headers_of_an_upload_come_back_with_the_object_and_its_copies() {
    byte[] body = "report".getBytes(StandardCharsets.UTF_8);
    ObjectMetadata meta = new ObjectMetadata();
    meta.setContentLength(body.length);
    meta.setContentDisposition("attachment; filename=\"report.txt\"");
    meta.setCacheControl("max-age=60");
    meta.setContentLanguage("zh-CN");
    meta.setContentEncoding("identity");
    meta.setHttpExpiresDate(new java.util.Date(1_900_000_000_000L));
    sdk.putObject(BUCKET, "headers/report.txt", new ByteArrayInputStream(body), meta);
    sdk.copyObject(BUCKET, "headers/report.txt", BUCKET, "headers/copy.txt");

    for (String key : List.of("headers/report.txt", "headers/copy.txt")) {
      ObjectMetadata back = sdk.getObjectMetadata(BUCKET, key);
      assertThat(back.getContentDisposition())
          .as(key)
          .isEqualTo("attachment; filename=\"report.txt\"");
      assertThat(back.getCacheControl()).as(key).isEqualTo("max-age=60");
      assertThat(back.getContentLanguage()).as(key).isEqualTo("zh-CN");
      assertThat(back.getContentEncoding()).as(key).isEqualTo("identity");
      assertThat(back.getHttpExpiresDate())
          .as(key)
          .isEqualTo(new java.util.Date(1_900_000_000_000L));
      assertThat(back.getUserMetadata()).as("none of them is user metadata").isEmpty();
    }
  }

  @Test
  void a_bucket_is_created_checked_and_deleted_once_empty() {
    String bucket = "scratch-1250000000";
    sdk.createBucket(bucket);
    assertThat(sdk.doesBucketExist(bucket)).isTrue();
    put(bucket, "one", new byte[1]);
    assertThatThrownBy(() -> sdk.deleteBucket(bucket))
        .isInstanceOfSatisfying(
            CosServiceException.class,
            e -> {
              assertThat(e.getStatusCode()).isEqualTo(409);
              assertThat(e.getErrorCode()).isEqualTo("BucketNotEmpty");
            });
    assertThat(sdk.listBuckets())
        .as("listed once used")
        .extracting(com.qcloud.cos.model.Bucket::getName)
        .contains(bucket);
    sdk.deleteObject(bucket, "one");
    sdk.deleteBucket(bucket);
    assertThat(sdk.listBuckets())
        .as("no longer listed once deleted")
        .extracting(com.qcloud.cos.model.Bucket::getName)
        .doesNotContain(bucket);
  }

  @Test
  void object_tags_are_given_with_an_upload_set_read_copied_and_deleted() {
    ObjectMetadata meta = new ObjectMetadata();
    meta.setHeader("x-cos-tagging", "team=audio&stage=raw%20take");
    byte[] body = "tagged".getBytes(StandardCharsets.UTF_8);
    meta.setContentLength(body.length);
    sdk.putObject(new PutObjectRequest(BUCKET, "tags/a.txt", new ByteArrayInputStream(body), meta));
    assertThat(tagsOf("tags/a.txt"))
        .containsExactly(Map.entry("team", "audio"), Map.entry("stage", "raw take"));
    ObjectMetadata head = sdk.getObjectMetadata(BUCKET, "tags/a.txt");
    assertThat(head.getRawMetadataValue("x-cos-tagging-count")).isEqualTo("2");
    assertThat(head.getRawMetadataValue("x-cos-tagging"))
        .as("the tags stay behind ?tagging")
        .isNull();
    String etag = head.getETag();

    sdk.setObjectTagging(
        new SetObjectTaggingRequest(
            BUCKET,
            "tags/a.txt",
            new ObjectTagging(List.of(new com.qcloud.cos.model.Tag.Tag("owner", "ops")))));
    assertThat(tagsOf("tags/a.txt")).containsExactly(Map.entry("owner", "ops"));
    assertThat(sdk.getObjectMetadata(BUCKET, "tags/a.txt").getETag())
        .as("the object itself unchanged")
        .isEqualTo(etag);

    sdk.copyObject(BUCKET, "tags/a.txt", BUCKET, "tags/copy.txt");
    assertThat(tagsOf("tags/copy.txt"))
        .as("copied with the object")
        .containsExactly(Map.entry("owner", "ops"));

    sdk.deleteObjectTagging(new DeleteObjectTaggingRequest(BUCKET, "tags/a.txt"));
    assertThat(tagsOf("tags/a.txt")).isEmpty();
    assertThat(
            sdk.getObjectMetadata(BUCKET, "tags/a.txt").getRawMetadataValue("x-cos-tagging-count"))
        .isNull();
    assertThat(sdk.getObject(BUCKET, "tags/a.txt").getObjectContent()).hasBinaryContent(body);

    ObjectMetadata initiated = new ObjectMetadata();
    initiated.setHeader("x-cos-tagging", "from=multipart");
    String uploadId =
        sdk.initiateMultipartUpload(
                new InitiateMultipartUploadRequest(BUCKET, "tags/parts.bin", initiated))
            .getUploadId();
    PartETag part = SdkCalls.uploadPart(sdk, BUCKET, "tags/parts.bin", uploadId, 1, body, 0, 6);
    sdk.completeMultipartUpload(
        new CompleteMultipartUploadRequest(
            BUCKET, "tags/parts.bin", uploadId, new ArrayList<>(List.of(part))));
    assertThat(tagsOf("tags/parts.bin"))
        .as("the tags given when the upload began")
        .containsExactly(Map.entry("from", "multipart"));
  }

  private static Map<String, String> tagsOf(String key) {
    Map<String, String> tags = new java.util.LinkedHashMap<>();
    sdk.getObjectTagging(new GetObjectTaggingRequest(BUCKET, key))
        .getTagSet()
        .forEach(t -> tags.put(t.getKey(), t.getValue()));
    return tags;
  }

  @Test
  void downloads_take_their_conditions_in_http_order_dates_included() throws Exception {
    byte[] body = "conditional".getBytes(StandardCharsets.UTF_8);
    put(BUCKET, "cond/a.txt", body);
    ObjectMetadata head = sdk.getObjectMetadata(BUCKET, "cond/a.txt");
    java.util.Date modified = head.getLastModified();
    java.util.Date before = new java.util.Date(modified.getTime() - 60_000);
    java.util.Date after = new java.util.Date(modified.getTime() + 60_000);

    var notModifiedSince = new com.qcloud.cos.model.GetObjectRequest(BUCKET, "cond/a.txt");
    notModifiedSince.setModifiedSinceConstraint(after);
    assertThat(sdk.getObject(notModifiedSince)).as("304: the SDK answers null").isNull();
    var modifiedSince = new com.qcloud.cos.model.GetObjectRequest(BUCKET, "cond/a.txt");
    modifiedSince.setModifiedSinceConstraint(before);
    assertThat(sdk.getObject(modifiedSince).getObjectContent()).hasBinaryContent(body);
    var unmodifiedSince = new com.qcloud.cos.model.GetObjectRequest(BUCKET, "cond/a.txt");
    unmodifiedSince.setUnmodifiedSinceConstraint(before);
    assertThat(sdk.getObject(unmodifiedSince)).as("412: the SDK answers null").isNull();

    String lastModified =
        RawHttp.signed(node.port(), "HEAD", RawHttp.COS_HOST, "/cond/a.txt", null)
            .headers()
            .get("last-modified");
    Map<String, Integer> statusByHeaders = new java.util.LinkedHashMap<>();
    for (Map<String, String> conditions :
        List.of(
            Map.of("If-Modified-Since", lastModified),
            Map.of("If-None-Match", "\"" + head.getETag() + "\""),
            Map.of("If-Match", "\"0000\""),
            // If-Match decides when both are given, If-None-Match over If-Modified-Since
            Map.of("If-Match", "*", "If-Unmodified-Since", "Thu, 01 Jan 1970 00:00:00 GMT"),
            Map.of("If-None-Match", "\"0000\"", "If-Modified-Since", lastModified),
            Map.of("If-Modified-Since", "yesterday"))) {
      for (String method : List.of("GET", "HEAD")) {
        statusByHeaders.put(
            method + " " + conditions,
            RawHttp.signedWith(
                    node.port(), method, RawHttp.COS_HOST, "/cond/a.txt", null, conditions)
                .status());
      }
    }
    assertThat(statusByHeaders.values())
        .as(statusByHeaders.toString())
        .containsExactly(304, 304, 304, 304, 412, 412, 200, 200, 200, 200, 200, 200);
  }

  @Test
  void listBuckets_names_each_bucket_in_use_with_its_region_and_creation() {
    sdk.putObject(BUCKET, "listed/a.txt", "a");
    List<com.qcloud.cos.model.Bucket> buckets = sdk.listBuckets();
    com.qcloud.cos.model.Bucket ours =
        buckets.stream().filter(b -> b.getName().equals(BUCKET)).findFirst().orElseThrow();
    assertThat(ours.getLocation()).isEqualTo(TestNode.REGION);
    assertThat(ours.getCreationDate()).isBeforeOrEqualTo(new java.util.Date());
    assertThat(ours.getBucketType()).isEqualTo("cos");
    assertThat(buckets)
        .extracting(com.qcloud.cos.model.Bucket::getName)
        .isSortedAccordingTo(String::compareTo);

    sdk.createBucket("listed-too-1250000000");
    List<String> paged = new java.util.ArrayList<>();
    var request = new com.qcloud.cos.model.ListBucketsRequest();
    request.setMaxKeys(1);
    com.qcloud.cos.model.ListBucketsResult page;
    do {
      page = sdk.getService(request);
      assertThat(page.getBuckets()).hasSizeLessThanOrEqualTo(1);
      page.getBuckets().forEach(b -> paged.add(b.getName()));
      request.setMarker(page.getNextMarker());
    } while (page.isTruncated());
    assertThat(paged)
        .as("a page at a time, the same buckets")
        .isEqualTo(sdk.listBuckets().stream().map(com.qcloud.cos.model.Bucket::getName).toList())
        .contains(BUCKET, "listed-too-1250000000");
    assertThat(page.getBucketOwner().getId()).isEqualTo(TestNode.CREDENTIALS.secretId());
  }

  @Test
  void deleteObject_removes_it_and_later_reads_answer_404() {
    sdk.putObject(BUCKET, "tmp/delete-me.txt", "bye");
    sdk.deleteObject(BUCKET, "tmp/delete-me.txt");
    assertThatThrownBy(() -> sdk.getObject(BUCKET, "tmp/delete-me.txt"))
        .isInstanceOfSatisfying(
            CosServiceException.class,
            e -> {
              assertThat(e.getStatusCode()).isEqualTo(404);
              assertThat(e.getErrorCode()).isEqualTo("NoSuchKey");
              assertThat(e.getRequestId()).isNotBlank();
            });
    assertThatThrownBy(() -> sdk.getObjectMetadata(BUCKET, "tmp/delete-me.txt"))
        .isInstanceOfSatisfying(
            CosServiceException.class, e -> assertThat(e.getStatusCode()).isEqualTo(404));
  }

  @Test
  void describeMediaQueues_lists_the_default_queue_and_reports_unknown_ids() {
    MediaListQueueResponse all = sdk.describeMediaQueues(queueRequest());
    assertThat(all.getQueueList()).hasSize(1);
    MediaQueueObject q = all.getQueueList().getFirst();
    assertThat(q.getQueueId()).matches("p[0-9a-f]{32}");
    assertThat(q.getState()).isEqualTo("Active");
    assertThat(q.getBucketId()).isEqualTo(BUCKET);

    MediaQueueRequest some = queueRequest();
    some.setQueueId(q.getQueueId() + ",pdeadbeefdeadbeefdeadbeefdeadbeef");
    MediaListQueueResponse filtered = sdk.describeMediaQueues(some);
    assertThat(filtered.getQueueList())
        .extracting(MediaQueueObject::getQueueId)
        .containsExactly(q.getQueueId());
    assertThat(filtered.getNonExistPIDs()).containsExactly("pdeadbeefdeadbeefdeadbeefdeadbeef");
  }

  @Test
  void updateMediaQueue_sets_notify_config_and_empty_fields_leave_values_unchanged() {
    String queueId = defaultQueueId();
    MediaQueueRequest update = queueRequest();
    update.setQueueId(queueId);
    update.setName("queue-audio");
    update.setState("Active");
    MediaNotifyConfig notify = new MediaNotifyConfig();
    notify.setUrl("http://127.0.0.1:9/ci");
    notify.setType("Url");
    notify.setEvent("TaskFinish");
    notify.setState("Off");
    update.setNotifyConfig(notify);
    MediaQueueResponse updated = sdk.updateMediaQueue(update);
    assertThat(updated.getQueue().getName()).isEqualTo("queue-audio");
    assertThat(updated.getQueue().getNotifyConfig().getUrl()).isEqualTo("http://127.0.0.1:9/ci");

    MediaQueueRequest onlyId = queueRequest();
    onlyId.setQueueId(queueId);
    MediaQueueResponse unchanged = sdk.updateMediaQueue(onlyId);
    assertThat(unchanged.getQueue().getName()).isEqualTo("queue-audio");
    assertThat(unchanged.getQueue().getNotifyConfig().getUrl()).isEqualTo("http://127.0.0.1:9/ci");
    assertThat(unchanged.getQueue().getNotifyConfig().getEvent()).isEqualTo("TaskFinish");
  }

  @Test
  void createMediaJobs_v1_and_v2_run_noise_reduction_and_describe_reports_the_result()
      throws Exception {
    sdk.putObject(
        BUCKET,
        "input/speech.wav",
        new ByteArrayInputStream(noisyWav()),
        wavMeta(noisyWav().length));

    MediaJobsRequest v1 = jobRequest("input/speech.wav", "output/v1.wav", "v1 data");
    v1.getOperation().setJobLevel("2");
    MediaJobResponse created = sdk.createMediaJobs(v1);
    MediaJobObject job = created.getJobsDetail();
    assertThat(job.getJobId()).matches("j[0-9a-f]{32}");
    assertThat(job.getState()).isEqualTo("Submitted");
    assertThat(job.getTag()).isEqualTo("NoiseReduction");
    assertThat(job.getInput().getObject()).isEqualTo("input/speech.wav");
    assertThat(job.getOperation().getUserData()).isEqualTo("v1 data");
    assertThat(job.getOperation().getJobLevel()).isEqualTo("2");

    MediaJobsRequestV2 v2 = new MediaJobsRequestV2();
    v2.setBucketName(BUCKET);
    v2.setTag("NoiseReduction");
    v2.getInput().setObject("input/speech.wav");
    v2.getOperation().setUserData("v2 data");
    MediaOutputObject out = v2.getOperation().getOutput();
    out.setBucket(BUCKET);
    out.setRegion(REGION);
    out.setObject("output/v2.wav");
    MediaJobResponseV2 createdV2 = sdk.createMediaJobsV2(v2);
    String v2Id = createdV2.getJobsDetail().getJobId();
    assertThat(createdV2.getJobsDetail().getQueueId()).isEqualTo(defaultQueueId());

    MediaJobObject done = awaitFinal(job.getJobId());
    assertThat(done.getState()).isEqualTo("Success");
    assertThat(done.getCode()).isEqualTo("Success");
    assertThat(done.getProgress()).isEqualTo("100");
    assertThat(done.getStartTime()).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\+0800");
    assertThat(done.getOperation().getOutput().getObject()).isEqualTo("output/v1.wav");

    MediaJobsRequest describeV2 = SdkCalls.job(BUCKET, v2Id);
    CallbackAwait.until(
        Duration.ofSeconds(30),
        () -> "Success".equals(sdk.describeMediaJobV2(describeV2).getJobsDetail().getState()));
    var v2Done = sdk.describeMediaJobV2(describeV2).getJobsDetail();
    assertThat(v2Done.getOperation().getUserData()).isEqualTo("v2 data");
    assertThat(v2Done.getInput().getBucketId()).isEqualTo(BUCKET);
    assertThat(v2Done.getInput().getRegion()).isEqualTo(REGION);

    try (COSObject output = sdk.getObject(BUCKET, "output/v1.wav")) {
      byte[] wav = output.getObjectContent().readAllBytes();
      assertThat(new String(wav, 0, 4, StandardCharsets.US_ASCII)).isEqualTo("RIFF");
      assertThat(output.getObjectMetadata().getContentType()).isEqualTo("audio/wav");
    }
  }

  @Test
  void describeMediaJobs_filters_and_pages_with_next_token() throws Exception {
    sdk.putObject(
        BUCKET, "input/list.wav", new ByteArrayInputStream(noisyWav()), wavMeta(noisyWav().length));
    Set<String> created = new HashSet<>();
    for (int i = 0; i < 5; i++) {
      MediaJobsRequest r = jobRequest("input/list.wav", "output/list-" + i + ".wav", "list");
      r.setQueueId(defaultQueueId());
      created.add(sdk.createMediaJobs(r).getJobsDetail().getJobId());
    }
    for (String id : created) {
      awaitFinal(id);
    }
    List<String> seen = new ArrayList<>();
    String token = null;
    int pages = 0;
    do {
      MediaJobsRequest list = new MediaJobsRequest();
      list.setBucketName(BUCKET);
      list.setTag("NoiseReduction");
      list.setQueueId(defaultQueueId());
      list.setStates("Success");
      list.setOrderByTime("Asc");
      list.setStartCreationTime("2020-01-01T00:00:00+0800");
      list.setSize(2);
      list.setNextToken(token);
      MediaListJobResponse page = sdk.describeMediaJobs(list);
      page.getJobsDetailList().forEach(j -> seen.add(j.getJobId()));
      assertThat(page.getJobsDetailList())
          .allSatisfy(j -> assertThat(j.getState()).isEqualTo("Success"));
      assertThat(page.getJobsDetailList().size()).isLessThanOrEqualTo(2);
      token = page.getNextToken();
      pages++;
    } while (token != null && !token.isEmpty() && pages < 50);
    assertThat(seen).doesNotHaveDuplicates().containsAll(created);
    assertThat(pages).isGreaterThanOrEqualTo(3);

    MediaJobsRequest none = new MediaJobsRequest();
    none.setBucketName(BUCKET);
    none.setTag("NoSuchTag");
    assertThat(sdk.describeMediaJobs(none).getJobsDetailList()).isEmpty();
    assertThat(sdk.describeMediaJobsV2(none).getJobsDetailList()).isEmpty();
  }

  @Test
  void cancelMediaJob_cancels_a_job_held_by_a_paused_queue() throws Exception {
    String bucket = "pausedbucket-1250000000";
    String queueId = SdkCalls.defaultQueueId(sdk, bucket);
    MediaQueueRequest pause = SdkCalls.queues(bucket);
    pause.setQueueId(queueId);
    pause.setState("Paused");
    assertThat(sdk.updateMediaQueue(pause).getQueue().getState()).isEqualTo("Paused");

    MediaJobsRequest r = jobRequest("input/whatever.wav", "output/never.wav", "");
    r.setBucketName(bucket);
    r.getOperation().getOutput().setBucket(bucket);
    String id = sdk.createMediaJobs(r).getJobsDetail().getJobId();
    Thread.sleep(500);
    MediaJobsRequest describe = SdkCalls.job(bucket, id);
    assertThat(sdk.describeMediaJob(describe).getJobsDetail().getState()).isEqualTo("Pause");

    assertThat(sdk.cancelMediaJob(describe)).isTrue();
    assertThat(sdk.describeMediaJob(describe).getJobsDetail().getState()).isEqualTo("Cancel");
  }

  @Test
  void templates_are_created_described_updated_used_by_a_job_and_deleted_through_the_sdk()
      throws Exception {
    MediaTemplateRequest create = new MediaTemplateRequest();
    create.setBucketName(BUCKET);
    create.setTag("NoiseReduction");
    create.setName("java-nr");
    MediaTemplateObject created = sdk.createMediaTemplate(create).getTemplate();
    String id = created.getTemplateId();
    assertThat(id).matches("t[0-9a-f]{32}");
    assertThat(created.getTag()).isEqualTo("NoiseReduction");
    assertThat(created.getName()).isEqualTo("java-nr");
    assertThat(created.getBucketId()).isEqualTo(BUCKET);
    assertThat(created.getCategory()).isEqualTo("Custom");
    assertThat(created.getCreateTime()).matches("\\d{4}-\\d\\d-\\d\\dT.*\\+0800");

    MediaTemplateRequest update = new MediaTemplateRequest();
    update.setBucketName(BUCKET);
    update.setTemplateId(id);
    update.setTag("NoiseReduction");
    update.setName("java-nr-2");
    assertThat(sdk.updateMediaTemplate(update)).isTrue();

    MediaTemplateRequest describe = new MediaTemplateRequest();
    describe.setBucketName(BUCKET);
    describe.setIds(id);
    MediaListTemplateResponse listed = sdk.describeMediaTemplates(describe);
    assertThat(listed.getTotalCount()).isEqualTo("1");
    assertThat(listed.getTemplateList())
        .singleElement()
        .satisfies(
            t -> {
              assertThat(t.getTemplateId()).isEqualTo(id);
              assertThat(t.getName()).isEqualTo("java-nr-2");
              assertThat(t.getTag()).isEqualTo("NoiseReduction");
            });
    assertThat(sdk.describeMediaTemplatesV2(describe).getTemplateList())
        .extracting(MediaTemplateObject::getName)
        .containsExactly("java-nr-2");

    byte[] wav = TestAudio.wav16(16000, TestAudio.speechLike(16000, 1.0));
    sdk.putObject(
        BUCKET, "input/templated.wav", new ByteArrayInputStream(wav), new ObjectMetadata());
    MediaJobsRequest job = jobRequest("input/templated.wav", "output/templated.wav", "");
    job.getOperation().setTemplateId(id);
    MediaJobObject done = awaitFinal(sdk.createMediaJobs(job).getJobsDetail().getJobId());
    assertThat(done.getState()).isEqualTo("Success");
    assertThat(done.getOperation().getTemplateId()).isEqualTo(id);
    assertThat(done.getOperation().getTemplateName()).isEqualTo("java-nr-2");

    MediaTemplateRequest delete = new MediaTemplateRequest();
    delete.setBucketName(BUCKET);
    delete.setTemplateId(id);
    assertThat(sdk.deleteMediaTemplate(delete)).isTrue();
    assertThat(sdk.describeMediaTemplates(describe).getTemplateList()).isEmpty();
    MediaJobsRequest orphan = jobRequest("input/templated.wav", "output/never.wav", "");
    orphan.getOperation().setTemplateId(id);
    assertThatThrownBy(() -> sdk.createMediaJobs(orphan))
        .isInstanceOfSatisfying(
            CosServiceException.class, e -> assertThat(e.getStatusCode()).isEqualTo(400));
  }

  @Test
  void describing_an_unknown_job_is_a_404_no_such_job() {
    MediaJobsRequest r = SdkCalls.job(BUCKET, "jNOTFOUND0000000000000000000000000");
    assertThatThrownBy(() -> sdk.describeMediaJob(r))
        .isInstanceOfSatisfying(
            CosServiceException.class,
            e -> {
              assertThat(e.getStatusCode()).isEqualTo(404);
              assertThat(e.getErrorCode()).isEqualTo("NoSuchJob");
              assertThat(e.getErrorMessage()).contains("jNOTFOUND");
            });
  }

  @Test
  void a_client_with_the_wrong_secret_key_is_refused_with_403() {
    COSClient wrong =
        TestNode.sdkClient(node.port(), new Credentials(TestNode.CREDENTIALS.secretId(), "wrong"));
    try {
      assertThatThrownBy(() -> wrong.describeMediaQueues(queueRequest()))
          .isInstanceOfSatisfying(
              CosServiceException.class,
              e -> {
                assertThat(e.getStatusCode()).isEqualTo(403);
                assertThat(e.getErrorCode()).isEqualTo("SignatureDoesNotMatch");
              });
      assertThatThrownBy(() -> wrong.putObject(BUCKET, "x.txt", "x"))
          .isInstanceOfSatisfying(
              CosServiceException.class, e -> assertThat(e.getStatusCode()).isEqualTo(403));
    } finally {
      wrong.shutdown();
    }
  }

  @Test
  void an_unsupported_tag_is_refused_with_a_clear_error() {
    MediaJobsRequest r = jobRequest("input/a.wav", "output/a.mp4", "");
    r.setTag("Transcode");
    assertThatThrownBy(() -> sdk.createMediaJobs(r))
        .isInstanceOfSatisfying(
            CosServiceException.class,
            e -> {
              assertThat(e.getStatusCode()).isEqualTo(400);
              assertThat(e.getErrorCode()).isEqualTo("InvalidArgument");
              assertThat(e.getErrorMessage()).contains("Transcode").contains("NoiseReduction");
            });
  }

  // --- helpers -------------------------------------------------------------------------------

  static byte[] noisyWav() {
    float[] clean = TestAudio.speechLike(16000, 1.5);
    return TestAudio.wav16(
        16000, TestAudio.mix(clean, TestAudio.whiteNoise(clean.length, 0.05, 7), 5));
  }

  static ObjectMetadata wavMeta(long length) {
    ObjectMetadata meta = new ObjectMetadata();
    meta.setContentLength(length);
    meta.setContentType("audio/wav");
    return meta;
  }

  static MediaJobsRequest jobRequest(String input, String output, String userData) {
    MediaJobsRequest r = SdkCalls.noiseReduction(BUCKET, input, output);
    r.getOperation().setUserData(userData);
    return r;
  }

  static MediaQueueRequest queueRequest() {
    return SdkCalls.queues(BUCKET);
  }

  static String defaultQueueId() {
    return SdkCalls.defaultQueueId(sdk, BUCKET);
  }

  static MediaJobObject awaitFinal(String jobId) throws InterruptedException {
    MediaJobsRequest r = SdkCalls.job(BUCKET, jobId);
    MediaJobObject[] last = new MediaJobObject[1];
    CallbackAwait.until(
        Duration.ofSeconds(30),
        () -> {
          last[0] = sdk.describeMediaJob(r).getJobsDetail();
          return Set.of("Success", "Failed", "Cancel").contains(last[0].getState());
        });
    return last[0];
  }

  static String md5Hex(byte[] body) throws Exception {
    return HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(body));
  }

  /** Polls a condition (the SDK has no way to wait for a job). */
  static final class CallbackAwait {
    static void until(Duration timeout, java.util.function.BooleanSupplier condition)
        throws InterruptedException {
      io.jobhook.support.CallbackReceiver.await(timeout, "condition", condition);
    }
  }

  /** A plain upload of {@code body} through the SDK. */
  private static void put(String bucket, String key, byte[] body) {
    ObjectMetadata meta = new ObjectMetadata();
    meta.setContentLength(body.length);
    sdk.putObject(bucket, key, new ByteArrayInputStream(body), meta);
  }
}
