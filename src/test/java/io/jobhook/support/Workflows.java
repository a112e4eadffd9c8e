package io.jobhook.support;

import static org.assertj.core.api.Assertions.assertThat;

import com.qcloud.cos.COSClient;
import com.qcloud.cos.model.ObjectMetadata;
import com.qcloud.cos.model.ciModel.workflow.MediaWorkflowExecutionObject;
import com.qcloud.cos.model.ciModel.workflow.MediaWorkflowListRequest;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Workflow requests the SDK cannot make (create, update, queue ResultFormat: contract §3.12), as
 * signed raw HTTP, and the SDK uploads that start runs.
 */
public final class Workflows {
  private Workflows() {}

  public static String ciHost(String bucket) {
    return bucket + ".ci." + TestNode.REGION + ".myqcloud.com";
  }

  /**
   * A {@code <Request><MediaWorkflow>} body: {@code dependencies} as the CI XML children of
   * Dependencies (e.g. {@code <Start>A,B</Start><A>End</A>}), each job node NoiseReduction writing
   * {@code output}.
   */
  public static String definition(
      String name, String prefix, String dependencies, String output, String... jobNodes) {
    StringBuilder nodes =
        new StringBuilder("<Start><Type>Start</Type><Input><QueueId></QueueId><ObjectPrefix>")
            .append(prefix)
            .append("</ObjectPrefix></Input></Start>");
    for (String node : jobNodes) {
      nodes
          .append('<')
          .append(node)
          .append("><Type>NoiseReduction</Type><Operation><NoiseReduction><Format>wav</Format>")
          .append("</NoiseReduction><Output><Object>")
          .append(output.replace("${Node}", node))
          .append("</Object></Output></Operation></")
          .append(node)
          .append('>');
    }
    nodes.append("<End><Type>End</Type></End>");
    return "<Request><MediaWorkflow><Name>"
        + name
        + "</Name><State>Active</State><Topology><Dependencies>"
        + dependencies
        + "</Dependencies><Nodes>"
        + nodes
        + "</Nodes></Topology></MediaWorkflow></Request>";
  }

  public static RawHttp.Response send(
      int port, String method, String bucket, String path, String body) throws IOException {
    return RawHttp.signed(
        port,
        method,
        ciHost(bucket),
        path,
        body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8));
  }

  /** Creates a workflow and returns its id. */
  public static String create(int port, String bucket, String body) throws IOException {
    RawHttp.Response res = send(port, "POST", bucket, "/workflow", body);
    assertThat(res.status()).as(res.text()).isEqualTo(200);
    Matcher m = Pattern.compile("<WorkflowId>(w[0-9a-f]{32})</WorkflowId>").matcher(res.text());
    assertThat(m.find()).as(res.text()).isTrue();
    return m.group(1);
  }

  /** Points the bucket's default queue's notifications at {@code url} for both events. */
  public static void notifyQueue(int port, COSClient sdk, String bucket, String url, String format)
      throws IOException {
    String queueId = SdkCalls.defaultQueueId(sdk, bucket);
    RawHttp.Response res =
        send(
            port,
            "PUT",
            bucket,
            "/queue/" + queueId,
            "<Request><QueueId>"
                + queueId
                + "</QueueId><NotifyConfig><Type>Url</Type><Url>"
                + url
                + "</Url><Event>TaskFinish,WorkflowFinish</Event>"
                + "<State>On</State><ResultFormat>"
                + format
                + "</ResultFormat></NotifyConfig></Request>");
    assertThat(res.status()).as(res.text()).isEqualTo(200);
  }

  /** A workflow's runs, through the SDK's describeWorkflowExecutions (up to 100). */
  public static List<MediaWorkflowExecutionObject> runs(
      COSClient sdk, String bucket, String workflowId) {
    MediaWorkflowListRequest r = new MediaWorkflowListRequest();
    r.setBucketName(bucket);
    r.setWorkflowId(workflowId);
    r.setSize("100");
    List<MediaWorkflowExecutionObject> runs =
        sdk.describeWorkflowExecutions(r).getWorkflowExecutionList();
    return runs == null ? List.of() : runs;
  }

  /**
   * Waits until {@code workflowId} has at least {@code uploads} runs, all Success, then asserts
   * that every uploaded object has exactly one run: what every crash and cluster test of workflows
   * holds. {@code reader} lists the runs, {@code checker} (another node, or the same) checks.
   */
  public static void awaitOneSuccessfulRunPerUpload(
      COSClient reader,
      COSClient checker,
      String bucket,
      String workflowId,
      int uploads,
      java.time.Duration timeout)
      throws InterruptedException {
    CallbackReceiver.await(
        timeout,
        "a successful run of each of " + uploads + " uploads",
        () -> {
          List<MediaWorkflowExecutionObject> runs = runs(reader, bucket, workflowId);
          return runs.size() >= uploads
              && runs.stream().allMatch(r -> "Success".equals(r.getState()));
        });
    Map<String, Long> runsPerObject =
        runs(checker, bucket, workflowId).stream()
            .collect(
                java.util.stream.Collectors.groupingBy(
                    MediaWorkflowExecutionObject::getObject,
                    java.util.stream.Collectors.counting()));
    assertThat(runsPerObject).hasSize(uploads);
    assertThat(runsPerObject.values()).as("runs per uploaded object").allMatch(n -> n == 1);
  }

  /** Uploads with the SDK, Content-Type first, then the given x-cos-meta-* headers. */
  public static void upload(
      COSClient sdk, String bucket, String key, byte[] data, Map<String, String> userMeta) {
    ObjectMetadata meta = new ObjectMetadata();
    meta.setContentLength(data.length);
    meta.setContentType("audio/wav");
    userMeta.forEach(meta::addUserMetadata);
    sdk.putObject(bucket, key, new ByteArrayInputStream(data), meta);
  }
}
