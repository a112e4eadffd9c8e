package io.jobhook.support;

import com.qcloud.cos.COSClient;
import com.qcloud.cos.model.ciModel.common.MediaOutputObject;
import com.qcloud.cos.model.ciModel.job.MediaJobsRequest;
import com.qcloud.cos.model.ciModel.queue.MediaQueueRequest;

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
}
