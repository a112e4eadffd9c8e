package io.jobhook;

import io.jobhook.access.AccessKeys;
import io.jobhook.access.MasterKey;
import io.jobhook.access.Sessions;
import io.jobhook.api.ApiServices;
import io.jobhook.api.HttpServer;
import io.jobhook.api.auth.Credentials;
import io.jobhook.api.auth.SignatureVerifier;
import io.jobhook.callback.PendingCallbacks;
import io.jobhook.config.JobhookConfig;
import io.jobhook.config.StorageConfig;
import io.jobhook.engine.BackgroundLoop;
import io.jobhook.engine.Batches;
import io.jobhook.engine.Closer;
import io.jobhook.engine.Ids;
import io.jobhook.engine.Wakeup;
import io.jobhook.job.JobEnds;
import io.jobhook.job.JobService;
import io.jobhook.job.JobStore;
import io.jobhook.job.Processor;
import io.jobhook.job.QueueService;
import io.jobhook.job.run.JobWorkers;
import io.jobhook.metrics.CallbackSeries;
import io.jobhook.metrics.JobSeries;
import io.jobhook.metrics.Metrics;
import io.jobhook.metrics.WorkflowSeries;
import io.jobhook.object.BlobStore;
import io.jobhook.object.Buckets;
import io.jobhook.object.DiskBlobStore;
import io.jobhook.object.DiskSpace;
import io.jobhook.object.IndexedObjectStore;
import io.jobhook.object.MultipartUploads;
import io.jobhook.object.s3.S3BlobStore;
import io.jobhook.process.noise.NoiseReductionProcessor;
import io.jobhook.storage.Database;
import io.jobhook.storage.JdbcAccessKeyStore;
import io.jobhook.storage.JdbcBucketStore;
import io.jobhook.storage.JdbcCorsStore;
import io.jobhook.storage.JdbcJobStore;
import io.jobhook.storage.JdbcMultipartIndex;
import io.jobhook.storage.JdbcObjectIndex;
import io.jobhook.storage.JdbcQueueStore;
import io.jobhook.storage.JdbcTemplateStore;
import io.jobhook.storage.JdbcTransactions;
import io.jobhook.storage.JdbcWorkflowStore;
import io.jobhook.template.TemplateService;
import io.jobhook.wire.CiTimes;
import io.jobhook.wire.TaskFinishDocument;
import io.jobhook.wire.WorkflowFinishDocument;
import io.jobhook.workflow.WorkflowEngine;
import io.jobhook.workflow.WorkflowService;
import io.jobhook.workflow.WorkflowStore;
import io.jobhook.workflow.WorkflowTriggers;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A running jobhook node, and the one place where its parts are wired: storage, the callback
 * delivery, workflows, the job engine and the HTTP API, each from its feature's configuration.
 */
public final class Jobhook implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Jobhook.class);
  private static final Duration DISK_SPACE_INTERVAL = Duration.ofSeconds(1);

  /** How often ended jobs and runs older than {@code --retain-jobs} are looked for. */
  private static final Duration RETENTION_PASS = Duration.ofMinutes(10);

  /** Rows deleted in one transaction by that pass. */
  private static final int RETENTION_BATCH = 500;

  /** How long a console sign-in lasts. */
  private static final Duration CONSOLE_SESSION = Duration.ofHours(8);

  private final Closer resources = new Closer();
  private final HttpServer server;
  private volatile boolean ready;

  private Jobhook(JobhookConfig config, Credentials credentials, InstantSource clock)
      throws Exception {
    try {
      log.info("configuration:\n  {}", String.join("\n  ", config.describe()));
      StorageConfig storage = config.storage();
      DataDirectory.create(storage.dataDir());
      if (storage.databaseUrl() == null) {
        lockDataDir(storage);
      }
      Database db =
          track(
              Database.open(storage.jdbcUrl(), storage.databaseUser(), storage.databasePassword()));
      var disk = new DiskSpace(storage.dataDir(), storage.diskReserveBytes());
      DataDirectory.restrictFiles(storage.dataDir());
      track(new BackgroundLoop("disk-space", disk::refresh, new Wakeup(), DISK_SPACE_INTERVAL))
          .start();
      var transactions = new JdbcTransactions(db);
      String owner = "node-" + Ids.hex32().substring(0, 12);
      log.info("node id {}: the owner of this process's leases on jobs and callbacks", owner);
      var times = new CiTimes(config.api().timeZone());
      Wakeup workerWakeup = new Wakeup();
      Wakeup workflowWakeup = new Wakeup();

      var metrics = new Metrics();

      // callbacks: where they enter the outbox and what delivers them
      var callbacks =
          track(
              new CallbackDelivery(
                  db,
                  config.callbacks(),
                  clock,
                  owner,
                  config.jobs().lease(),
                  new CallbackSeries(metrics)));
      CallbackSeries.backlog(metrics, callbacks.deliveryLog(), callbacks.circuits(), clock);
      var pendingCallbacks = new PendingCallbacks(clock, config.callbacks().retry().initialDelay());

      // objects, and the workflow events that uploads and ended jobs write with themselves
      var workflowStore = new JdbcWorkflowStore(db);
      var triggers = new WorkflowTriggers(workflowStore, workflowWakeup);
      BlobStore blobs =
          storage.objectStore() == null
              ? new DiskBlobStore(storage.dataDir().resolve("objects"))
              : track(new S3BlobStore(storage.objectStore()));
      var objects =
          new IndexedObjectStore(
              blobs, new JdbcObjectIndex(db), transactions, triggers, clock, disk);
      var multipart =
          new MultipartUploads(objects, new JdbcMultipartIndex(db), transactions, clock);
      track(
              new BackgroundLoop(
                  "orphan-sweep",
                  orphanSweep(storage, objects, multipart, db.dialect().singleNode, clock),
                  new Wakeup(),
                  storage.orphanSweepInterval()))
          .start();

      // jobs: the kinds this node runs, their workers, submission
      var jobStore = new JdbcJobStore(db);
      // Only one process can use a single-node database: every job it leased was interrupted.
      int interrupted = db.dialect().singleNode ? jobStore.releaseAllLeases() : 0;
      if (interrupted + callbacks.recoveredInFlight() > 0) {
        log.info(
            "recovered {} interrupted job(s) and {} in-flight callback(s) from the last run",
            interrupted,
            callbacks.recoveredInFlight());
      }
      var queues =
          new QueueService(
              new JdbcQueueStore(db), clock, config.jobs().queueMaxConcurrent(), workerWakeup);
      var jobSeries = new JobSeries(metrics);
      JobSeries.queueDepths(metrics, jobStore);
      List<Processor> kinds =
          List.of(new NoiseReductionProcessor(objects, storage.dataDir().resolve("tmp")));
      var jobEnds =
          new JobEnds(
              queues,
              new TaskFinishDocument(times),
              pendingCallbacks,
              callbacks.queue(),
              List.of(triggers, jobSeries));
      var workers =
          track(
              new JobWorkers(
                  jobStore,
                  transactions,
                  jobEnds,
                  kinds,
                  clock,
                  owner,
                  config.jobs().lease(),
                  config.jobs().retryDelays(),
                  config.jobs().maxRunning(),
                  workerWakeup));
      var templateStore = new JdbcTemplateStore(db);
      var jobs =
          new JobService(
              jobStore,
              queues,
              transactions,
              jobEnds,
              kinds,
              TemplateService.lookup(templateStore),
              workers,
              workerWakeup,
              clock,
              jobSeries);

      // workflows
      var workflowEngine =
          new WorkflowEngine(
              workflowStore,
              transactions,
              jobs,
              queues,
              new WorkflowFinishDocument(times),
              pendingCallbacks,
              callbacks.queue(),
              clock,
              config.workflows().eventBatch(),
              config.workflows().maxEventAttempts());
      var workflows =
          new WorkflowService(workflowStore, workflowEngine, jobs, queues, objects, clock);
      var templates = new TemplateService(templateStore, jobs, workflows, clock);
      WorkflowSeries.register(metrics, workflows);

      var deleted = new RetentionCounts();
      if (!config.jobs().retainJobs().isZero()) {
        track(
                new BackgroundLoop(
                    "job-retention",
                    jobRetention(
                        config.jobs().retainJobs(), jobStore, workflowStore, clock, deleted),
                    new Wakeup(),
                    RETENTION_PASS))
            .start();
      }
      metrics.counter(
          "jobhook_retention_jobs_deleted_total",
          "Ended jobs of no workflow run this node deleted after --retain-jobs (a run's jobs go"
              + " with it).",
          deleted.jobs::get);
      metrics.counter(
          "jobhook_retention_runs_deleted_total",
          "Ended workflow runs this node deleted after --retain-jobs.",
          deleted.runs::get);
      metrics.counter(
          "jobhook_retention_callbacks_deleted_total",
          "Callbacks this node pruned from the delivery log after --retain-delivered or"
              + " --retain-failed.",
          callbacks::prunedTotal);

      Duration poll = config.jobs().pollInterval();
      track(new BackgroundLoop("job-workers", workers::runOnce, workerWakeup, poll)).start();
      track(new BackgroundLoop("workflows", workflowEngine::runOnce, workflowWakeup, poll)).start();
      track(
              new BackgroundLoop(
                  "job-leases",
                  workers::renewLeases,
                  new Wakeup(),
                  config.jobs().lease().dividedBy(3)))
          .start();

      // the HTTP API
      var verifier =
          new SignatureVerifier(
              clock, config.api().clockSkew(), config.api().limits().maxSignatureWindow());
      var keyStore = new JdbcAccessKeyStore(db);
      if (storage.databaseUrl() != null && System.getenv("JOBHOOK_MASTER_KEY") == null) {
        log.warn(
            "JOBHOOK_MASTER_KEY is not set: access keys are sealed with {}, which other nodes"
                + " cannot open; give every node the same JOBHOOK_MASTER_KEY",
            storage.dataDir().resolve("master.key").toAbsolutePath());
      }
      var accessKeys =
          new AccessKeys(
              credentials.secretId(),
              credentials.secretKey(),
              keyStore,
              MasterKey.load(storage.dataDir(), System.getenv()),
              keyStore,
              clock);
      var consoleSessions = new Sessions(accessKeys, keyStore, clock, CONSOLE_SESSION);
      track(
              new BackgroundLoop(
                  "console-sessions",
                  () -> {
                    consoleSessions.sweep();
                    return false;
                  },
                  new Wakeup(),
                  Duration.ofMinutes(10)))
          .start();
      var services =
          new ApiServices(
              jobs,
              queues,
              objects,
              multipart,
              new JdbcCorsStore(db),
              new Buckets(new JdbcBucketStore(db), clock),
              callbacks.deliveryLog(),
              callbacks.secrets(),
              callbacks.circuits(),
              times,
              callbacks.guard(),
              clock,
              callbacks.redelivery(),
              workflows,
              templates,
              disk,
              callbacks.kafkaClusters(),
              accessKeys,
              consoleSessions);
      server =
          track(
                  new HttpServer(
                      config.api().host(),
                      config.api().port(),
                      config.api().limits(),
                      verifier,
                      config.api().allowAnonymous(),
                      services,
                      () -> !ready ? "starting" : db.failure().orElse("ok"),
                      readiness(clock, db, objects, callbacks)::status,
                      metrics,
                      config.api().metricsToken(),
                      config.api().secureCookies()))
              .start();
      ready = true;
    } catch (Exception | Error e) {
      close();
      throw e;
    }
  }

  /**
   * Removes what a crash left in the data directory: uploads' temp files, unreferenced blobs, jobs'
   * temp files. The first pass, at start, takes everything older than the start when this node is
   * alone on its data (SQLite: no other process can be writing there); every pass after takes what
   * is older than an hour (a day for jobs' temp files, which a long job may reread). Each pass also
   * aborts the multipart uploads abandoned longer than {@code --abort-uploads-after}.
   */
  private static BackgroundLoop.Step orphanSweep(
      StorageConfig storage,
      IndexedObjectStore objects,
      MultipartUploads multipart,
      boolean singleNode,
      InstantSource clock) {
    Instant start = clock.instant();
    AtomicBoolean first = new AtomicBoolean(true);
    return () -> {
      Instant now = clock.instant();
      boolean atStart = first.getAndSet(false) && singleNode;
      int removed =
          objects.sweepOrphans(atStart ? start : now.minus(Duration.ofHours(1)))
              + DataDirectory.removeFilesModifiedBefore(
                  storage.dataDir().resolve("tmp"),
                  atStart ? start : now.minus(Duration.ofDays(1)));
      if (removed > 0) {
        log.info("removed {} file(s) left by an earlier crash", removed);
      }
      if (!storage.abortUploadsAfter().isZero()) {
        int aborted = multipart.abortInitiatedBefore(now.minus(storage.abortUploadsAfter()));
        if (aborted > 0) {
          log.info(
              "aborted {} multipart upload(s) begun more than {} ago (--abort-uploads-after)",
              aborted,
              shown(storage.abortUploadsAfter()));
        }
      }
      return false;
    };
  }

  /**
   * Deletes the jobs and workflow runs that ended longer than {@code retain} ago, oldest first, in
   * transactions of {@link #RETENTION_BATCH} (a job or run whose callbacks are still in the
   * delivery log waits for them). Every node runs it: a row two nodes both pick is deleted once.
   */
  /** What the retention pass of this node deleted since it started. */
  private record RetentionCounts(AtomicLong jobs, AtomicLong runs) {
    RetentionCounts() {
      this(new AtomicLong(), new AtomicLong());
    }
  }

  private static BackgroundLoop.Step jobRetention(
      Duration retain,
      JobStore jobs,
      WorkflowStore workflows,
      InstantSource clock,
      RetentionCounts deleted) {
    return () -> {
      Instant endedBefore = clock.instant().minus(retain);
      int runsDeleted = Batches.drain(() -> workflows.pruneRuns(endedBefore, RETENTION_BATCH));
      int jobsDeleted = Batches.drain(() -> jobs.pruneEnded(endedBefore, RETENTION_BATCH));
      deleted.runs().addAndGet(runsDeleted);
      deleted.jobs().addAndGet(jobsDeleted);
      if (runsDeleted + jobsDeleted > 0) {
        log.info(
            "deleted {} job(s) and {} workflow run(s) with their jobs, ended more than {} ago"
                + " (--retain-jobs)",
            jobsDeleted,
            runsDeleted,
            shown(retain));
      }
      return false;
    };
  }

  /** A duration as its option would give it: {@code 720h}, {@code 2s}. */
  private static String shown(Duration d) {
    return d.toString().substring(2).toLowerCase(Locale.ROOT);
  }

  public static Jobhook start(JobhookConfig config, Credentials credentials, InstantSource clock)
      throws Exception {
    return new Jobhook(config, credentials, clock);
  }

  public int port() {
    return server.port();
  }

  /** Every engine this node uses: the database, the object store, each Kafka cluster. */
  private static Readiness readiness(
      InstantSource clock, Database db, IndexedObjectStore objects, CallbackDelivery callbacks) {
    Readiness readiness =
        new Readiness(clock)
            .with("the database", db::ping)
            .with("the object store", objects::checkBlobs);
    for (String cluster : callbacks.kafkaClusters()) {
      readiness.with("Kafka cluster " + cluster, () -> callbacks.checkKafka(cluster));
    }
    return readiness;
  }

  private <T extends AutoCloseable> T track(T resource) {
    return resources.track(resource);
  }

  private void lockDataDir(StorageConfig storage) throws IOException {
    FileChannel channel =
        FileChannel.open(
            storage.dataDir().resolve("jobhook.lock"),
            StandardOpenOption.CREATE,
            StandardOpenOption.WRITE);
    FileLock lock = channel.tryLock();
    if (lock == null) {
      channel.close();
      throw new IllegalStateException(
          "data directory "
              + storage.dataDir()
              + " is in use by another jobhook process (SQLite is single-node; use --database-url for several nodes)");
    }
    track(channel);
  }

  @Override
  public void close() {
    ready = false;
    resources.close();
  }
}
