package io.jobhook.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.qcloud.cos.COSClient;
import com.qcloud.cos.model.COSObject;
import com.qcloud.cos.model.CompleteMultipartUploadRequest;
import com.qcloud.cos.model.GetObjectRequest;
import com.qcloud.cos.model.InitiateMultipartUploadRequest;
import com.qcloud.cos.model.ObjectMetadata;
import com.qcloud.cos.model.PartETag;
import com.qcloud.cos.model.ciModel.job.CallBackKafkaConfig;
import com.qcloud.cos.model.ciModel.job.MediaJobsRequest;
import io.jobhook.support.CallbackReceiver;
import io.jobhook.support.KafkaBroker;
import io.jobhook.support.RawHttp;
import io.jobhook.support.S3ProxyServer;
import io.jobhook.support.SdkCalls;
import io.jobhook.support.ServerProcess;
import io.jobhook.support.TestAudio;
import io.jobhook.support.TestNode;
import io.jobhook.support.TestPostgres;
import io.jobhook.support.Workflows;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * A cluster as users run it: three jobhook processes sharing one PostgreSQL, one S3 store (S3Proxy)
 * and one Kafka broker, and nothing else (each has a data directory of its own). Jobs are submitted
 * with the official SDK through every live node, as a load balancer would spread them, and uploads
 * start workflow runs through two of them; in the middle, one node is killed with {@code kill -9}
 * while it runs jobs and delivers callbacks. Every job ends exactly once with its output, every
 * callback (to a URL or to Kafka) arrives with one stable id, every upload gets exactly one run,
 * objects written through one node (a multipart upload's parts through two others) read back
 * through the others, and the dead node's work is taken over once its lease runs out; the takeover
 * time is measured and printed.
 */
@EnabledIfEnvironmentVariable(named = "JOBHOOK_TEST_PG_URL", matches = "jdbc:postgresql:.*")
class ClusterIT {
  static final String BUCKET = TestNode.BUCKET;
  static final String S3_BUCKET = "jobhook-cluster";
  static final String TOPIC = "cluster-callbacks";
  static final int JOBS = 2_000;
  static final int UPLOADS = 24;
  static final Duration LEASE = Duration.ofSeconds(3);
  static final Pattern JOB_ID = Pattern.compile("<JobId>(j[0-9a-f]{32})</JobId>");
  static final Pattern NODE_ID = Pattern.compile("node id (node-[0-9a-f]+)");

  @TempDir Path work;

  /** One jobhook process, its SDK client, and whether the load balancer still sends to it. */
  record Node(String name, ServerProcess process, COSClient sdk, Path log) {
    String ownerId() throws Exception {
      Matcher m = NODE_ID.matcher(Files.readString(log));
      assertThat(m.find()).as("the node logs its id").isTrue();
      return m.group(1);
    }
  }

  /** A job as the client saw it accepted. */
  record Accepted(String jobId, String output, boolean kafka) {}

  @Test
  void three_nodes_share_the_engines_and_a_killed_one_loses_nothing() throws Exception {
    TestPostgres pg = TestPostgres.empty();
    List<Node> nodes = new ArrayList<>();
    try (S3ProxyServer s3 = S3ProxyServer.start(dir("s3"), S3_BUCKET);
        KafkaBroker broker = KafkaBroker.start(dir("kafka"));
        CallbackReceiver receiver = CallbackReceiver.start()) {
      try (var admin = broker.admin()) {
        admin.createTopics(List.of(new NewTopic(TOPIC, 3, (short) 1))).all().get();
      }
      Map<String, String> env = new HashMap<>(s3.environment());
      env.put("JOBHOOK_DB_USER", pg.user());
      env.put("JOBHOOK_DB_PASSWORD", pg.password());
      String[] args = {
        "--database-url",
        pg.url(),
        "--object-store",
        s3.spec(S3_BUCKET, "objects/"),
        "--kafka-instance",
        "local=" + broker.bootstrapServers(),
        "--lease-duration",
        LEASE.toSeconds() + "s",
        "--callback-timeout",
        "2s",
        "--callback-retry-schedule",
        "0s,200ms,500ms,1s,1s,2s,2s,2s,2s,2s,2s,2s,2s,2s,2s,2s",
        "--max-running-jobs",
        "4"
      };
      try {
        for (String name : List.of("a", "b", "c")) {
          Path log = work.resolve(name + ".log");
          ServerProcess process =
              ServerProcess.startWith(
                  env, dir("data-" + name), ServerProcess.freePort(), log, args);
          nodes.add(
              new Node(
                  name, process, TestNode.sdkClient(process.port(), TestNode.CREDENTIALS), log));
        }
        Node a = nodes.get(0);
        Node b = nodes.get(1);
        Node c = nodes.get(2);

        objects_written_through_one_node_read_back_through_the_others(a, b, c);

        byte[] input =
            TestAudio.wav16(
                16000,
                TestAudio.mix(
                    TestAudio.speechLike(16000, 2.2), TestAudio.whiteNoise(35200, 0.05, 7), 5.0));
        assertThat(input.length).as("larger than what the index keeps inline").isGreaterThan(65536);
        putObject(b.sdk(), "in/seed.wav", input);
        String workflowId =
            Workflows.create(
                a.process().port(),
                BUCKET,
                Workflows.definition(
                    "cluster",
                    "uploads/",
                    "<Start>A</Start><A>End</A>",
                    "wf/${InputName}.wav",
                    "A"));

        // jobs through every live node; uploads through a and b; c killed midway
        List<Node> live = new java.util.concurrent.CopyOnWriteArrayList<>(nodes);
        Map<String, Accepted> accepted = new ConcurrentHashMap<>();
        AtomicInteger resubmitted = new AtomicInteger();
        String deadOwner = c.ownerId();
        Set<String> runningOnDeadNode = new HashSet<>();
        final long killedAt;
        CompletableFuture<Double> jobsTakenOver;
        CompletableFuture<Double> callbacksTakenOver;
        try (ExecutorService clients = Executors.newFixedThreadPool(12)) {
          List<Future<?>> first =
              submitRange(clients, live, receiver, 0, JOBS / 2, accepted, resubmitted);
          for (int i = 0; i < UPLOADS / 2; i++) {
            upload(i % 2 == 0 ? a : b, i, input);
          }
          for (Future<?> f : first) {
            f.get();
          }
          List<Future<?>> second =
              submitRange(clients, live, receiver, JOBS / 2, JOBS, accepted, resubmitted);
          Thread.sleep(300); // the second half under way on every node
          live.remove(c); // the load balancer's health check notices at once
          c.process().killHard();
          killedAt = System.nanoTime();
          runningOnDeadNode.addAll(jobsLeasedTo(pg, deadOwner)); // interrupted by the kill
          // the takeover: the dead node's leases pass to the others once they run out
          jobsTakenOver =
              CompletableFuture.supplyAsync(
                  () -> secondsUntil(killedAt, () -> countLeased(pg, "jobs", deadOwner) == 0, 60));
          callbacksTakenOver =
              CompletableFuture.supplyAsync(
                  () ->
                      secondsUntil(
                          killedAt, () -> countLeased(pg, "callbacks", deadOwner) == 0, 60));
          c.sdk().shutdown();
          for (int i = UPLOADS / 2; i < UPLOADS; i++) {
            upload(i % 2 == 0 ? a : b, i, input);
          }
          for (Future<?> f : second) {
            f.get();
          }
        }
        assertThat(runningOnDeadNode).as("jobs the killed node was running").isNotEmpty();
        double allEnded =
            secondsUntil(
                killedAt,
                () ->
                    count(pg, "SELECT COUNT(*) FROM jobs WHERE state NOT IN ('Success', 'Failed')")
                        == 0,
                240);
        double allDelivered =
            secondsUntil(
                killedAt,
                () -> count(pg, "SELECT COUNT(*) FROM callbacks WHERE state <> 'Delivered'") == 0,
                240);
        System.out.printf(
            "cluster takeover (lease %d s): %d jobs the killed node ran were claimed again within"
                + " %.1f s and its callbacks within %.1f s; all %d jobs ended %.1f s and all"
                + " callbacks were delivered %.1f s after the kill (%d submissions resent after"
                + " their node died)%n",
            LEASE.toSeconds(),
            runningOnDeadNode.size(),
            jobsTakenOver.get(),
            callbacksTakenOver.get(),
            accepted.size(),
            allEnded,
            allDelivered,
            resubmitted.get());
        assertThat(jobsTakenOver.get())
            .as("the dead node's jobs are taken over once the lease runs out")
            .isLessThan(LEASE.toSeconds() + 10.0);

        try (S3Client store = s3.client()) {
          every_job_ended_once_with_its_output(pg, store, a, accepted, runningOnDeadNode);
        }
        every_callback_arrived_with_one_stable_id(pg, receiver, broker, accepted);
        every_upload_got_exactly_one_run(a, b, workflowId);
        for (Node survivor : List.of(a, b)) {
          assertThat(
                  RawHttp.send(
                          survivor.process().port(),
                          "GET",
                          "/readyz",
                          Map.of("Host", "127.0.0.1"),
                          null)
                      .status())
              .as("/readyz of " + survivor.name())
              .isEqualTo(200);
        }
      } finally {
        for (Node node : nodes) {
          node.sdk().shutdown();
          node.process().close();
        }
      }
    }
  }

  private static void objects_written_through_one_node_read_back_through_the_others(
      Node a, Node b, Node c) throws Exception {
    byte[] large = new byte[9 << 20]; // more than one 8 MiB part
    new Random(42).nextBytes(large);
    putObject(a.sdk(), "shared/large.bin", large);
    for (Node reader : List.of(b, c)) {
      try (COSObject o = reader.sdk().getObject(BUCKET, "shared/large.bin")) {
        assertThat(o.getObjectContent().readAllBytes())
            .as("read through " + reader.name())
            .isEqualTo(large);
      }
    }
    GetObjectRequest ranged = new GetObjectRequest(BUCKET, "shared/large.bin");
    ranged.setRange(8_388_600, 8_388_700); // across the part boundary
    try (COSObject o = c.sdk().getObject(ranged)) {
      assertThat(o.getObjectContent().readAllBytes())
          .isEqualTo(java.util.Arrays.copyOfRange(large, 8_388_600, 8_388_701));
    }
    b.sdk().deleteObject(BUCKET, "shared/large.bin");
    assertThat(a.sdk().doesObjectExist(BUCKET, "shared/large.bin")).isFalse();

    // a client's multipart upload begun on one node, its parts sent to the others, completed there
    String uploadId =
        a.sdk()
            .initiateMultipartUpload(new InitiateMultipartUploadRequest(BUCKET, "shared/parts.bin"))
            .getUploadId();
    int half = 5 << 20;
    List<PartETag> parts =
        new ArrayList<>(
            List.of(
                SdkCalls.uploadPart(
                    b.sdk(), BUCKET, "shared/parts.bin", uploadId, 1, large, 0, half),
                SdkCalls.uploadPart(
                    c.sdk(),
                    BUCKET,
                    "shared/parts.bin",
                    uploadId,
                    2,
                    large,
                    half,
                    large.length - half)));
    c.sdk()
        .completeMultipartUpload(
            new CompleteMultipartUploadRequest(BUCKET, "shared/parts.bin", uploadId, parts));
    try (COSObject o = a.sdk().getObject(BUCKET, "shared/parts.bin")) {
      assertThat(o.getObjectContent().readAllBytes())
          .as("completed through c, read through a")
          .isEqualTo(large);
    }
    a.sdk().deleteObject(BUCKET, "shared/parts.bin");
  }

  /** Submits jobs {@code from} to {@code to}, each to a live node, resent elsewhere on failure. */
  private static List<Future<?>> submitRange(
      ExecutorService clients,
      List<Node> live,
      CallbackReceiver receiver,
      int from,
      int to,
      Map<String, Accepted> accepted,
      AtomicInteger resubmitted) {
    List<Future<?>> futures = new ArrayList<>();
    for (int i = from; i < to; i++) {
      int n = i;
      futures.add(
          clients.submit(
              () -> {
                for (int attempt = 0; ; attempt++) {
                  Node node = live.get(Math.floorMod(n + attempt, live.size()));
                  boolean kafka = n % 4 == 3;
                  String output = "out/job-" + n + "-" + attempt + ".wav";
                  MediaJobsRequest r = SdkCalls.noiseReduction(BUCKET, "in/seed.wav", output);
                  if (kafka) {
                    r.setCallBackType("Kafka");
                    CallBackKafkaConfig config = new CallBackKafkaConfig();
                    config.setRegion(TestNode.REGION);
                    config.setInstanceId("local");
                    config.setTopic(TOPIC);
                    r.setCallBackKafkaConfig(config);
                  } else {
                    r.setCallBack(receiver.url("/done"));
                  }
                  try {
                    String jobId = node.sdk().createMediaJobs(r).getJobsDetail().getJobId();
                    accepted.put(jobId, new Accepted(jobId, output, kafka));
                    return null;
                  } catch (RuntimeException failed) {
                    if (attempt >= 5) {
                      throw failed;
                    }
                    resubmitted.incrementAndGet(); // its node died under it: the next one takes it
                  }
                }
              }));
    }
    return futures;
  }

  private static void every_job_ended_once_with_its_output(
      TestPostgres pg,
      S3Client store,
      Node reader,
      Map<String, Accepted> accepted,
      Set<String> takenOver)
      throws Exception {
    Map<String, String> states = new HashMap<>();
    Map<String, Integer> attempts = new HashMap<>();
    try (Connection c = connect(pg);
        ResultSet rs =
            c.createStatement()
                .executeQuery(
                    "SELECT id, state, attempts FROM jobs WHERE workflow_run_id IS NULL")) {
      while (rs.next()) {
        states.put(rs.getString(1), rs.getString(2));
        attempts.put(rs.getString(1), rs.getInt(3));
      }
    }
    assertThat(states.keySet()).containsAll(accepted.keySet());
    assertThat(states.values()).as("every job").allMatch("Success"::equals);
    assertThat(takenOver.stream().map(attempts::get))
        .as("a job the dead node ran ran again elsewhere")
        .allMatch(n -> n >= 2);

    // one output per job, its bytes in the shared store, readable through a surviving node
    Map<String, String> blobByOutput = new HashMap<>();
    try (Connection c = connect(pg);
        ResultSet rs =
            c.createStatement()
                .executeQuery(
                    "SELECT object_key, blob FROM objects WHERE object_key LIKE 'out/%'")) {
      while (rs.next()) {
        blobByOutput.put(rs.getString(1), rs.getString(2));
      }
    }
    assertThat(blobByOutput.keySet())
        .as("outputs of the accepted jobs")
        .containsAll(accepted.values().stream().map(Accepted::output).toList());
    assertThat(blobByOutput).as("one output per job that ran").hasSize(states.size());
    Set<String> stored = new HashSet<>();
    store
        .listObjectsV2Paginator(r -> r.bucket(S3_BUCKET).prefix("objects/blobs/"))
        .contents()
        .forEach(o -> stored.add(o.key().substring("objects/blobs/".length())));
    assertThat(stored).as("the outputs' bytes in S3").containsAll(blobByOutput.values());
    for (String jobId : takenOver) {
      Accepted job = accepted.get(jobId);
      if (job != null) {
        try (COSObject o = reader.sdk().getObject(BUCKET, job.output())) {
          byte[] wav = o.getObjectContent().readAllBytes();
          assertThat(new String(wav, 0, 4, StandardCharsets.US_ASCII)).isEqualTo("RIFF");
        }
      }
    }
  }

  private static void every_callback_arrived_with_one_stable_id(
      TestPostgres pg,
      CallbackReceiver receiver,
      KafkaBroker broker,
      Map<String, Accepted> accepted)
      throws Exception {
    assertThat(
            count(
                pg,
                "SELECT COUNT(*) FROM (SELECT job_id FROM callbacks GROUP BY job_id"
                    + " HAVING COUNT(*) > 1) twice"))
        .as("jobs with more than one TaskFinish: a job that ended twice")
        .isZero();

    Map<String, Set<String>> idsByJob = new HashMap<>();
    for (CallbackReceiver.Received r : receiver.received()) {
      Matcher m = JOB_ID.matcher(r.bodyText());
      assertThat(m.find()).isTrue();
      idsByJob.computeIfAbsent(m.group(1), k -> new HashSet<>()).add(r.header("webhook-id"));
    }
    Properties p = new Properties();
    p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
    p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    p.put(ConsumerConfig.GROUP_ID_CONFIG, "cluster-check");
    // every accepted Kafka job's record; a submission whose answer was lost to the kill may have
    // made a job too, whose record also arrives, so counting keys would stop too early
    Set<String> kafkaJobIds =
        accepted.values().stream()
            .filter(Accepted::kafka)
            .map(Accepted::jobId)
            .collect(java.util.stream.Collectors.toSet());
    long kafkaJobs = kafkaJobIds.size();
    Set<String> kafkaKeys = new HashSet<>();
    try (KafkaConsumer<String, byte[]> consumer =
        new KafkaConsumer<>(p, new StringDeserializer(), new ByteArrayDeserializer())) {
      consumer.subscribe(List.of(TOPIC));
      long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
      while (!kafkaKeys.containsAll(kafkaJobIds) && System.nanoTime() < deadline) {
        for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(500))) {
          kafkaKeys.add(r.key());
          var id = r.headers().lastHeader("webhook-id");
          idsByJob
              .computeIfAbsent(r.key(), k -> new HashSet<>())
              .add(new String(id.value(), StandardCharsets.UTF_8));
        }
      }
    }
    for (Accepted job : accepted.values()) {
      assertThat(idsByJob.get(job.jobId()))
          .as(
              "callback ids of %s (%s); records of %d of %d Kafka jobs found",
              job.jobId(), job.kafka() ? "Kafka" : "URL", kafkaKeys.size(), kafkaJobs)
          .hasSize(1);
    }
    System.out.printf(
        "callbacks: %d URL deliveries for %d URL jobs, %d Kafka jobs' records found%n",
        receiver.received().size(), accepted.size() - kafkaJobs, kafkaKeys.size());
  }

  private static void every_upload_got_exactly_one_run(Node a, Node b, String workflowId)
      throws Exception {
    Workflows.awaitOneSuccessfulRunPerUpload(
        b.sdk(), a.sdk(), BUCKET, workflowId, UPLOADS, Duration.ofSeconds(120));
    for (int i = 0; i < UPLOADS; i++) {
      assertThat(b.sdk().doesObjectExist(BUCKET, "wf/take-" + i + ".wav"))
          .as("run output of take %d", i)
          .isTrue();
    }
  }

  private static void upload(Node node, int i, byte[] audio) {
    Workflows.upload(node.sdk(), BUCKET, "uploads/take-" + i + ".wav", audio, Map.of());
  }

  private static void putObject(COSClient sdk, String key, byte[] data) {
    ObjectMetadata meta = new ObjectMetadata();
    meta.setContentLength(data.length);
    sdk.putObject(BUCKET, key, new ByteArrayInputStream(data), meta);
  }

  private static Set<String> jobsLeasedTo(TestPostgres pg, String owner) throws Exception {
    Set<String> ids = new HashSet<>();
    try (Connection c = connect(pg);
        PreparedStatement ps =
            c.prepareStatement("SELECT id FROM jobs WHERE lease_owner = ? AND state = 'Running'")) {
      ps.setString(1, owner);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          ids.add(rs.getString(1));
        }
      }
    }
    return ids;
  }

  private static long countLeased(TestPostgres pg, String table, String owner) {
    return count(pg, "SELECT COUNT(*) FROM " + table + " WHERE lease_owner = '" + owner + "'");
  }

  private static long count(TestPostgres pg, String sql) {
    try (Connection c = connect(pg);
        ResultSet rs = c.createStatement().executeQuery(sql)) {
      rs.next();
      return rs.getLong(1);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private static Connection connect(TestPostgres pg) throws Exception {
    return DriverManager.getConnection(pg.url(), pg.user(), pg.password());
  }

  /** Seconds from {@code start} (System.nanoTime) until {@code condition} holds. */
  private static double secondsUntil(
      long start, java.util.function.BooleanSupplier condition, int timeoutSeconds) {
    long deadline = start + Duration.ofSeconds(timeoutSeconds).toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("the cluster did not settle in " + timeoutSeconds + " s");
      }
      try {
        Thread.sleep(100);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
    }
    return (System.nanoTime() - start) / 1e9;
  }

  private Path dir(String name) throws Exception {
    return Files.createDirectories(work.resolve(name));
  }
}
