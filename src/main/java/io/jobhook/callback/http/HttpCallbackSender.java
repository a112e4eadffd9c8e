package io.jobhook.callback.http;

import io.jobhook.callback.AttemptResult;
import io.jobhook.callback.CallbackSender;
import io.jobhook.callback.DeliveryOutcome;
import io.jobhook.callback.PendingCallback;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.eclipse.jetty.client.BytesRequestContent;
import org.eclipse.jetty.client.CompletableResponseListener;
import org.eclipse.jetty.client.ContentResponse;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.client.Request;
import org.eclipse.jetty.http.HttpMethod;
import org.eclipse.jetty.util.Promise;
import org.eclipse.jetty.util.SocketAddressResolver;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/**
 * POSTs callbacks with Jetty's HTTP client. Name resolution goes through {@link AddressGuard}
 * inside the client, so the connection is made to exactly the address that was checked (no DNS
 * rebinding between check and connect). Redirects are not followed. Thread-safe.
 */
public final class HttpCallbackSender implements CallbackSender, AutoCloseable {
  private static final int MAX_RESPONSE_BYTES = 64 * 1024;
  private static final int SNIPPET_BYTES = 1024;

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
    client.setMaxConnectionsPerDestination(64);
    client.setUserAgentField(new org.eclipse.jetty.http.HttpField("User-Agent", "jobhook-callback/1"));
    client.setSocketAddressResolver(new GuardedResolver(guard));
    client.start();
  }

  @Override
  public AttemptResult send(PendingCallback callback) {
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
    Request request = client.newRequest(uri)
        .method(HttpMethod.POST)
        .headers(h -> h.put("webhook-id", callback.id()))
        .body(new BytesRequestContent(callback.contentType(), callback.body()))
        .timeout(timeout.toMillis(), TimeUnit.MILLISECONDS);
    try {
      ContentResponse response = new CompletableResponseListener(request, MAX_RESPONSE_BYTES).send()
          .get(timeout.toMillis() + 1000, TimeUnit.MILLISECONDS);
      int status = response.getStatus();
      String snippet = snippet(response.getContent());
      String address = addressOf(request);
      if (status >= 200 && status < 300) {
        return result(new DeliveryOutcome.Delivered(status), address, start, snippet);
      }
      return result(new DeliveryOutcome.RetryLater(status, "receiver answered HTTP " + status), address, start, snippet);
    } catch (ExecutionException e) {
      Throwable cause = e.getCause() == null ? e : e.getCause();
      if (cause instanceof RefusedAddressException refused) {
        return result(new DeliveryOutcome.GiveUp(0, refused.getMessage()), null, start, null);
      }
      return result(new DeliveryOutcome.RetryLater(0, describe(cause)), addressOf(request), start, null);
    } catch (TimeoutException e) {
      request.abort(e);
      return result(new DeliveryOutcome.RetryLater(0, "timed out after " + timeout.toMillis() + " ms"), addressOf(request), start, null);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      request.abort(e);
      return result(new DeliveryOutcome.RetryLater(0, "interrupted (shutting down)"), null, start, null);
    }
  }

  private static String addressOf(Request request) {
    var connection = request.getConnection();
    if (connection != null && connection.getRemoteSocketAddress() instanceof InetSocketAddress isa) {
      return isa.getAddress().getHostAddress() + ":" + isa.getPort();
    }
    return null;
  }

  private static String describe(Throwable t) {
    String message = t.getMessage();
    return t.getClass().getSimpleName() + (message == null ? "" : ": " + message);
  }

  private static String snippet(byte[] content) {
    if (content == null || content.length == 0) {
      return null;
    }
    return new String(content, 0, Math.min(SNIPPET_BYTES, content.length), StandardCharsets.UTF_8);
  }

  private static AttemptResult result(DeliveryOutcome outcome, String address, long startNanos, String snippet) {
    return new AttemptResult(outcome, address, Duration.ofNanos(System.nanoTime() - startNanos), snippet);
  }

  @Override
  public void close() throws Exception {
    client.stop();
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
    public void resolve(String host, int port, java.util.Map<String, Object> context, Promise<List<InetSocketAddress>> promise) {
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
