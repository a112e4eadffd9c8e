package io.jobhook.callback.http;

import io.jobhook.callback.AttemptResult;
import io.jobhook.callback.CallbackSender;
import io.jobhook.callback.DeliveryOutcome;
import io.jobhook.callback.PendingCallback;
import java.io.ByteArrayOutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.eclipse.jetty.client.BytesRequestContent;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.client.Request;
import org.eclipse.jetty.client.Response;
import org.eclipse.jetty.client.Result;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpMethod;
import org.eclipse.jetty.util.Promise;
import org.eclipse.jetty.util.SocketAddressResolver;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/**
 * POSTs callbacks with Jetty's HTTP client. Name resolution goes through {@link AddressGuard}
 * inside the client, so the connection is made to exactly the address that was checked (no DNS
 * rebinding between check and connect). Redirects are not followed. The outcome is decided by the
 * status line: at most the first KiB of the answer is read, and a slow or endless body is cut off
 * after a short grace instead of turning a 2xx into a failure. Thread-safe.
 */
public final class HttpCallbackSender implements CallbackSender, AutoCloseable {
  private static final int SNIPPET_BYTES = 1024;
  private static final Duration BODY_GRACE = Duration.ofSeconds(1);

  private final HttpClient client;
  private final Duration timeout;

  public HttpCallbackSender(AddressGuard guard, Duration connectTimeout, Duration timeout) throws Exception {
    this.timeout = timeout;
    client = new HttpClient();
    QueuedThreadPool pool = new QueuedThreadPool();
    pool.setName("callback-client");
    pool.setVirtualThreadsExecutor(java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor());
    client.setExecutor(pool);
    client.setFollowRedirects(false);
    client.setConnectTimeout(connectTimeout.toMillis());
    client.setMaxConnectionsPerDestination(256);
    client.setMaxRequestsQueuedPerDestination(65536);
    client.setUserAgentField(new HttpField("User-Agent", "jobhook-callback/1"));
    client.setSocketAddressResolver(new GuardedResolver(guard));
    client.start();
  }

  @Override
  public AttemptResult send(PendingCallback callback, Map<String, String> headers) {
    long start = System.nanoTime();
    URI uri;
    try {
      uri = URI.create(callback.url());
      if (uri.getHost() == null || !("http".equalsIgnoreCase(uri.getScheme()) || "https".equalsIgnoreCase(uri.getScheme()))) {
        return result(new DeliveryOutcome.GiveUp(0, "callback URL is not http(s): " + callback.url()), null, start, null);
      }
    } catch (IllegalArgumentException e) {
      return result(new DeliveryOutcome.GiveUp(0, "callback URL is invalid: " + e.getMessage()), null, start, null);
    }
    Capture capture = new Capture();
    Request request = client.newRequest(uri)
        .method(HttpMethod.POST)
        .headers(h -> headers.forEach(h::put))
        .body(new BytesRequestContent(callback.contentType(), callback.body()))
        .timeout(timeout.toMillis(), TimeUnit.MILLISECONDS)
        .onRequestBegin(r -> capture.address(r));
    request.send(capture);
    try {
      Response response = capture.headers.get(timeout.toMillis() + 500, TimeUnit.MILLISECONDS);
      try {
        capture.done.get(BODY_GRACE.toMillis(), TimeUnit.MILLISECONDS);
      } catch (TimeoutException | ExecutionException slowOrBrokenBody) {
        request.abort(new TimeoutException("response body not read: slow or endless"));
      }
      int status = response.getStatus();
      String snippet = capture.snippet();
      if (status >= 200 && status < 300) {
        return result(new DeliveryOutcome.Delivered(status), capture.address, start, snippet);
      }
      if (status == 410) {
        return result(new DeliveryOutcome.GiveUp(status, "receiver answered 410 Gone: no more attempts"),
            capture.address, start, snippet);
      }
      String error = "receiver answered HTTP " + status
          + (status >= 300 && status < 400 ? " (redirects are not followed)" : "");
      return result(new DeliveryOutcome.RetryLater(status, error, retryAfter(response)), capture.address, start, snippet);
    } catch (ExecutionException e) {
      Throwable cause = rootCause(e);
      if (cause instanceof RefusedAddressException refused) {
        return result(new DeliveryOutcome.GiveUp(0, refused.getMessage()), null, start, null);
      }
      if (cause instanceof TimeoutException) {
        return result(new DeliveryOutcome.RetryLater(0, "no answer within " + timeout.toMillis() + " ms"),
            capture.address, start, null);
      }
      return result(new DeliveryOutcome.RetryLater(0, describe(cause)), capture.address, start, null);
    } catch (TimeoutException e) {
      request.abort(e);
      return result(new DeliveryOutcome.RetryLater(0, "no answer within " + timeout.toMillis() + " ms"),
          capture.address, start, null);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      request.abort(e);
      return result(new DeliveryOutcome.RetryLater(0, "interrupted (shutting down)"), null, start, null);
    }
  }

  /** Parses {@code Retry-After} as seconds or an HTTP date; null when absent or unreadable. */
  static Duration retryAfter(Response response) {
    String value = response.getHeaders().get("Retry-After");
    if (value == null || value.isBlank()) {
      return null;
    }
    try {
      long seconds = Long.parseLong(value.trim());
      return seconds < 0 ? null : Duration.ofSeconds(seconds);
    } catch (NumberFormatException notSeconds) {
      try {
        Instant at = ZonedDateTime.parse(value.trim(), DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
        Duration d = Duration.between(Instant.now(), at);
        return d.isNegative() ? Duration.ZERO : d;
      } catch (DateTimeParseException unreadable) {
        return null;
      }
    }
  }

  private static Throwable rootCause(Throwable t) {
    Throwable c = t;
    while (c.getCause() != null && c.getCause() != c) {
      if (c instanceof RefusedAddressException) {
        return c;
      }
      c = c.getCause();
    }
    return c;
  }

  private static String describe(Throwable t) {
    String message = t.getMessage();
    return t.getClass().getSimpleName() + (message == null ? "" : ": " + message);
  }

  private static AttemptResult result(DeliveryOutcome outcome, String address, long startNanos, String snippet) {
    return new AttemptResult(outcome, address, Duration.ofNanos(System.nanoTime() - startNanos), snippet);
  }

  @Override
  public void close() throws Exception {
    client.stop();
  }

  /** Collects status, the first KiB of the body and the remote address of one exchange. */
  private static final class Capture implements Response.Listener {
    final CompletableFuture<Response> headers = new CompletableFuture<>();
    final CompletableFuture<Result> done = new CompletableFuture<>();
    private final ByteArrayOutputStream body = new ByteArrayOutputStream();
    volatile String address;

    void address(Request request) {
      var connection = request.getConnection();
      if (connection != null && connection.getRemoteSocketAddress() instanceof InetSocketAddress isa) {
        address = isa.getAddress().getHostAddress() + ":" + isa.getPort();
      }
    }

    @Override
    public void onHeaders(Response response) {
      if (address == null) {
        address(response.getRequest());
      }
      headers.complete(response);
    }

    @Override
    public void onContent(Response response, ByteBuffer content) {
      synchronized (body) {
        int room = SNIPPET_BYTES - body.size();
        if (room > 0) {
          byte[] chunk = new byte[Math.min(room, content.remaining())];
          content.get(chunk);
          body.writeBytes(chunk);
        } else {
          // enough for the log: stop reading an oversized answer
          response.abort(new IllegalStateException("response body beyond " + SNIPPET_BYTES + " bytes not read"));
        }
      }
    }

    @Override
    public void onComplete(Result result) {
      if (result.getRequestFailure() != null || (result.getResponseFailure() != null && !headers.isDone())) {
        Throwable failure = result.getFailure();
        headers.completeExceptionally(failure);
        done.completeExceptionally(failure);
      } else {
        done.complete(result);
      }
    }

    String snippet() {
      synchronized (body) {
        return body.size() == 0 ? null : body.toString(StandardCharsets.UTF_8);
      }
    }
  }

  /** Raised by the resolver when every address of a host is refused by the guard. */
  static final class RefusedAddressException extends UnknownHostException {
    RefusedAddressException(String message) {
      super(message);
    }
  }

  /** Resolves on a virtual thread and keeps only the addresses the guard allows. */
  private static final class GuardedResolver implements SocketAddressResolver {
    private final AddressGuard guard;

    GuardedResolver(AddressGuard guard) {
      this.guard = guard;
    }

    @Override
    public void resolve(String host, int port, Map<String, Object> context, Promise<List<InetSocketAddress>> promise) {
      Thread.ofVirtual().start(() -> {
        try {
          InetAddress[] all = InetAddress.getAllByName(host);
          List<InetSocketAddress> allowed = new ArrayList<>();
          for (InetAddress a : all) {
            if (guard.allows(a)) {
              allowed.add(new InetSocketAddress(a, port));
            }
          }
          if (allowed.isEmpty()) {
            promise.failed(new RefusedAddressException("callback host " + host + " resolves only to refused addresses ("
                + all[0].getHostAddress() + "); start with --allow-private-callbacks for local development"));
          } else {
            promise.succeeded(allowed);
          }
        } catch (UnknownHostException e) {
          promise.failed(e);
        }
      });
    }
  }
}
