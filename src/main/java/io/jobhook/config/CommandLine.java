package io.jobhook.config;

import io.jobhook.api.HttpLimits;
import io.jobhook.callback.RetryPolicy;
import io.jobhook.callback.http.AddressGuard;
import io.jobhook.callback.kafka.KafkaCluster;
import io.jobhook.object.s3.S3Location;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;

/** Parses {@code serve} options (and their environment fallbacks) into a {@link JobhookConfig}. */
public final class CommandLine {
  public static final String SERVE_USAGE =
      """
      Usage: java -jar target/jobhook.jar serve [options]

        --port N                      port to listen on (default 8080; 0 picks a free one)
        --host ADDR                   address to bind (default 0.0.0.0)
        --data-dir DIR                where the database, objects and credentials live (default ./data)
        --database-url URL            jdbc:postgresql://... to share one database between nodes
                                      (user and password from JOBHOOK_DB_USER / JOBHOOK_DB_PASSWORD)
        --allow-private-callbacks     let callbacks reach loopback and private addresses
                                      (local development only; refused by default)
        --callback-allow-cidr LIST    CIDR blocks callbacks may reach although private,
                                      e.g. 10.20.0.0/16,fd00::/8 (the rest stays refused)
        --allow-anonymous             accept unsigned requests (signed ones are still verified)
        --time-zone ZONE              zone of times in responses and callbacks (default Asia/Shanghai)
        --callback-retry-schedule L   waits before each attempt, e.g. 0s,200ms,1s,5s
                                      (default 0s,5s,30s,2m,10m,30m,1h,2h,4h,8h,16h,24h)
        --callback-timeout D          total time one callback attempt may take (default 15s)
        --callback-connect-timeout D  connect timeout of a callback attempt (default 5s)
        --callback-max-per-destination N  attempts in flight at once to one host:port (default 64)
        --retain-delivered D          keep delivered callbacks in the log this long (default 7d)
        --retain-failed D             keep failed callbacks this long (default 30d)
        --retain-jobs D               keep ended jobs and workflow runs this long, and at least
                                      as long as their callbacks stay in the log (default 30d;
                                      0 keeps them)
        --max-running-jobs N          jobs processed at once on this node (default: cores, at least 2)
        --queue-max-concurrent N      MaxConcurrent of each bucket's default queue, set when the
                                      queue is created (default 10, as CI)
        --lease-duration D            how long a node's claim on a job or a callback outlives the
                                      node: a node that dies has its work taken over by the
                                      others within it (default 30s)
        --header-timeout D            time a request's line and headers may take (default 10s)
        --idle-timeout D              time a connection may stay silent (default 30s)
        --max-connections N           connections open at once (default 10000, or 3/4 of the
                                      file descriptor limit when that is lower)
        --max-connections-per-client N  connections open at once from one address (default 256)
        --max-signature-window D      longest q-sign-time window accepted (default 7d)
        --disk-reserve SIZE           free space below which uploads and new jobs are refused
                                      with 503 (default 64MiB; e.g. 512MiB, 2GiB, 0 to disable)
        --abort-uploads-after D       abort a multipart upload neither completed nor aborted
                                      this long after it began, freeing its parts (default 7d;
                                      0 keeps it until its client aborts it)
        --kafka-instance ID=HOSTS     a Kafka cluster callbacks may name by InstanceId; HOSTS is
                                      HOST:PORT[,HOST:PORT...] (repeatable)
        --kafka-property ID.KEY=V     a client property of that cluster (SASL, TLS), repeatable
        --object-store URI            object bytes in an S3-compatible store instead of the data
                                      directory: s3://BUCKET[/PREFIX]?endpoint=URL&region=R&pathStyle=true
                                      (credentials from the AWS SDK's default chain, e.g.
                                      AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY)
        --metrics-token TOKEN         the bearer token a Prometheus scraper sends to read /metrics
                                      (or JOBHOOK_METRICS_TOKEN; without one /metrics is refused)
        --secure-cookies              mark the console's session cookie Secure (behind a TLS proxy)
        --log-format plain|json       log lines as text (default) or as one JSON object each
        --log-level [LOGGER=]LEVEL    the level of a logger (io.jobhook.callback=debug), or of all
                                      (warn); repeatable

      Credentials: JOBHOOK_SECRET_ID and JOBHOOK_SECRET_KEY; when unset, a pair is generated once,
      kept in DATA_DIR/credentials.properties and printed at start-up.
      """;

  private CommandLine() {}

  public static JobhookConfig parseServe(List<String> args, Map<String, String> env) {
    ApiConfig api = ApiConfig.defaults();
    HttpLimits http = api.limits();
    StorageConfig storage = StorageConfig.defaults(Path.of("data"));
    JobsConfig jobs = JobsConfig.defaults();
    CallbacksConfig.Builder callbacks = CallbacksConfig.builder();
    String host = api.host();
    int port = api.port();
    boolean anonymous = api.allowAnonymous();
    ZoneId zone = api.timeZone();
    var headerTimeout = http.headerTimeout();
    var idleTimeout = http.idleTimeout();
    int maxConnections = http.maxConnections();
    int maxPerClient = http.maxConnectionsPerClient();
    var signatureWindow = http.maxSignatureWindow();
    Path dataDir = storage.dataDir();
    String dbUrl = env.get("JOBHOOK_DATABASE_URL");
    long diskReserve = storage.diskReserveBytes();
    S3Location objectStore = storage.objectStore();
    var abortUploadsAfter = storage.abortUploadsAfter();
    int maxRunning = jobs.maxRunning();
    int queueMax = jobs.queueMaxConcurrent();
    var lease = jobs.lease();
    var retainJobs = jobs.retainJobs();
    String metricsToken = env.get("JOBHOOK_METRICS_TOKEN");
    boolean secureCookies = false;
    LoggingConfig logging = LoggingConfig.defaults();
    Map<String, String> kafkaInstances = new java.util.LinkedHashMap<>();
    List<String> kafkaProperties = new java.util.ArrayList<>();
    for (int i = 0; i < args.size(); i++) {
      String a = args.get(i);
      switch (a) {
        case "--port" -> port = Integer.parseInt(value(args, ++i, a));
        case "--host" -> host = value(args, ++i, a);
        case "--data-dir" -> dataDir = Path.of(value(args, ++i, a));
        case "--database-url" -> dbUrl = value(args, ++i, a);
        case "--allow-private-callbacks" -> callbacks.allowPrivate(true);
        case "--allow-anonymous" -> anonymous = true;
        case "--callback-allow-cidr" ->
            callbacks.allowList(AddressGuard.Cidr.parseList(value(args, ++i, a)));
        case "--time-zone" -> zone = ZoneId.of(value(args, ++i, a));
        case "--callback-retry-schedule" -> callbacks.retry(RetryPolicy.parse(value(args, ++i, a)));
        case "--callback-timeout" ->
            callbacks.timeout(RetryPolicy.parseDuration(value(args, ++i, a)));
        case "--callback-connect-timeout" ->
            callbacks.connectTimeout(RetryPolicy.parseDuration(value(args, ++i, a)));
        case "--max-running-jobs" -> maxRunning = Integer.parseInt(value(args, ++i, a));
        case "--queue-max-concurrent" -> queueMax = Integer.parseInt(value(args, ++i, a));
        case "--callback-max-per-destination" ->
            callbacks.maxPerDestination(Integer.parseInt(value(args, ++i, a)));
        case "--retain-delivered" ->
            callbacks.retainDelivered(RetryPolicy.parseDuration(value(args, ++i, a)));
        case "--retain-failed" ->
            callbacks.retainFailed(RetryPolicy.parseDuration(value(args, ++i, a)));
        case "--lease-duration" -> lease = RetryPolicy.parseDuration(value(args, ++i, a));
        case "--retain-jobs" -> {
          String retain = value(args, ++i, a);
          retainJobs = retain.equals("0") ? Duration.ZERO : RetryPolicy.parseDuration(retain);
        }
        case "--header-timeout" -> headerTimeout = RetryPolicy.parseDuration(value(args, ++i, a));
        case "--idle-timeout" -> idleTimeout = RetryPolicy.parseDuration(value(args, ++i, a));
        case "--max-connections" -> maxConnections = Integer.parseInt(value(args, ++i, a));
        case "--max-connections-per-client" -> maxPerClient = Integer.parseInt(value(args, ++i, a));
        case "--max-signature-window" ->
            signatureWindow = RetryPolicy.parseDuration(value(args, ++i, a));
        case "--disk-reserve" -> diskReserve = parseSize(value(args, ++i, a));
        case "--object-store" -> objectStore = S3Location.parse(value(args, ++i, a));
        case "--abort-uploads-after" -> {
          String after = value(args, ++i, a);
          abortUploadsAfter = after.equals("0") ? Duration.ZERO : RetryPolicy.parseDuration(after);
        }
        case "--kafka-instance" -> {
          String spec = value(args, ++i, a);
          int eq = spec.indexOf('=');
          if (eq <= 0 || eq == spec.length() - 1) {
            throw new IllegalArgumentException(
                "--kafka-instance must be ID=HOST:PORT[,HOST:PORT...], not '" + spec + "'");
          }
          if (kafkaInstances.put(spec.substring(0, eq), spec.substring(eq + 1)) != null) {
            throw new IllegalArgumentException(
                "--kafka-instance " + spec.substring(0, eq) + " is given twice");
          }
        }
        case "--kafka-property" -> kafkaProperties.add(value(args, ++i, a));
        case "--metrics-token" -> metricsToken = value(args, ++i, a);
        case "--secure-cookies" -> secureCookies = true;
        case "--log-format" -> logging = logging.withFormat(value(args, ++i, a));
        case "--log-level" -> logging = logging.withLevel(value(args, ++i, a));
        default -> throw new IllegalArgumentException("unknown option " + a);
      }
    }
    return new JobhookConfig(
        new ApiConfig(
            host,
            port,
            anonymous,
            zone,
            api.clockSkew(),
            new HttpLimits(
                headerTimeout, idleTimeout, maxConnections, maxPerClient, signatureWindow),
            metricsToken,
            secureCookies),
        StorageConfig.defaults(dataDir)
            .withDatabase(dbUrl, env.get("JOBHOOK_DB_USER"), env.get("JOBHOOK_DB_PASSWORD"))
            .withDiskReserve(diskReserve)
            .withObjectStore(objectStore)
            .withAbortUploadsAfter(abortUploadsAfter),
        jobs.withConcurrency(maxRunning, queueMax).withLease(lease).withRetainJobs(retainJobs),
        callbacks.kafka(kafkaClusters(kafkaInstances, kafkaProperties)).build(),
        WorkflowsConfig.defaults(),
        logging);
  }

  /** The clusters of {@code --kafka-instance}, each with its {@code --kafka-property ID.KEY=V}. */
  private static List<KafkaCluster> kafkaClusters(
      Map<String, String> instances, List<String> properties) {
    Map<String, Map<String, String>> byCluster = new java.util.LinkedHashMap<>();
    instances.keySet().forEach(id -> byCluster.put(id, new java.util.LinkedHashMap<>()));
    for (String property : properties) {
      int dot = property.indexOf('.');
      int eq = property.indexOf('=');
      if (dot <= 0 || eq < dot + 2) {
        throw new IllegalArgumentException(
            "--kafka-property must be ID.KEY=VALUE, not '" + property + "'");
      }
      String id = property.substring(0, dot);
      Map<String, String> cluster = byCluster.get(id);
      if (cluster == null) {
        throw new IllegalArgumentException(
            "--kafka-property names " + id + ", which no --kafka-instance configures");
      }
      cluster.put(property.substring(dot + 1, eq), property.substring(eq + 1));
    }
    return instances.entrySet().stream()
        .map(e -> new KafkaCluster(e.getKey(), e.getValue(), byCluster.get(e.getKey())))
        .toList();
  }

  /** A size such as {@code 64MiB}, {@code 2GiB}, {@code 500MB} or a plain number of bytes. */
  static long parseSize(String text) {
    var m =
        java.util.regex.Pattern.compile("(\\d+)\\s*(|B|KB|KiB|MB|MiB|GB|GiB)").matcher(text.trim());
    if (!m.matches()) {
      throw new IllegalArgumentException("not a size: '" + text + "' (e.g. 64MiB, 2GiB, 500MB)");
    }
    long unit =
        switch (m.group(2)) {
          case "", "B" -> 1;
          case "KB" -> 1_000;
          case "KiB" -> 1L << 10;
          case "MB" -> 1_000_000;
          case "MiB" -> 1L << 20;
          case "GB" -> 1_000_000_000;
          default -> 1L << 30;
        };
    return Math.multiplyExact(Long.parseLong(m.group(1)), unit);
  }

  private static String value(List<String> args, int i, String option) {
    if (i >= args.size()) {
      throw new IllegalArgumentException(option + " needs a value");
    }
    return args.get(i);
  }
}
