package io.jobhook.api;

import java.lang.management.ManagementFactory;
import java.time.Duration;

/**
 * What one client may hold of the HTTP edge, so that slow or greedy clients cannot starve the
 * process of connections or file descriptors (README, "Security defaults").
 *
 * @param headerTimeout how long a request's line and headers may take to arrive, counted from the
 *     connection's opening (first request) or the request's first byte (later ones)
 * @param idleTimeout how long a connection may stay silent, between requests or within a body
 * @param maxConnections connections open at once; beyond it new ones are answered 503 and closed
 * @param maxConnectionsPerClient connections open at once from one client address (IPv6: one /64)
 * @param maxSignatureWindow the longest q-sign-time window accepted: how long a leaked signed
 *     request can be replayed at most
 */
public record HttpLimits(
    Duration headerTimeout,
    Duration idleTimeout,
    int maxConnections,
    int maxConnectionsPerClient,
    Duration maxSignatureWindow) {

  /** File descriptors kept free of connections: the database, objects, temp files, callbacks. */
  static final int RESERVED_DESCRIPTORS = 256;

  public HttpLimits {
    if (!isPositive(headerTimeout) || !isPositive(idleTimeout) || !isPositive(maxSignatureWindow)) {
      throw new IllegalArgumentException(
          "--header-timeout, --idle-timeout and --max-signature-window must be positive");
    }
    if (maxConnections < 1 || maxConnectionsPerClient < 1) {
      throw new IllegalArgumentException(
          "--max-connections and --max-connections-per-client must be at least 1");
    }
  }

  /** The defaults: 10 s for headers, 30 s idle, 256 per client, a week's signature window. */
  public static HttpLimits defaults() {
    return new HttpLimits(
        Duration.ofSeconds(10),
        Duration.ofSeconds(30),
        defaultMaxConnections(),
        256,
        Duration.ofDays(7));
  }

  /**
   * 10,000, or fewer when the process may open fewer files: three quarters of the descriptor limit,
   * and at least {@value #RESERVED_DESCRIPTORS} below it.
   */
  public static int defaultMaxConnections() {
    long limit = descriptorLimit();
    long fit = Math.min(limit * 3 / 4, limit - RESERVED_DESCRIPTORS);
    return (int) Math.max(16, Math.min(10_000, fit));
  }

  private static long descriptorLimit() {
    if (ManagementFactory.getOperatingSystemMXBean()
        instanceof com.sun.management.UnixOperatingSystemMXBean unix) {
      return unix.getMaxFileDescriptorCount();
    }
    return 65_536;
  }

  private static boolean isPositive(Duration d) {
    return d != null && !d.isNegative() && !d.isZero();
  }
}
