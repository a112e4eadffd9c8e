package io.jobhook.callback;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * A circuit breaker and an in-flight limit per destination. A destination that fails
 * {@code failuresToOpen} times in a row is left alone for a cool-down (doubling up to a maximum)
 * and then probed with a single attempt; a success closes it. Callbacks for an open or saturated
 * destination are not even claimed, so no worker thread waits on a bad receiver. Thread-safe.
 */
public final class Circuits {

  /** The states a destination's circuit can be in (for metrics). */
  public enum State {
    CLOSED,
    OPEN,
    HALF_OPEN
  }

  private static final class Circuit {
    int consecutiveFailures;
    int inFlight;
    Instant openUntil;
    Duration coolDown;
    boolean probing;
  }

  private final InstantSource clock;
  private final int failuresToOpen;
  private final Duration firstCoolDown;
  private final Duration maxCoolDown;
  private final int maxInFlightPerDestination;
  private final Map<String, Circuit> circuits = new HashMap<>();

  public Circuits(InstantSource clock, int failuresToOpen, Duration firstCoolDown, Duration maxCoolDown,
      int maxInFlightPerDestination) {
    this.clock = clock;
    this.failuresToOpen = failuresToOpen;
    this.firstCoolDown = firstCoolDown;
    this.maxCoolDown = maxCoolDown;
    this.maxInFlightPerDestination = maxInFlightPerDestination;
  }

  /** Destinations that must not be claimed now: open, probing, or at their in-flight limit. */
  public synchronized Set<String> blocked() {
    Instant now = clock.instant();
    Set<String> blocked = new HashSet<>();
    circuits.forEach((destination, c) -> {
      boolean open = c.openUntil != null && (c.openUntil.isAfter(now) || c.probing);
      if (open || c.inFlight >= maxInFlightPerDestination) {
        blocked.add(destination);
      }
    });
    return blocked;
  }

  /** Whether an attempt may start now. */
  public enum Admission {
    STARTED,
    SATURATED,
    OPEN
  }

  /**
   * Reserves an attempt slot. SATURATED: the destination has its limit of attempts in flight (try
   * again shortly); OPEN: its circuit is open (put the callback back untouched).
   */
  public synchronized Admission tryStart(String destination) {
    Circuit c = circuits.computeIfAbsent(destination, d -> new Circuit());
    Instant now = clock.instant();
    if (c.openUntil != null) {
      if (c.openUntil.isAfter(now) || c.probing) {
        return Admission.OPEN;
      }
      if (c.inFlight > 0) {
        return Admission.SATURATED; // wait for the attempts still out before probing
      }
      c.probing = true; // half-open: exactly one probe
    }
    if (c.inFlight >= maxInFlightPerDestination) {
      return Admission.SATURATED;
    }
    c.inFlight++;
    return Admission.STARTED;
  }

  /** Records how an attempt went. */
  public synchronized void finished(String destination, boolean succeeded) {
    Circuit c = circuits.get(destination);
    if (c == null) {
      return;
    }
    c.inFlight--;
    if (succeeded) {
      c.consecutiveFailures = 0;
      c.openUntil = null;
      c.coolDown = null;
      c.probing = false;
    } else {
      c.consecutiveFailures++;
      if (c.probing || c.consecutiveFailures >= failuresToOpen) {
        c.coolDown = c.coolDown == null ? firstCoolDown
            : (c.coolDown.multipliedBy(2).compareTo(maxCoolDown) > 0 ? maxCoolDown : c.coolDown.multipliedBy(2));
        c.openUntil = clock.instant().plus(c.coolDown);
        c.probing = false;
      }
    }
    if (c.inFlight == 0 && c.consecutiveFailures == 0 && c.openUntil == null) {
      circuits.remove(destination);
    }
  }

  public synchronized Map<String, State> states() {
    Instant now = clock.instant();
    Map<String, State> states = new HashMap<>();
    circuits.forEach((d, c) -> states.put(d, c.openUntil == null ? State.CLOSED
        : c.openUntil.isAfter(now) ? State.OPEN : State.HALF_OPEN));
    return states;
  }
}
