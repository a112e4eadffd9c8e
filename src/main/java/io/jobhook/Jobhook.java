package io.jobhook;

import io.jobhook.api.ApiServices;
import io.jobhook.api.HttpServer;
import io.jobhook.api.auth.Credentials;
import io.jobhook.api.auth.SignatureVerifier;
import io.jobhook.wire.CiTimes;
import io.jobhook.wire.TaskFinishDocument;
import io.jobhook.callback.CallbackQueue;
import io.jobhook.callback.PendingCallbacks;
import io.jobhook.callback.Redelivery;
import io.jobhook.job.JobEnds;
import io.jobhook.job.Processor;
import io.jobhook.storage.JdbcTransactions;
import io.jobhook.workflow.WorkflowTriggers;
import io.jobhook.config.JobhookConfig;
import io.jobhook.engine.BackgroundLoop;
import io.jobhook.engine.Closer;
import io.jobhook.engine.Wakeup;
import io.jobhook.job.JobService;
import io.jobhook.job.QueueService;
import io.jobhook.job.run.JobWorkers;
import io.jobhook.object.DiskSpace;
import io.jobhook.object.LocalDiskObjectStore;
import io.jobhook.process.noise.NoiseReductionProcessor;
import io.jobhook.storage.Database;
import io.jobhook.storage.JdbcJobStore;
import io.jobhook.storage.JdbcObjectIndex;
import io.jobhook.storage.JdbcQueueStore;
import io.jobhook.storage.JdbcWorkflowStore;
import io.jobhook.workflow.WorkflowEngine;
import io.jobhook.wire.WorkflowFinishDocument;
import io.jobhook.workflow.WorkflowService;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** A running jobhook node: storage, job engine, callback dispatcher and HTTP API, wired together. */
public final class Jobhook implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Jobhook.class);
  private static final Duration ORPHAN_SWEEP_INTERVAL = Duration.ofMinutes(15);

  private final Closer resources = new Closer();
  private final HttpServer server;
  private volatile boolean ready;

  private Jobhook(JobhookConfig config, Credentials credentials, InstantSource clock) throws Exception {
    try {
      DataDirectory.create(config.dataDir());
      if (config.databaseUrl() == null) {
        lockDataDir(config);
      }
      String url = config.databaseUrl() != null ? config.databaseUrl()
          : "jdbc:sqlite:" + config.dataDir().resolve("jobhook.db").toAbsolutePath();
      Database db = track(Database.open(url, config.databaseUser(), config.databasePassword()));
      var disk = new DiskSpace(config.dataDir(), config.diskReserveBytes());
      DataDirectory.restrictFiles(config.dataDir());
      String owner = "node-" + io.jobhook.engine.Ids.hex32().substring(0, 12);

      track(new BackgroundLoop("disk-space", disk::refresh, new Wakeup(), Duration.ofSeconds(1))).start();
      var transactions = new JdbcTransactions(db);
      var times = new CiTimes(config.timeZone());
      Wakeup workerWakeup = new Wakeup();
      Wakeup workflowWakeup = new Wakeup();

      var callbacks = track(new CallbackEngine(db, config, clock, owner));
      var callbackQueue = new CallbackQueue(callbacks.outbox, callbacks.wakeup);
      var pendingCallbacks = new PendingCallbacks(clock, config.callbackRetry().initialDelay());

      var workflowStore = new JdbcWorkflowStore(db);
      var triggers = new WorkflowTriggers(workflowStore, workflowWakeup);
      var objectStore = new LocalDiskObjectStore(config.dataDir().resolve("objects"), new JdbcObjectIndex(db),
          transactions, triggers, clock, disk);
      track(new BackgroundLoop("orphan-sweep", orphanSweep(config, objectStore, db.dialect().singleNode, clock),
          new Wakeup(), ORPHAN_SWEEP_INTERVAL)).start();

      var jobStore = new JdbcJobStore(db);
      // Only one process can use a single-node database: every job it leased was interrupted.
      int interrupted = db.dialect().singleNode ? jobStore.releaseAllLeases() : 0;
      if (interrupted + callbacks.recoveredInFlight > 0) {
        log.info("recovered {} interrupted job(s) and {} in-flight callback(s) from the last run", interrupted,
            callbacks.recoveredInFlight);
      }
      var queues = new QueueService(new JdbcQueueStore(db), clock, config.queueMaxConcurrent(), workerWakeup);
      List<Processor> kinds = List.of(new NoiseReductionProcessor(objectStore, config.dataDir().resolve("tmp")));
      var jobEnds = new JobEnds(queues, new TaskFinishDocument(times), pendingCallbacks, callbackQueue,
          List.of(triggers));
      var workers = track(new JobWorkers(jobStore, transactions, jobEnds, kinds, clock, owner, config.jobLease(),
          config.maxRunningJobs(), workerWakeup));
      var jobs = new JobService(jobStore, queues, transactions, jobEnds, kinds, workers, workerWakeup, clock);
      var workflowEngine = new WorkflowEngine(workflowStore, transactions, jobs, queues,
          new WorkflowFinishDocument(times), pendingCallbacks, callbackQueue, clock);
      var workflows = new WorkflowService(workflowStore, workflowEngine, jobs, queues, objectStore, clock);

      track(new BackgroundLoop("job-workers", workers::runOnce, workerWakeup, config.pollInterval())).start();
      track(new BackgroundLoop("workflows", workflowEngine::runOnce, workflowWakeup, config.pollInterval())).start();
      track(new BackgroundLoop("job-leases", workers::renewLeases, new Wakeup(), config.jobLease().dividedBy(3))).start();

      var verifier = new SignatureVerifier(credentials, clock, Duration.ofMinutes(15), config.http().maxSignatureWindow());
      var services = new ApiServices(jobs, queues, objectStore, callbacks.deliveryLog, callbacks.secrets, callbacks.metrics,
          callbacks.circuits, times, callbacks.guard, clock, new Redelivery(callbacks.deliveryLog, clock, callbacks.wakeup),
          workflows, disk);
      server = track(new HttpServer(config.host(), config.port(), config.http(), verifier, config.allowAnonymous(), services,
          () -> !ready ? "starting" : db.failure().orElse("ok"))).start();
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
   * is older than an hour (a day for jobs' temp files, which a long job may reread).
   */
  private static BackgroundLoop.Step orphanSweep(JobhookConfig config, LocalDiskObjectStore objects,
      boolean singleNode, InstantSource clock) {
    Instant start = clock.instant();
    AtomicBoolean first = new AtomicBoolean(true);
    return () -> {
      Instant now = clock.instant();
      boolean atStart = first.getAndSet(false) && singleNode;
      int removed = objects.sweepOrphans(atStart ? start : now.minus(Duration.ofHours(1)))
          + DataDirectory.removeFilesModifiedBefore(config.dataDir().resolve("tmp"),
              atStart ? start : now.minus(Duration.ofDays(1)));
      if (removed > 0) {
        log.info("removed {} file(s) left by an earlier crash", removed);
      }
      return false;
    };
  }

  public static Jobhook start(JobhookConfig config, Credentials credentials, InstantSource clock) throws Exception {
    return new Jobhook(config, credentials, clock);
  }

  public int port() {
    return server.port();
  }

  private <T extends AutoCloseable> T track(T resource) {
    return resources.track(resource);
  }

  private void lockDataDir(JobhookConfig config) throws IOException {
    FileChannel channel = FileChannel.open(config.dataDir().resolve("jobhook.lock"),
        StandardOpenOption.CREATE, StandardOpenOption.WRITE);
    FileLock lock = channel.tryLock();
    if (lock == null) {
      channel.close();
      throw new IllegalStateException("data directory " + config.dataDir()
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
