package io.jobhook.config;

import io.jobhook.api.HttpLimits;
import java.time.Duration;
import java.time.ZoneId;

/**
 * The HTTP edge.
 *
 * @param host address to bind ({@code --host}, default 0.0.0.0)
 * @param port port to listen on ({@code --port}, default 8080; 0 picks a free one)
 * @param allowAnonymous lets unsigned requests through; signed ones are still verified ({@code
 *     --allow-anonymous}, default off)
 * @param timeZone zone of the times in responses and callbacks ({@code --time-zone}, default
 *     Asia/Shanghai, like CI)
 * @param clockSkew how far in the future a signature's window may start (default 15 minutes)
 * @param limits timeouts, connection caps and the longest signature window
 * @param metricsToken the bearer token a scraper of {@code /metrics} must send ({@code
 *     --metrics-token} or {@code JOBHOOK_METRICS_TOKEN}); none: {@code /metrics} is refused
 * @param secureCookies marks the console's session cookie {@code Secure}, for a console served over
 *     TLS by a proxy in front ({@code --secure-cookies}, default off)
 */
public record ApiConfig(
    String host,
    int port,
    boolean allowAnonymous,
    ZoneId timeZone,
    Duration clockSkew,
    HttpLimits limits,
    String metricsToken,
    boolean secureCookies) {

  public static ApiConfig defaults() {
    return new ApiConfig(
        "0.0.0.0",
        8080,
        false,
        ZoneId.of("Asia/Shanghai"),
        Duration.ofMinutes(15),
        HttpLimits.defaults(),
        null,
        false);
  }

  public ApiConfig {
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("--port must be 0-65535, not " + port);
    }
    if (metricsToken != null && metricsToken.length() < 16) {
      throw new IllegalArgumentException("--metrics-token must be at least 16 characters");
    }
  }

  public ApiConfig withAddress(String newHost, int newPort) {
    return new ApiConfig(
        newHost, newPort, allowAnonymous, timeZone, clockSkew, limits, metricsToken, secureCookies);
  }

  public ApiConfig withMetricsToken(String token) {
    return new ApiConfig(
        host, port, allowAnonymous, timeZone, clockSkew, limits, token, secureCookies);
  }

  public ApiConfig withAnonymous(boolean anonymous) {
    return new ApiConfig(
        host, port, anonymous, timeZone, clockSkew, limits, metricsToken, secureCookies);
  }
}
