package io.jobhook.callback;

import io.jobhook.callback.CallbackOutbox.DeliveryState;
import io.jobhook.engine.BoundedRunner;
import io.jobhook.engine.Wakeup;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Drains the outbox: claims due callbacks (skipping destinations whose circuit is open or that are
 * saturated), sends each on its own virtual thread with Standard Webhooks signature headers, and
 * records the outcomes in batches (one transaction for many attempts: group commit). A claim is a
 * lease, so callbacks in flight when the process dies are sent again after restart, with the same
 * id and bytes. Thread-safe.
 */
public final class CallbackDispatcher implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(CallbackDispatcher.class);

  /** The longest {@code Retry-After} honoured; a receiver cannot park a callback for longer. */
  static final Duration MAX_RETRY_AFTER = Duration.ofHours(24);

  private static final int RECORD_BATCH = 1024;
  private static final Duration RECORD_WINDOW = Duration.ofMillis(5);

  private final CallbackOutbox outbox;
  private final CallbackSender sender;
  private final RetryPolicy retryPolicy;
  private final SigningSecrets secrets;
  private final Circuits circuits;
  private final CallbackMetrics metrics;
  private final InstantSource clock;
  private final String owner;
  private final Duration lease;
  private final BoundedRunner<PendingCallback> senders;
  private final ConcurrentLinkedQueue<AttemptRecord> unrecorded = new ConcurrentLinkedQueue<>();
  private final Wakeup recorderWakeup;

  /**
   * The longest a claim past blocked destinations is held back (see {@link
   * #claimsPastBlockedFrom}).
   */
  private static final Duration MAX_HOLD_PAST_BLOCKED = Duration.ofSeconds(1);

  /**
   * When ({@link System#nanoTime}) the next claim may run while a destination is blocked. Such a
   * claim leaves that destination out, and so reads past every due callback of it: with a backlog
   * for a saturated or dead receiver, it costs the backlog's length, and claims come at every
   * attempt's end. After one that found less than it could take (nothing else is waiting), the next
   * waits nine times as long as it took, at most {@link #MAX_HOLD_PAST_BLOCKED}: reading past a
   * backlog takes at most a tenth of the time (while one such read takes under 0.1 s), and healthy
   * destinations' callbacks wait at most that second more. Used by the dispatcher loop only.
   */
  private long claimsPastBlockedFrom = System.nanoTime();

  public CallbackDispatcher(
      CallbackOutbox outbox,
      CallbackSender sender,
      RetryPolicy retryPolicy,
      SigningSecrets secrets,
      Circuits circuits,
      CallbackMetrics metrics,
      InstantSource clock,
      String owner,
      Duration lease,
      int maxInFlight,
      Wakeup wakeup,
      Wakeup recorderWakeup) {
    this.outbox = outbox;
    this.sender = sender;
    this.retryPolicy = retryPolicy;
    this.secrets = secrets;
    this.circuits = circuits;
    this.metrics = metrics;
    this.clock = clock;
    this.owner = owner;
    this.lease = lease;
    this.senders = new BoundedRunner<>(maxInFlight, wakeup, cb -> "callback " + cb.id());
    this.recorderWakeup = recorderWakeup;
  }

  /** Claims and starts what is due; returns true when it may have left due work behind. */
  public boolean runOnce() {
    var blocked = circuits.blocked();
    long started = System.nanoTime();
    if (!blocked.isEmpty() && started - claimsPastBlockedFrom < 0) {
      return false; // the next wake-up or poll comes back
    }
    return senders.claimAndStart(
        free -> {
          Instant now = clock.instant();
          List<PendingCallback> due = outbox.claimDue(owner, now, now.plus(lease), free, blocked);
          if (!blocked.isEmpty()) {
            long took = System.nanoTime() - started;
            claimsPastBlockedFrom =
                due.size() < free
                    ? started + took + Math.min(9 * took, MAX_HOLD_PAST_BLOCKED.toNanos())
                    : started;
          }
          // Sends ending make the next claim only if this one may have left callbacks due: it
          // took all it could, or left out destinations those ends may unblock. Callbacks stored
          // due later wake the dispatcher themselves, retries come with the poll; and while it
          // may have, new callbacks are not handed off but queue behind them (see reserve).
          return new BoundedRunner.Claim<>(due, due.size() == free || !blocked.isEmpty());
        },
        this::deliver);
  }

  /**
   * A sender's slot for a callback about to be stored, to send it as soon as its transaction
   * commits, leased to this node at once instead of claimed: a callback's first attempt then costs
   * no claim. None for a callback not due yet (a retry schedule that begins with a wait), while the
   * last claim left callbacks due (a new one queues behind them, as it would in a claim), while its
   * destination is blocked (circuit open, or at its in-flight limit), while every sender is busy,
   * or once the dispatcher is closing: the callback is then stored due, for a claim.
   */
  public Optional<Handoff> reserve(PendingCallback callback) {
    Instant now = clock.instant();
    if (callback.nextAttemptAt().isAfter(now)
        || senders.othersWaiting()
        || senders.closing()
        || circuits.isBlocked(callback.destination())) {
      return Optional.empty();
    }
    return senders.tryReserve().map(slot -> new Handoff(slot, now.plus(lease)));
  }

  /**
   * A sender's slot held for one callback; used exactly once, by {@link #start} or {@link
   * #release}.
   */
  public final class Handoff {
    private final BoundedRunner<PendingCallback>.Slot slot;
    private final Instant leaseUntil;

    private Handoff(BoundedRunner<PendingCallback>.Slot slot, Instant leaseUntil) {
      this.slot = slot;
      this.leaseUntil = leaseUntil;
    }

    /** The node the callback is to be leased to. */
    public String owner() {
      return owner;
    }

    public Instant leaseUntil() {
      return leaseUntil;
    }

    /** Sends {@code stored}, leased to {@link #owner()} by a committed transaction. */
    public void start(PendingCallback stored) {
      slot.start(stored, CallbackDispatcher.this::deliver);
    }

    /** Gives the slot back unused. */
    public void release() {
      slot.release();
    }
  }

  /**
   * Writes the outcomes gathered so far in one transaction; returns true if more are waiting. It
   * first lets a few milliseconds' worth gather: one durable commit for many attempts is what makes
   * a high delivery rate possible, and it delays only the log, not any delivery.
   */
  public boolean recordOnce() throws InterruptedException {
    if (unrecorded.isEmpty()) {
      return false;
    }
    if (unrecorded.size() < RECORD_BATCH) {
      Thread.sleep(RECORD_WINDOW);
    }
    List<AttemptRecord> batch = new ArrayList<>();
    AttemptRecord r;
    while (batch.size() < RECORD_BATCH && (r = unrecorded.poll()) != null) {
      batch.add(r);
    }
    if (!batch.isEmpty()) {
      try {
        outbox.recordAttempts(batch);
      } catch (RuntimeException e) {
        // The leases run out and these callbacks are sent again (same id): at least once holds.
        log.error(
            "recording {} callback attempts failed; they will be retried when their leases expire",
            batch.size(),
            e);
      }
    }
    return !unrecorded.isEmpty();
  }

  private void deliver(PendingCallback callback) {
    if (!admit(callback)) {
      outbox.release(List.of(callback));
      return;
    }
    AttemptResult result = null;
    Instant attemptedAt = clock.instant();
    try {
      Map<String, String> headers =
          WebhookSigner.headers(
              callback.id(),
              attemptedAt.getEpochSecond(),
              callback.body(),
              secrets.activeValues(callback.bucket()));
      result = sender.send(callback, headers);
    } finally {
      // a sender that threw counts as a failure; the lease brings the callback back
      circuits.finished(
          callback.destination(),
          result != null && result.outcome() instanceof DeliveryOutcome.Delivered);
    }
    AttemptRecord record = next(callback, attemptedAt, result);
    metrics.attempted(
        switch (record.next()) {
          case Delivered -> CallbackMetrics.Outcome.DELIVERED;
          case Failed -> CallbackMetrics.Outcome.FAILED;
          case Pending -> CallbackMetrics.Outcome.RETRY;
        },
        result.latency());
    unrecorded.add(record);
    recorderWakeup.signal();
  }

  /** Waits while the destination is saturated; false when its circuit is open or it stays full. */
  private boolean admit(PendingCallback callback) {
    try {
      return circuits.start(callback.destination(), lease.dividedBy(2))
          == Circuits.Admission.STARTED;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  private AttemptRecord next(PendingCallback callback, Instant attemptedAt, AttemptResult result) {
    int madeThisRound = callback.attemptsThisRound() + 1;
    return switch (result.outcome()) {
      case DeliveryOutcome.Delivered d -> {
        yield new AttemptRecord(callback, attemptedAt, result, DeliveryState.Delivered, null);
      }
      case DeliveryOutcome.GiveUp g -> {
        log.warn("callback {} of job {} given up: {}", callback.id(), callback.jobId(), g.error());
        yield new AttemptRecord(callback, attemptedAt, result, DeliveryState.Failed, null);
      }
      case DeliveryOutcome.RetryLater r -> {
        var delay = retryPolicy.delayAfter(madeThisRound);
        if (delay.isEmpty()) {
          log.warn(
              "callback {} of job {} failed after {} attempts: {}",
              callback.id(),
              callback.jobId(),
              madeThisRound,
              r.error());
          yield new AttemptRecord(callback, attemptedAt, result, DeliveryState.Failed, null);
        }
        Duration wait = delay.get();
        if (r.retryAfter() != null) {
          Duration asked =
              r.retryAfter().compareTo(MAX_RETRY_AFTER) > 0 ? MAX_RETRY_AFTER : r.retryAfter();
          wait = asked.compareTo(wait) > 0 ? asked : wait;
        }
        yield new AttemptRecord(
            callback, attemptedAt, result, DeliveryState.Pending, clock.instant().plus(wait));
      }
    };
  }

  @Override
  public void close() {
    senders.close();
    try {
      while (recordOnce()) {
        // flush what was gathered before closing
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
