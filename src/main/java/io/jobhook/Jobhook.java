package io.jobhook;

import io.jobhook.api.ApiServices;
import io.jobhook.api.HttpServer;
import io.jobhook.api.auth.Credentials;
import io.jobhook.api.auth.SignatureVerifier;
import io.jobhook.callback.CallbackDispatcher;
import io.jobhook.callback.CallbackMetrics;
import io.jobhook.callback.Circuits;
import io.jobhook.callback.SigningSecrets;
import io.jobhook.callback.CallbackTimes;
import io.jobhook.callback.TaskFinishDocument;
import io.jobhook.callback.http.AddressGuard;
import io.jobhook.callback.http.HttpCallbackSender;
import io.jobhook.config.JobhookConfig;
import io.jobhook.engine.BackgroundLoop;
import io.jobhook.engine.Wakeup;
import io.jobhook.job.JobService;
import io.jobhook.job.QueueService;
import io.jobhook.job.run.JobWorkers;
import io.jobhook.object.LocalDiskObjectStore;
import io.jobhook.process.noise.NoiseReductionProcessor;
import io.jobhook.storage.Database;
import io.jobhook.storage.JdbcCallbackLog;
import io.jobhook.storage.JdbcCallbackOutbox;
import io.jobhook.storage.JdbcJobStore;
import io.jobhook.storage.JdbcObjectIndex;
import io.jobhook.storage.JdbcQueueStore;
import io.jobhook.storage.JdbcSecretStore;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** A running jobhook node: storage, job engine, callback dispatcher and HTTP API, wired together. */
public final class Jobhook implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Jobhook.class);

  private final List<AutoCloseable> resources = new ArrayList<>();
  private final HttpServer server;
  private volatile boolean ready;

  private Jobhook(JobhookConfig config, Credentials credentials, InstantSource clock) throws Exception {
    try {
      Files.createDirectories(config.dataDir());
      if (config.databaseUrl() == null) {
        lockDataDir(config);
      }
      String url = config.databaseUrl() != null ? config.databaseUrl()
          : "jdbc:sqlite:" + config.dataDir().resolve("jobhook.db").toAbsolutePath();
      Database db = track(Database.open(url, config.databaseUser(), config.databasePassword()));
      String owner = "node-" + io.jobhook.job.Ids.hex32().substring(0, 12);

      var objectStore = new LocalDiskObjectStore(config.dataDir().resolve("objects"), new JdbcObjectIndex(db), clock);
      var jobStore = new JdbcJobStore(db);
      var outbox = new JdbcCallbackOutbox(db);
      if (db.dialect().singleNode) {
        int jobs = jobStore.releaseAllLeases();
        int callbacks = outbox.releaseAllLeases();
        if (jobs + callbacks > 0) {
          log.info("recovered {} interrupted job(s) and {} in-flight callback(s) from the last run", jobs, callbacks);
        }
      }
      var times = new CallbackTimes(config.timeZone());
      var queues = new QueueService(new JdbcQueueStore(db), clock);
      Wakeup workerWakeup = new Wakeup();
      Wakeup callbackWakeup = new Wakeup();
      var jobs = new JobService(jobStore, queues, clock, new TaskFinishDocument(times),
          Map.of(NoiseReductionProcessor.TAG, NoiseReductionProcessor::validate), workerWakeup, callbackWakeup,
          config.callbackRetry().initialDelay());

      var guard = new AddressGuard(config.allowPrivateCallbacks(), config.callbackAllowList());
      var secrets = new SigningSecrets(new JdbcSecretStore(db), clock);
      var circuits = new Circuits(clock, 5, Duration.ofSeconds(5), Duration.ofMinutes(5),
          config.callbackMaxPerDestination());
      var metrics = new CallbackMetrics();
      var callbackLog = new JdbcCallbackLog(db);
      var sender = track(new HttpCallbackSender(guard, config.callbackConnectTimeout(), config.callbackTimeout()));
      Wakeup recorderWakeup = new Wakeup();
      var dispatcher = new CallbackDispatcher(outbox, sender, config.callbackRetry(), secrets, circuits, metrics,
          clock, owner, config.callbackTimeout().plusSeconds(30), 1024, callbackWakeup, recorderWakeup);
      // the recorder loop is closed after the dispatcher (resources close in reverse), so it flushes last
      track(new BackgroundLoop("callback-recorder", dispatcher::recordOnce, recorderWakeup, Duration.ofMillis(100))).start();
      track(dispatcher);
      var workers = track(new JobWorkers(jobStore, jobs, List.of(new NoiseReductionProcessor(objectStore)), clock,
          owner, config.jobLease(), config.maxRunningJobs(), workerWakeup));

      // The outbox is polled more often than jobs: a retry due in 200 ms should not wait 500 ms.
      track(new BackgroundLoop("callback-dispatcher", dispatcher::runOnce, callbackWakeup,
          config.pollInterval().compareTo(Duration.ofMillis(100)) > 0 ? Duration.ofMillis(100) : config.pollInterval())).start();
      track(new BackgroundLoop("job-workers", workers::runOnce, workerWakeup, config.pollInterval())).start();
      track(new BackgroundLoop("job-leases", workers::renewLeases, new Wakeup(), config.jobLease().dividedBy(3))).start();
      track(new BackgroundLoop("callback-retention", () -> {
        var now = clock.instant();
        int pruned = callbackLog.prune(now.minus(config.retainDelivered()), now.minus(config.retainFailed()));
        if (pruned > 0) {
          log.info("pruned {} old callback(s) from the delivery log", pruned);
        }
        return false;
      }, new Wakeup(), Duration.ofMinutes(10))).start();

      var verifier = new SignatureVerifier(credentials, clock, Duration.ofMinutes(15));
      var services = new ApiServices(jobs, queues, objectStore, callbackLog, secrets, metrics, circuits, times, guard,
          clock, callbackWakeup);
      server = track(new HttpServer(config.host(), config.port(), verifier, config.allowAnonymous(), services,
          () -> ready)).start();
      ready = true;
    } catch (Exception | Error e) {
      close();
      throw e;
    }
  }

  public static Jobhook start(JobhookConfig config, Credentials credentials, InstantSource clock) throws Exception {
    return new Jobhook(config, credentials, clock);
  }

  public int port() {
    return server.port();
  }

  private <T extends AutoCloseable> T track(T resource) {
    resources.add(resource);
    return resource;
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
    for (int i = resources.size() - 1; i >= 0; i--) {
      try {
        resources.get(i).close();
      } catch (Exception e) {
        log.warn("closing {} failed", resources.get(i).getClass().getSimpleName(), e);
      }
    }
    resources.clear();
  }
}
