package io.jobhook.support;

import com.qcloud.cos.COSClient;
import com.qcloud.cos.model.ObjectMetadata;
import com.qcloud.cos.model.PartETag;
import com.qcloud.cos.model.UploadPartRequest;
import com.qcloud.cos.model.ciModel.common.MediaOutputObject;
import com.qcloud.cos.model.ciModel.job.MediaJobsRequest;
import com.qcloud.cos.model.ciModel.queue.MediaQueueRequest;
import java.io.ByteArrayInputStream;
import java.util.ArrayList;
import java.util.List;

/** The SDK requests the tests build again and again. */
public final class SdkCalls {
  private SdkCalls() {}

  /** A v1 NoiseReduction job request from {@code input} to {@code output} in one bucket. */
  public static MediaJobsRequest noiseReduction(String bucket, String input, String output) {
    MediaJobsRequest r = new MediaJobsRequest();
    r.setBucketName(bucket);
    r.setTag("NoiseReduction");
    r.getInput().setObject(input);
    MediaOutputObject out = r.getOperation().getOutput();
    out.setBucket(bucket);
    out.setRegion(TestNode.REGION);
    out.setObject(output);
    return r;
  }

  /**
   * Uploads {@code seconds} of noisy speech at {@code rate} to {@code input}, then submits {@code
   * count} NoiseReduction jobs of it, outputs under {@code outputPrefix}, each with {@code
   * callback}; returns their ids in order.
   */
  public static List<String> denoiseJobs(
      COSClient sdk,
      String bucket,
      String input,
      int rate,
      double seconds,
      int count,
      String outputPrefix,
      String callback) {
    float[] clean = TestAudio.speechLike(rate, seconds);
    byte[] wav =
        TestAudio.wav16(rate, TestAudio.mix(clean, TestAudio.whiteNoise(clean.length, 0.05, 1), 5));
    ObjectMetadata meta = new ObjectMetadata();
    meta.setContentLength(wav.length);
    sdk.putObject(bucket, input, new ByteArrayInputStream(wav), meta);
    List<String> jobIds = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      MediaJobsRequest r = noiseReduction(bucket, input, outputPrefix + i + ".wav");
      r.setCallBack(callback);
      jobIds.add(sdk.createMediaJobs(r).getJobsDetail().getJobId());
    }
    return jobIds;
  }

  /** A describe/cancel request naming one job. */
  public static MediaJobsRequest job(String bucket, String jobId) {
    MediaJobsRequest r = new MediaJobsRequest();
    r.setBucketName(bucket);
    r.setJobId(jobId);
    return r;
  }

  public static MediaQueueRequest queues(String bucket) {
    MediaQueueRequest r = new MediaQueueRequest();
    r.setBucketName(bucket);
    return r;
  }

  /** The bucket's default queue (every bucket has exactly one until queues can be created). */
  public static String defaultQueueId(COSClient sdk, String bucket) {
    return sdk.describeMediaQueues(queues(bucket)).getQueueList().getFirst().getQueueId();
  }

  /** Sends bytes {@code from} to {@code from + length} of {@code data} as part {@code number}. */
  public static PartETag uploadPart(
      COSClient sdk,
      String bucket,
      String key,
      String uploadId,
      int number,
      byte[] data,
      int from,
      int length) {
    return sdk.uploadPart(
            new UploadPartRequest()
                .withBucketName(bucket)
                .withKey(key)
                .withUploadId(uploadId)
                .withPartNumber(number)
                .withPartSize(length)
                .withInputStream(new ByteArrayInputStream(data, from, length)))
        .getPartETag();
  }
}
