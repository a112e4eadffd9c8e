package io.jobhook.callback;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.ToIntFunction;

/**
 * A circuit breaker and an in-flight limit per destination. A destination that fails {@code
 * failuresToOpen} times in a row is left alone for a cool-down (doubling up to a maximum) and then
 * probed with a single attempt; a success closes it. Callbacks for an open or saturated destination
 * are not claimed at all, and an attempt waiting for a saturated destination parks on a semaphore,
 * so no thread spins on a slow or dead receiver. Thread-safe.
 */
public final class Circuits {

  /** The states a destination's circuit can be in (for metrics). */
  public enum State {
    CLOSED,
    OPEN,
    HALF_OPEN
  }

  /** Whether an attempt may start. */
  public enum Admission {
    STARTED,
    SATURATED,
    OPEN
  }

  private final class Circuit {
    final Semaphore slots;
    int consecutiveFailures;
    Instant openUntil;
    Duration coolDown;
    boolean probing;

    Circuit(int maxInFlight) {
      slots = new Semaphore(maxInFlight);
    }
  }

  private final InstantSource clock;
  private final int failuresToOpen;
  private final Duration firstCoolDown;
  private final Duration maxCoolDown;
  private final ToIntFunction<String> maxInFlight;
  private final Map<String, Circuit> circuits = new ConcurrentHashMap<>();

  public Circuits(
      InstantSource clock,
      int failuresToOpen,
      Duration firstCoolDown,
      Duration maxCoolDown,
      ToIntFunction<String> maxInFlight) {
    this.clock = clock;
    this.failuresToOpen = failuresToOpen;
    this.firstCoolDown = firstCoolDown;
    this.maxCoolDown = maxCoolDown;
    this.maxInFlight = maxInFlight;
  }

  /** Destinations that must not be claimed now: open, probing, or at their in-flight limit. */
  public Set<String> blocked() {
    Instant now = clock.instant();
    Set<String> blocked = new HashSet<>();
    circuits.forEach(
        (destination, c) -> {
          if (blocks(c, now)) {
            blocked.add(destination);
          }
        });
    return blocked;
  }

  /** Whether {@code destination} is one of {@link #blocked()}. */
  public boolean isBlocked(String destination) {
    Circuit c = circuits.get(destination);
    return c != null && blocks(c, clock.instant());
  }

  private static boolean blocks(Circuit c, Instant now) {
    synchronized (c) {
      boolean open = c.openUntil != null && (c.openUntil.isAfter(now) || c.probing);
      return open || c.slots.availablePermits() == 0;
    }
  }

  /** Reserves an attempt slot without waiting. */
  public Admission tryStart(String destination) {
    try {
      return start(destination, Duration.ZERO);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Admission.SATURATED;
    }
  }

  /**
   * Reserves an attempt slot, waiting up to {@code maxWait} while the destination has its limit of
   * attempts in flight. OPEN: its circuit is open (put the callback back untouched).
   */
  public Admission start(String destination, Duration maxWait) throws InterruptedException {
    Circuit c = circuits.computeIfAbsent(destination, d -> new Circuit(maxInFlight.applyAsInt(d)));
    if (isOpen(c)) {
      return Admission.OPEN;
    }
    if (!c.slots.tryAcquire(maxWait.toNanos(), TimeUnit.NANOSECONDS)) {
      return Admission.SATURATED;
    }
    synchronized (c) {
      if (c.openUntil != null) {
        if (c.openUntil.isAfter(clock.instant()) || c.probing) {
          c.slots.release();
          return Admission.OPEN;
        }
        c.probing = true; // half-open: exactly one probe
      }
    }
    return Admission.STARTED;
  }

  private boolean isOpen(Circuit c) {
    synchronized (c) {
      return c.openUntil != null && (c.openUntil.isAfter(clock.instant()) || c.probing);
    }
  }

  /** Records how a started attempt went and frees its slot. */
  public void finished(String destination, boolean succeeded) {
    Circuit c = circuits.get(destination);
    if (c == null) {
      return;
    }
    synchronized (c) {
      if (succeeded) {
        c.consecutiveFailures = 0;
        c.openUntil = null;
        c.coolDown = null;
        c.probing = false;
      } else {
        c.consecutiveFailures++;
        if (c.probing || c.consecutiveFailures >= failuresToOpen) {
          c.coolDown =
              c.coolDown == null
                  ? firstCoolDown
                  : (c.coolDown.multipliedBy(2).compareTo(maxCoolDown) > 0
                      ? maxCoolDown
                      : c.coolDown.multipliedBy(2));
          c.openUntil = clock.instant().plus(c.coolDown);
          c.probing = false;
        }
      }
    }
    c.slots.release();
  }

  public Map<String, State> states() {
    Instant now = clock.instant();
    Map<String, State> states = new java.util.HashMap<>();
    circuits.forEach(
        (d, c) -> {
          synchronized (c) {
            states.put(
                d,
                c.openUntil == null
                    ? State.CLOSED
                    : c.openUntil.isAfter(now) ? State.OPEN : State.HALF_OPEN);
          }
        });
    return states;
  }
}
