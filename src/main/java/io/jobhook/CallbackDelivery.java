package io.jobhook;

import io.jobhook.callback.CallbackDispatcher;
import io.jobhook.callback.CallbackLog;
import io.jobhook.callback.CallbackMetrics;
import io.jobhook.callback.CallbackQueue;
import io.jobhook.callback.Circuits;
import io.jobhook.callback.KafkaTarget;
import io.jobhook.callback.Redelivery;
import io.jobhook.callback.SigningSecrets;
import io.jobhook.callback.TransportRouter;
import io.jobhook.callback.http.AddressGuard;
import io.jobhook.callback.http.SocketCallbackSender;
import io.jobhook.callback.kafka.KafkaCallbackSender;
import io.jobhook.callback.kafka.KafkaCluster;
import io.jobhook.config.CallbacksConfig;
import io.jobhook.engine.BackgroundLoop;
import io.jobhook.engine.Batches;
import io.jobhook.engine.Closer;
import io.jobhook.engine.Leases;
import io.jobhook.engine.Wakeup;
import io.jobhook.storage.Database;
import io.jobhook.storage.JdbcCallbackLog;
import io.jobhook.storage.JdbcCallbackOutbox;
import io.jobhook.storage.JdbcSecretStore;
import java.time.Duration;
import java.time.InstantSource;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The callback half of a node, wired on a database: the outbox and where callbacks enter it, the
 * dispatcher and its recorder, retention, and what the API shows of them. A node runs one; the
 * callback benchmark runs one on its own.
 */
public final class CallbackDelivery implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(CallbackDelivery.class);

  /** How often old callbacks are pruned from the delivery log. */
  private static final Duration RETENTION_PASS = Duration.ofMinutes(10);

  /**
   * Callbacks pruned in one transaction: on SQLite the one writer is held for that long, and new
   * jobs and attempts wait behind it.
   */
  private static final int RETENTION_BATCH = 500;

  private final Closer resources = new Closer();
  private final java.util.concurrent.atomic.AtomicLong prunedTotal =
      new java.util.concurrent.atomic.AtomicLong();
  private final CallbackQueue queue;
  private final Redelivery redelivery;
  private final CallbackLog deliveryLog;
  private final SigningSecrets secrets;
  private final Circuits circuits;
  private final AddressGuard guard;
  private final KafkaCallbackSender kafka;
  private final List<String> kafkaClusters;
  private final int recoveredInFlight;

  /**
   * {@code lease}: how long a claim outlives an attempt's timeout, so that a slow attempt is never
   * claimed twice and a dead node's claims pass to the others soon after; {@code metrics} hears
   * every attempt.
   */
  public CallbackDelivery(
      Database db,
      CallbacksConfig config,
      InstantSource clock,
      String owner,
      Duration lease,
      CallbackMetrics metrics)
      throws Exception {
    try {
      var outbox = new JdbcCallbackOutbox(db);
      // Only one process can use a single-node database: nothing it leased is still in flight.
      this.recoveredInFlight = db.dialect().singleNode ? outbox.releaseAllLeases() : 0;
      // closed last, once nothing here sends or records any more: what is still leased was not
      // finished, and the other nodes take it now rather than when the leases run out
      track(() -> Leases.handBack("callback(s)", () -> outbox.releaseLeasesOf(owner)));
      Wakeup dispatcherWakeup = new Wakeup();
      this.deliveryLog = new JdbcCallbackLog(db);
      this.redelivery = new Redelivery(deliveryLog, clock, dispatcherWakeup);
      this.guard = new AddressGuard(config.allowPrivate(), config.allowList());
      this.secrets = new SigningSecrets(new JdbcSecretStore(db), clock);
      this.circuits =
          new Circuits(
              clock,
              config.circuitFailures(),
              config.circuitOpenFor(),
              config.circuitMaxOpen(),
              // a receiver over HTTP answers one request per connection at a time; a Kafka
              // producer pipelines and batches, so a cluster takes as many as are claimed at once
              destination ->
                  KafkaTarget.isKafka(destination)
                      ? config.claimBatch()
                      : config.maxPerDestination());
      var http =
          track(new SocketCallbackSender(guard, config.connectTimeout(), config.timeout(), clock));
      this.kafka = track(new KafkaCallbackSender(config.kafka(), config.timeout()));
      this.kafkaClusters = config.kafka().stream().map(KafkaCluster::id).toList();
      var sender = new TransportRouter(http, kafka);
      Wakeup recorderWakeup = new Wakeup();
      var dispatcher =
          new CallbackDispatcher(
              outbox,
              sender,
              config.retry(),
              secrets,
              circuits,
              metrics,
              clock,
              owner,
              config.timeout().plus(lease),
              config.claimBatch(),
              dispatcherWakeup,
              recorderWakeup);
      this.queue = new CallbackQueue(outbox, dispatcherWakeup, dispatcher::reserve);
      // closed in reverse order: the dispatcher stops sending before the recorder's last flush
      track(
              new BackgroundLoop(
                  "callback-recorder", dispatcher::recordOnce, recorderWakeup, config.outboxPoll()))
          .start();
      track(dispatcher);
      track(
              new BackgroundLoop(
                  "callback-dispatcher",
                  dispatcher::runOnce,
                  dispatcherWakeup,
                  config.outboxPoll()))
          .start();
      track(
              new BackgroundLoop(
                  "callback-retention",
                  () -> {
                    var now = clock.instant();
                    int pruned =
                        Batches.drain(
                            () ->
                                deliveryLog.prune(
                                    now.minus(config.retainDelivered()),
                                    now.minus(config.retainFailed()),
                                    RETENTION_BATCH));
                    if (pruned > 0) {
                      prunedTotal.addAndGet(pruned);
                      log.info("pruned {} old callback(s) from the delivery log", pruned);
                    }
                    return false;
                  },
                  new Wakeup(),
                  RETENTION_PASS))
          .start();
    } catch (Exception | Error e) {
      close();
      throw e;
    }
  }

  /** Callbacks this node pruned from the delivery log since it started. */
  public long prunedTotal() {
    return prunedTotal.get();
  }

  /** The ids of the Kafka clusters callbacks may name. */
  public List<String> kafkaClusters() {
    return kafkaClusters;
  }

  /** Throws when the Kafka cluster {@code id} does not answer (for readiness). */
  public void checkKafka(String id) throws Exception {
    kafka.check(id);
  }

  /** Where callbacks enter the outbox, in the transaction of what they report. */
  public CallbackQueue queue() {
    return queue;
  }

  public Redelivery redelivery() {
    return redelivery;
  }

  public CallbackLog deliveryLog() {
    return deliveryLog;
  }

  public SigningSecrets secrets() {
    return secrets;
  }

  public Circuits circuits() {
    return circuits;
  }

  /** Which addresses callbacks may reach; the API checks literal ones at submit. */
  public AddressGuard guard() {
    return guard;
  }

  /** Callbacks that were in flight when the last process died, released at start (single node). */
  public int recoveredInFlight() {
    return recoveredInFlight;
  }

  private <T extends AutoCloseable> T track(T resource) {
    return resources.track(resource);
  }

  @Override
  public void close() {
    resources.close();
  }
}
