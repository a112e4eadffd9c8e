package io.jobhook.e2e;

import static io.jobhook.support.TestNode.BUCKET;
import static io.jobhook.support.TestNode.REGION;
import static org.assertj.core.api.Assertions.assertThat;

import com.qcloud.cos.COSClient;
import com.qcloud.cos.model.COSObject;
import com.qcloud.cos.model.ciModel.job.MediaJobsRequest;
import com.qcloud.cos.model.ciModel.queue.MediaNotifyConfig;
import com.qcloud.cos.model.ciModel.queue.MediaQueueRequest;
import io.jobhook.process.noise.InMemoryAudio;
import io.jobhook.support.CallbackReceiver;
import io.jobhook.support.Documents;
import io.jobhook.support.RawHttp;
import io.jobhook.support.SdkCalls;
import io.jobhook.support.TestAudio;
import io.jobhook.support.TestNode;
import io.jobhook.support.Workflows;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A user's whole journey: upload noisy speech with the SDK, submit NoiseReduction jobs with XML and
 * JSON callbacks, receive the seed's document on a real receiver, and download cleaner audio.
 */
class EndToEndIT {
  static final int RATE = 16000;
  @TempDir static Path dataDir;
  static TestNode node;
  static COSClient sdk;
  static CallbackReceiver receiver;
  static float[] clean;
  static float[] noisy;

  @BeforeAll
  static void start() throws Exception {
    node = TestNode.start(dataDir);
    sdk = node.sdk();
    receiver = CallbackReceiver.start();
    clean = TestAudio.speechLike(RATE, 4.0);
    noisy = TestAudio.mix(clean, TestAudio.whiteNoise(clean.length, 0.05, 42), 5.0);
    Workflows.upload(sdk, BUCKET, "input/noisy speech.wav", TestAudio.wav16(RATE, noisy), Map.of());
  }

  @AfterAll
  static void stop() {
    receiver.close();
    node.close();
  }

  @Test
  void xml_callback_is_the_seed_document_and_the_output_is_cleaner() throws Exception {
    String jobId =
        submit("output/nr.wav", receiver.url("/xml"), null, "This is my NoiseReduction job.");
    CallbackReceiver.Received cb = awaitCallback("/xml", jobId);

    assertThat(cb.header("Content-Type")).startsWith("application/xml");
    SeedCallbackShape.Values v = SeedCallbackShape.fromXml(cb.body());
    assertSuccess(v, jobId, "output/nr.wav", "This is my NoiseReduction job.");

    float[] out = download("output/nr.wav");
    double before = TestAudio.snrDb(clean, noisy);
    double after = TestAudio.snrDb(clean, out);
    assertThat(after)
        .as("SNR after denoising (before: %.1f dB)", before)
        .isGreaterThan(before + 4.0);
  }

  @Test
  void json_callback_has_the_same_names_order_and_values() throws Exception {
    String jobId = submit("output/nr-json.wav", receiver.url("/json"), "JSON", "json job");
    CallbackReceiver.Received cb = awaitCallback("/json", jobId);

    assertThat(cb.header("Content-Type")).startsWith("application/json");
    assertSuccess(SeedCallbackShape.fromJson(cb.body()), jobId, "output/nr-json.wav", "json job");
  }

  @Test
  void queue_notify_config_delivers_when_the_job_names_no_callback() throws Exception {
    String bucket = "notifybucket-1250000000";
    String queueId = SdkCalls.defaultQueueId(sdk, bucket);
    MediaQueueRequest update = SdkCalls.queues(bucket);
    update.setQueueId(queueId);
    MediaNotifyConfig notify = new MediaNotifyConfig();
    notify.setUrl(receiver.url("/queue"));
    notify.setType("Url");
    notify.setEvent("TaskFinish");
    notify.setState("On");
    update.setNotifyConfig(notify);
    sdk.updateMediaQueue(update);

    MediaJobsRequest r = request(bucket, "input/missing.wav", "output/x.wav", null, null, "");
    String jobId = sdk.createMediaJobs(r).getJobsDetail().getJobId();
    CallbackReceiver.Received cb = awaitCallback("/queue", jobId);
    SeedCallbackShape.Values v = SeedCallbackShape.fromXml(cb.body());
    assertThat(v.state()).isEqualTo("Failed");
    assertThat(v.code()).isEqualTo("InputObjectNotFound");
    assertThat(v.message()).contains("input/missing.wav");
    assertThat(v.queueId()).isEqualTo(queueId);
  }

  @Test
  void undecodable_input_fails_the_job_with_a_clear_code_and_a_callback() throws Exception {
    sdk.putObject(BUCKET, "input/garbage.wav", "this is not audio at all");
    String jobId =
        submit("input/garbage.wav", "output/garbage.wav", receiver.url("/garbage"), null, "");
    SeedCallbackShape.Values v = SeedCallbackShape.fromXml(awaitCallback("/garbage", jobId).body());
    assertThat(v.state()).isEqualTo("Failed");
    assertThat(v.code()).isEqualTo("InvalidInputFormat");
    assertThat(v.message()).contains("neither WAV nor MP3");
  }

  /**
   * A tiny input resampled to a higher rate comes out larger than the buffer a small job's output
   * starts in, and whole: the same bytes as the {@code denoise} path gives.
   */
  @Test
  void a_tiny_input_resampled_up_comes_out_whole_as_the_denoiser_writes_it() throws Exception {
    byte[] tiny = TestAudio.tinyNoisyWav();
    Workflows.upload(sdk, BUCKET, "input/tiny.wav", tiny, Map.of());
    RawHttp.Response created =
        Workflows.send(
            node.port(),
            "POST",
            BUCKET,
            "/template",
            "<Request><Tag>NoiseReduction</Tag><Name>to-48k</Name><NoiseReduction>"
                + "<Format>wav</Format><SampleRate>48000</SampleRate></NoiseReduction></Request>");
    assertThat(created.status()).as(created.text()).isEqualTo(200);
    String templateId =
        Documents.text(
            Documents.child(
                Documents.xml(created.text().getBytes(StandardCharsets.UTF_8)), "Template"),
            "TemplateId");

    MediaJobsRequest r =
        request(BUCKET, "input/tiny.wav", "output/tiny-48k.wav", receiver.url("/tiny"), null, "");
    r.getOperation().setTemplateId(templateId);
    String jobId = sdk.createMediaJobs(r).getJobsDetail().getJobId();
    awaitCallback("/tiny", jobId);
    assertThat(sdk.describeMediaJob(SdkCalls.job(BUCKET, jobId)).getJobsDetail().getState())
        .isEqualTo("Success");

    ByteArrayOutputStream expected = new ByteArrayOutputStream();
    InMemoryAudio.denoise(tiny, 48000, expected, f -> {});
    try (COSObject object = sdk.getObject(BUCKET, "output/tiny-48k.wav")) {
      byte[] output = object.getObjectContent().readAllBytes();
      assertThat(output.length).isGreaterThan(tiny.length + 1024);
      assertThat(output).isEqualTo(expected.toByteArray());
    }
  }

  private static void assertSuccess(
      SeedCallbackShape.Values v, String jobId, String output, String userData) {
    assertThat(v.eventName()).isEqualTo("TaskFinish");
    assertThat(v.code()).isEqualTo("Success");
    assertThat(v.message()).isEqualTo("SUCCESS");
    assertThat(v.state()).isEqualTo("Success");
    assertThat(v.tag()).isEqualTo("NoiseReduction");
    assertThat(v.jobId()).isEqualTo(jobId);
    assertThat(v.inputBucket()).isEqualTo(BUCKET);
    assertThat(v.inputObject()).isEqualTo("input/noisy speech.wav");
    assertThat(v.inputRegion()).isEqualTo(REGION);
    assertThat(v.outputBucket()).isEqualTo(BUCKET);
    assertThat(v.outputObject()).isEqualTo(output);
    assertThat(v.outputRegion()).isEqualTo(REGION);
    assertThat(v.userData()).isEqualTo(userData);
    assertThat(v.queueId()).matches("p[0-9a-f]{32}");
    for (String time : List.of(v.creationTime(), v.startTime(), v.endTime())) {
      assertThat(time).matches(SeedCallbackShape.TIME).endsWith("+0800");
    }
    assertThat(v.creationTime().compareTo(v.startTime())).isLessThanOrEqualTo(0);
    assertThat(v.startTime().compareTo(v.endTime())).isLessThanOrEqualTo(0);
  }

  private static String submit(String output, String callback, String format, String userData) {
    return submit("input/noisy speech.wav", output, callback, format, userData);
  }

  private static String submit(
      String input, String output, String callback, String format, String userData) {
    return sdk.createMediaJobs(request(BUCKET, input, output, callback, format, userData))
        .getJobsDetail()
        .getJobId();
  }

  private static MediaJobsRequest request(
      String bucket, String input, String output, String callback, String format, String userData) {
    MediaJobsRequest r = SdkCalls.noiseReduction(bucket, input, output);
    r.setCallBack(callback);
    r.setCallBackFormat(format);
    r.getOperation().setUserData(userData);
    return r;
  }

  private static CallbackReceiver.Received awaitCallback(String path, String jobId)
      throws InterruptedException {
    CallbackReceiver.await(
        Duration.ofSeconds(30),
        "callback for " + jobId,
        () ->
            receiver.received().stream()
                .anyMatch(r -> r.path().equals(path) && r.bodyText().contains(jobId)));
    return receiver.received().stream()
        .filter(r -> r.path().equals(path) && r.bodyText().contains(jobId))
        .findFirst()
        .orElseThrow();
  }

  private static float[] download(String key) throws Exception {
    try (COSObject object = sdk.getObject(BUCKET, key)) {
      return TestAudio.readWav16Mono(object.getObjectContent().readAllBytes());
    }
  }
}
