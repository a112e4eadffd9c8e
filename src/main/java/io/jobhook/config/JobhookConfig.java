package io.jobhook.config;

import io.jobhook.api.HttpLimits;
import io.jobhook.callback.RetryPolicy;
import io.jobhook.callback.http.AddressGuard;
import java.util.List;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneId;

/**
 * Everything {@code serve} needs, validated once at start-up and frozen after.
 *
 * @param databaseUrl null for the embedded SQLite database in the data directory
 * @param allowPrivateCallbacks lets callbacks reach loopback and private addresses (local
 *     development only)
 * @param callbackAllowList CIDR blocks callbacks may reach even though they are not public
 * @param allowAnonymous lets unsigned requests through (signed ones are still verified)
 * @param callbackMaxPerDestination attempts in flight at once to one scheme://host:port
 * @param retainDelivered how long delivered callbacks stay in the delivery log
 * @param queueMaxConcurrent MaxConcurrent of each bucket's default queue when it is created
 * @param retainFailed how long failed callbacks stay (pending ones are never pruned)
 * @param http the HTTP edge's timeouts and connection caps, and the longest signature window
 * @param diskReserveBytes free space below which the data directory takes no more uploads or jobs
 */
public record JobhookConfig(
    String host,
    int port,
    Path dataDir,
    String databaseUrl,
    String databaseUser,
    String databasePassword,
    boolean allowPrivateCallbacks,
    List<AddressGuard.Cidr> callbackAllowList,
    boolean allowAnonymous,
    ZoneId timeZone,
    RetryPolicy callbackRetry,
    Duration callbackTimeout,
    Duration callbackConnectTimeout,
    int callbackMaxPerDestination,
    Duration retainDelivered,
    Duration retainFailed,
    int maxRunningJobs,
    int queueMaxConcurrent,
    Duration jobLease,
    Duration pollInterval,
    HttpLimits http,
    long diskReserveBytes) {

  public JobhookConfig {
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("--port must be 0-65535, not " + port);
    }
    if (dataDir == null) {
      throw new IllegalArgumentException("--data-dir is required");
    }
    if (queueMaxConcurrent < 1) {
      throw new IllegalArgumentException("--queue-max-concurrent must be at least 1");
    }
    if (maxRunningJobs < 1) {
      throw new IllegalArgumentException("--max-running-jobs must be at least 1");
    }
    if (callbackMaxPerDestination < 1) {
      throw new IllegalArgumentException("--callback-max-per-destination must be at least 1");
    }
    if (retainFailed.compareTo(retainDelivered) < 0) {
      throw new IllegalArgumentException("failed callbacks must be kept at least as long as delivered ones");
    }
    if (callbackTimeout.isNegative() || callbackTimeout.isZero()) {
      throw new IllegalArgumentException("--callback-timeout must be positive");
    }
    if (http == null) {
      throw new IllegalArgumentException("HTTP limits are required");
    }
    if (diskReserveBytes < 0) {
      throw new IllegalArgumentException("--disk-reserve must not be negative");
    }
  }

  public static JobhookConfig defaults(Path dataDir) {
    return new JobhookConfig("0.0.0.0", 8080, dataDir, null, null, null, false, List.of(), false,
        ZoneId.of("Asia/Shanghai"), RetryPolicy.DEFAULT, Duration.ofSeconds(15), Duration.ofSeconds(5), 64,
        Duration.ofDays(7), Duration.ofDays(30),
        Math.max(2, Runtime.getRuntime().availableProcessors()), 10, Duration.ofSeconds(30),
        Duration.ofMillis(500), HttpLimits.defaults(), 64L << 20);
  }
}
