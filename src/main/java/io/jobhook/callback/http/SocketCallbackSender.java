package io.jobhook.callback.http;

import io.jobhook.callback.AttemptResult;
import io.jobhook.callback.CallbackSender;
import io.jobhook.callback.CallbackUrl;
import io.jobhook.callback.DeliveryOutcome;
import io.jobhook.callback.PendingCallback;
import io.jobhook.callback.http.Connections.Connection;
import io.jobhook.callback.http.Connections.RefusedAddressException;
import io.jobhook.callback.http.Http11Exchange.Exchange;
import java.io.IOException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * POSTs callbacks over plain blocking sockets, one virtual thread per attempt, with keep-alive
 * connections pooled per destination. Chosen over Jetty's and the JDK's clients by measurement (see
 * the README): about a third of their CPU per request, and full control of what matters here.
 *
 * <p>This class is the delivery policy: what an answer means (2xx delivered, {@code 410} given up,
 * anything else retried, honouring {@code Retry-After}; redirects are not followed), what a refused
 * address or a timeout means, one retry on a fresh connection when a kept-alive one turns out
 * stale. The connect timeout bounds the connection, the total timeout the whole attempt. {@link
 * Connections} opens and keeps connections; {@link Http11Exchange} speaks HTTP/1.1 on them.
 *
 * <p>Thread-safe.
 */
public final class SocketCallbackSender implements CallbackSender, AutoCloseable {
  private final Connections connections;
  private final Duration timeout;
  private final InstantSource clock;
  private final Map<String, Target> targets = new ConcurrentHashMap<>();

  /** {@code clock} reads an HTTP-date {@code Retry-After} as a wait from now. */
  public SocketCallbackSender(
      AddressGuard guard, Duration connectTimeout, Duration timeout, InstantSource clock) {
    this.connections = new Connections(guard, connectTimeout);
    this.timeout = timeout;
    this.clock = clock;
  }

  /** A parsed URL and its destination, the key of its connection pool. */
  private record Target(CallbackUrl url, String key) {}

  @Override
  public AttemptResult send(PendingCallback callback, Map<String, String> headers) {
    long start = System.nanoTime();
    long deadline = start + timeout.toNanos();
    Target target;
    try {
      target = targets.get(callback.url());
      if (target == null) {
        target =
            target(
                callback.url()); // checked at submit; here for URLs stored before a rule was added
        if (targets.size() > 10_000) {
          targets.clear(); // a parse cache, bounded
        }
        targets.put(callback.url(), target);
      }
    } catch (IllegalArgumentException e) {
      return result(new DeliveryOutcome.GiveUp(0, e.getMessage()), null, start, null);
    }
    byte[] request = request(target, callback, headers);
    Connection connection = null;
    try {
      connection = connections.pooled(target.key());
      boolean reused = connection != null;
      if (connection == null) {
        connection = connections.open(target.url(), deadline);
      }
      Exchange exchange;
      try {
        exchange = Http11Exchange.exchange(connection, request, deadline);
      } catch (IOException stale) {
        if (!reused || System.nanoTime() > deadline || stale instanceof SocketTimeoutException) {
          throw stale;
        }
        // a pooled connection the receiver had already closed: once more on a fresh one
        connection.closeQuietly();
        connection = connections.open(target.url(), deadline);
        exchange = Http11Exchange.exchange(connection, request, deadline);
      }
      if (exchange.reusable()) {
        connections.release(target.key(), connection);
      } else {
        connection.closeQuietly();
      }
      return outcome(exchange, connection.address, start);
    } catch (RefusedAddressException e) {
      return result(new DeliveryOutcome.GiveUp(0, e.getMessage()), null, start, null);
    } catch (SocketTimeoutException e) {
      close(connection);
      return result(
          new DeliveryOutcome.RetryLater(0, "no answer within " + timeout.toMillis() + " ms"),
          address(connection),
          start,
          null);
    } catch (IOException e) {
      close(connection);
      return result(
          new DeliveryOutcome.RetryLater(0, describe(e)), address(connection), start, null);
    }
  }

  private AttemptResult outcome(Exchange exchange, String address, long start) {
    int status = exchange.status();
    if (status >= 200 && status < 300) {
      return result(new DeliveryOutcome.Delivered(status), address, start, exchange.snippet());
    }
    if (status == 410) {
      return result(
          new DeliveryOutcome.GiveUp(status, "receiver answered 410 Gone: no more attempts"),
          address,
          start,
          exchange.snippet());
    }
    String error =
        "receiver answered HTTP "
            + status
            + (status >= 300 && status < 400 ? " (redirects are not followed)" : "");
    return result(
        new DeliveryOutcome.RetryLater(status, error, retryAfter(exchange.retryAfter())),
        address,
        start,
        exchange.snippet());
  }

  private static Target target(String url) {
    CallbackUrl parsed = CallbackUrl.parse(url);
    return new Target(parsed, parsed.destination());
  }

  private static byte[] request(
      Target target, PendingCallback callback, Map<String, String> headers) {
    StringBuilder head = new StringBuilder(256);
    head.append("POST ")
        .append(target.url().requestPath())
        .append(" HTTP/1.1\r\n")
        .append("Host: ")
        .append(target.url().hostHeader())
        .append("\r\n")
        .append("User-Agent: jobhook-callback/1\r\n")
        .append("Content-Type: ")
        .append(callback.contentType())
        .append("\r\n")
        .append("Content-Length: ")
        .append(callback.body().length)
        .append("\r\n");
    headers.forEach((k, v) -> head.append(k).append(": ").append(v).append("\r\n"));
    head.append("\r\n");
    byte[] h = head.toString().getBytes(StandardCharsets.UTF_8);
    byte[] all = new byte[h.length + callback.body().length];
    System.arraycopy(h, 0, all, 0, h.length);
    System.arraycopy(callback.body(), 0, all, h.length, callback.body().length);
    return all;
  }

  private static void close(Connection c) {
    if (c != null) {
      c.closeQuietly();
    }
  }

  private static String address(Connection c) {
    return c == null ? null : c.address;
  }

  /** Parses {@code Retry-After} as seconds or an HTTP date; null when absent or unreadable. */
  private Duration retryAfter(String value) {
    if (value == null || value.isBlank()) {
      return null;
    }
    try {
      long seconds = Long.parseLong(value.trim());
      return seconds < 0 ? null : Duration.ofSeconds(seconds);
    } catch (NumberFormatException notSeconds) {
      try {
        Instant at =
            ZonedDateTime.parse(value.trim(), DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
        Duration d = Duration.between(clock.instant(), at);
        return d.isNegative() ? Duration.ZERO : d;
      } catch (DateTimeParseException unreadable) {
        return null;
      }
    }
  }

  private static String describe(Throwable t) {
    String message = t.getMessage();
    return t.getClass().getSimpleName() + (message == null ? "" : ": " + message);
  }

  private static AttemptResult result(
      DeliveryOutcome outcome, String address, long startNanos, String snippet) {
    return new AttemptResult(
        outcome, address, Duration.ofNanos(System.nanoTime() - startNanos), snippet);
  }

  @Override
  public void close() {
    connections.close();
  }
}
