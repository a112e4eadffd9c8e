package io.jobhook;

import io.jobhook.callback.CallbackDispatcher;
import io.jobhook.callback.CallbackLog;
import io.jobhook.callback.CallbackMetrics;
import io.jobhook.callback.CallbackOutbox;
import io.jobhook.callback.Circuits;
import io.jobhook.callback.SigningSecrets;
import io.jobhook.callback.http.AddressGuard;
import io.jobhook.callback.http.SocketCallbackSender;
import io.jobhook.config.JobhookConfig;
import io.jobhook.engine.BackgroundLoop;
import io.jobhook.engine.Closer;
import io.jobhook.engine.Wakeup;
import io.jobhook.storage.Database;
import io.jobhook.storage.JdbcCallbackLog;
import io.jobhook.storage.JdbcCallbackOutbox;
import io.jobhook.storage.JdbcSecretStore;
import java.time.Duration;
import java.time.InstantSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The callback half of a node, wired on a database: outbox, dispatcher, recorder, retention, and
 * what the API needs to show them. A node runs one; the callback benchmark runs one on its own.
 */
public final class CallbackEngine implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(CallbackEngine.class);
  /** How often due retries are looked for when nothing wakes the dispatcher. */
  private static final Duration OUTBOX_POLL = Duration.ofMillis(100);

  private final Closer resources = new Closer();
  public final CallbackOutbox outbox;
  public final CallbackLog deliveryLog;
  public final SigningSecrets secrets;
  public final Circuits circuits;
  public final CallbackMetrics metrics = new CallbackMetrics();
  public final AddressGuard guard;
  /** Signal after committing callbacks so that they go out at once. */
  public final Wakeup wakeup = new Wakeup();
  /** Callbacks that were in flight when the last process died, released at start (single node). */
  public final int recoveredInFlight;

  public CallbackEngine(Database db, JobhookConfig config, InstantSource clock, String owner) throws Exception {
    try {
      this.outbox = new JdbcCallbackOutbox(db);
      // Only one process can use a single-node database: nothing it leased is still in flight.
      this.recoveredInFlight = db.dialect().singleNode ? outbox.releaseAllLeases() : 0;
      this.deliveryLog = new JdbcCallbackLog(db);
      this.guard = new AddressGuard(config.allowPrivateCallbacks(), config.callbackAllowList());
      this.secrets = new SigningSecrets(new JdbcSecretStore(db), clock);
      this.circuits = new Circuits(clock, 5, Duration.ofSeconds(5), Duration.ofMinutes(5),
          config.callbackMaxPerDestination());
      var sender = track(new SocketCallbackSender(guard, config.callbackConnectTimeout(), config.callbackTimeout()));
      Wakeup recorderWakeup = new Wakeup();
      var dispatcher = new CallbackDispatcher(outbox, sender, config.callbackRetry(), secrets, circuits, metrics,
          clock, owner, config.callbackTimeout().plusSeconds(30), 1024, wakeup, recorderWakeup);
      // closed in reverse order: the dispatcher stops sending before the recorder's last flush
      track(new BackgroundLoop("callback-recorder", dispatcher::recordOnce, recorderWakeup, OUTBOX_POLL)).start();
      track(dispatcher);
      track(new BackgroundLoop("callback-dispatcher", dispatcher::runOnce, wakeup, OUTBOX_POLL)).start();
      track(new BackgroundLoop("callback-retention", () -> {
        var now = clock.instant();
        int pruned = deliveryLog.prune(now.minus(config.retainDelivered()), now.minus(config.retainFailed()));
        if (pruned > 0) {
          log.info("pruned {} old callback(s) from the delivery log", pruned);
        }
        return false;
      }, new Wakeup(), Duration.ofMinutes(10))).start();
    } catch (Exception | Error e) {
      close();
      throw e;
    }
  }

  private <T extends AutoCloseable> T track(T resource) {
    return resources.track(resource);
  }

  @Override
  public void close() {
    resources.close();
  }
}
