package io.jobhook.callback;

import static io.jobhook.support.TestNode.BUCKET;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.jobhook.callback.kafka.KafkaCluster;
import io.jobhook.config.JobhookConfig;
import io.jobhook.support.KafkaBroker;
import io.jobhook.support.RawHttp;
import io.jobhook.support.SdkCalls;
import io.jobhook.support.TestAudio;
import io.jobhook.support.TestNode;
import io.jobhook.support.WebhookVerifier;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Callbacks to a real Kafka broker (KRaft, its own process): a job's {@code CallBackType=Kafka}, a
 * queue's {@code NotifyConfig} of type Kafka, an unknown instance refused, and a broker that is
 * killed (kill -9) holding callbacks back until it is up again, the delivery log naming where each
 * landed.
 */
class KafkaCallbackIT {
  static final String CLUSTER = "local";
  static final Pattern JOB_ID = Pattern.compile("<JobId>(j[0-9a-f]{32})</JobId>");
  static final ObjectMapper JSON = new ObjectMapper();

  @TempDir static Path dataDir;
  @TempDir static Path brokerDir;
  static KafkaBroker broker;
  static TestNode node;

  @BeforeAll
  static void start() throws Exception {
    broker = KafkaBroker.start(brokerDir);
    try (var admin = broker.admin()) {
      admin
          .createTopics(
              List.of(
                  new NewTopic("job-callbacks", 3, (short) 1),
                  new NewTopic("queue-callbacks", 1, (short) 1)))
          .all()
          .get();
    }
    JobhookConfig base =
        TestNode.config(
            dataDir,
            RetryPolicy.parse(
                "0s,200ms,500ms,1s,1s,1s,1s,1s,1s,1s,1s,1s,1s,1s,1s,1s,1s,1s,1s,1s,1s,1s,1s,1s,1s,1s,1s,1s,1s,1s"),
            true,
            false);
    node =
        TestNode.start(
            base.withCallbacks(
                base.callbacks().toBuilder()
                    .kafka(List.of(new KafkaCluster(CLUSTER, broker.bootstrapServers(), Map.of())))
                    .build()));
    byte[] audio = TestAudio.wav16(16000, TestAudio.speechLike(16000, 0.5));
    node.sdk()
        .putObject(
            BUCKET,
            "in/talk.wav",
            new ByteArrayInputStream(audio),
            new com.qcloud.cos.model.ObjectMetadata());
  }

  @AfterAll
  static void stop() throws Exception {
    if (node != null) {
      node.close();
    }
    if (broker != null) {
      broker.close();
    }
  }

  @Test
  void a_job_callback_is_a_signed_record_keyed_by_its_job_and_the_log_says_where_it_landed()
      throws Exception {
    String jobId =
        submit(
            "<CallBackType>Kafka</CallBackType>"
                + kafkaConfig("CallBackKafkaConfig", "job-callbacks")
                + "<CallBackFormat>JSON</CallBackFormat>",
            "out/a.wav");

    ConsumerRecord<String, byte[]> record = awaitRecord("job-callbacks", jobId);
    JsonNode document = JSON.readTree(record.value());
    assertThat(document.get("EventName").asText()).isEqualTo("TaskFinish");
    assertThat(document.get("JobsDetail").get("JobId").asText()).isEqualTo(jobId);
    assertThat(document.get("JobsDetail").get("State").asText()).isEqualTo("Success");
    assertThat(header(record, "event-name")).isEqualTo("TaskFinish");
    assertThat(header(record, "content-type")).startsWith("application/json");
    String secret =
        JSON.readTree(
                RawHttp.signed(
                        node.port(), "GET", RawHttp.CI_HOST, "/callbacksecret?format=json", null)
                    .body())
            .get("Secret")
            .get(0)
            .get("Value")
            .asText();
    assertThat(
            WebhookVerifier.verifies(
                secret,
                header(record, "webhook-id"),
                header(record, "webhook-timestamp"),
                header(record, "webhook-signature"),
                record.value()))
        .as("the Standard Webhooks signature of the record's value")
        .isTrue();

    JsonNode logged = awaitLogged(jobId, "Delivered");
    JsonNode attempt =
        logged.get("Attempt").isArray() ? logged.get("Attempt").get(0) : logged.get("Attempt");
    assertThat(logged.get("Url").asText())
        .isEqualTo("kafka://local/job-callbacks?region=ap-guangzhou");
    assertThat(attempt.get("Response").asText())
        .isEqualTo(
            "topic job-callbacks partition " + record.partition() + " offset " + record.offset());
  }

  @Test
  void a_queue_notifying_kafka_sends_its_jobs_callbacks_there_and_shows_its_kafka_config()
      throws Exception {
    String bucket = "kafkaqueue-1250000000";
    String queueId = SdkCalls.defaultQueueId(node.sdk(), bucket);
    var updated =
        RawHttp.signed(
            node.port(),
            "PUT",
            bucket + ".ci." + TestNode.REGION + ".myqcloud.com",
            "/queue/" + queueId,
            ("<Request><QueueId>"
                    + queueId
                    + "</QueueId><NotifyConfig><Type>Kafka</Type><Event>TaskFinish</Event>"
                    + "<State>On</State>"
                    + kafkaConfig("KafkaConfig", "queue-callbacks")
                    + "</NotifyConfig></Request>")
                .getBytes(StandardCharsets.UTF_8));
    assertThat(updated.status()).as(updated.text()).isEqualTo(200);
    assertThat(updated.text())
        .contains("<Type>Kafka</Type>")
        .contains(
            "<KafkaConfig><Region>ap-guangzhou</Region><InstanceId>local</InstanceId><Topic>queue-callbacks</Topic></KafkaConfig>");
    byte[] audio = TestAudio.wav16(16000, TestAudio.speechLike(16000, 0.5));
    node.sdk()
        .putObject(
            bucket,
            "in/q.wav",
            new ByteArrayInputStream(audio),
            new com.qcloud.cos.model.ObjectMetadata());
    String jobId =
        node.sdk()
            .createMediaJobs(SdkCalls.noiseReduction(bucket, "in/q.wav", "out/q.wav"))
            .getJobsDetail()
            .getJobId();
    ConsumerRecord<String, byte[]> record = awaitRecord("queue-callbacks", jobId);
    assertThat(new String(record.value(), StandardCharsets.UTF_8))
        .startsWith("<Response><EventName>TaskFinish</EventName>")
        .contains("<JobId>" + jobId + "</JobId>");
  }

  @Test
  void an_instance_the_server_does_not_have_is_refused_at_submit() throws Exception {
    var refused =
        RawHttp.signed(
            node.port(),
            "POST",
            RawHttp.CI_HOST,
            "/jobs",
            jobXml(
                    "<CallBackType>Kafka</CallBackType><CallBackKafkaConfig><Region>r</Region>"
                        + "<InstanceId>elsewhere</InstanceId><Topic>t</Topic></CallBackKafkaConfig>",
                    "out/x.wav")
                .getBytes(StandardCharsets.UTF_8));
    assertThat(refused.status()).isEqualTo(400);
    assertThat(refused.text()).contains("elsewhere").contains("not a Kafka cluster of this server");
  }

  @Test
  void a_broker_killed_holds_callbacks_back_until_it_is_up_again_and_none_is_lost()
      throws Exception {
    broker.kill();
    String jobId;
    try {
      jobId =
          submit(
              "<CallBackType>Kafka</CallBackType>"
                  + kafkaConfig("CallBackKafkaConfig", "job-callbacks"),
              "out/held.wav");
      JsonNode pending = awaitLogged(jobId, "Pending");
      io.jobhook.support.CallbackReceiver.await(
          Duration.ofSeconds(60),
          "failed attempts while the broker is down",
          () -> {
            try {
              return logEntry(jobId).get("Attempts").asInt() >= 1;
            } catch (Exception e) {
              return false;
            }
          });
      assertThat(pending.get("State").asText()).isEqualTo("Pending");
    } finally {
      broker.startProcess();
    }
    ConsumerRecord<String, byte[]> record = awaitRecord("job-callbacks", jobId);
    assertThat(new String(record.value(), StandardCharsets.UTF_8)).contains(jobId);
    awaitLogged(jobId, "Delivered");
  }

  static String kafkaConfig(String element, String topic) {
    return "<"
        + element
        + "><Region>ap-guangzhou</Region><InstanceId>"
        + CLUSTER
        + "</InstanceId><Topic>"
        + topic
        + "</Topic></"
        + element
        + ">";
  }

  static String jobXml(String callback, String output) {
    return "<Request><Tag>NoiseReduction</Tag><Input><Object>in/talk.wav</Object></Input>"
        + "<Operation><Output><Object>"
        + output
        + "</Object></Output></Operation>"
        + callback
        + "</Request>";
  }

  static String submit(String callback, String output) throws Exception {
    var r =
        RawHttp.signed(
            node.port(),
            "POST",
            RawHttp.CI_HOST,
            "/jobs",
            jobXml(callback, output).getBytes(StandardCharsets.UTF_8));
    assertThat(r.status()).as(r.text()).isEqualTo(200);
    Matcher m = JOB_ID.matcher(r.text());
    assertThat(m.find()).isTrue();
    return m.group(1);
  }

  static JsonNode logEntry(String jobId) throws Exception {
    JsonNode page =
        JSON.readTree(
            RawHttp.signed(
                    node.port(),
                    "GET",
                    RawHttp.CI_HOST,
                    "/callbacks?format=json&jobId=" + jobId,
                    null)
                .body());
    JsonNode callbacks = page.get("Callback");
    return callbacks == null || callbacks.isEmpty()
        ? null
        : callbacks.isArray() ? callbacks.get(0) : callbacks;
  }

  static JsonNode awaitLogged(String jobId, String state) throws Exception {
    JsonNode[] last = new JsonNode[1];
    io.jobhook.support.CallbackReceiver.await(
        Duration.ofSeconds(60),
        "callback of " + jobId + " " + state,
        () -> {
          try {
            last[0] = logEntry(jobId);
            return last[0] != null && last[0].get("State").asText().equals(state);
          } catch (Exception e) {
            return false;
          }
        });
    return last[0];
  }

  static ConsumerRecord<String, byte[]> awaitRecord(String topic, String jobId) {
    Properties p = new Properties();
    p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
    p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    p.put(ConsumerConfig.GROUP_ID_CONFIG, "test-" + jobId);
    try (KafkaConsumer<String, byte[]> consumer =
        new KafkaConsumer<>(p, new StringDeserializer(), new ByteArrayDeserializer())) {
      consumer.subscribe(List.of(topic));
      long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
      List<String> seen = new ArrayList<>();
      while (System.nanoTime() < deadline) {
        for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(500))) {
          seen.add(r.key());
          if (jobId.equals(r.key())) {
            return r;
          }
        }
      }
      throw new AssertionError("no record keyed " + jobId + " on " + topic + "; saw " + seen);
    }
  }

  static String header(ConsumerRecord<String, byte[]> record, String name) {
    var h = record.headers().lastHeader(name);
    return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
  }
}
