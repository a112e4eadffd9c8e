package io.jobhook.api;

import io.jobhook.metrics.Metrics;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.eclipse.jetty.http.HttpParser;
import org.eclipse.jetty.io.Connection;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.server.internal.HttpConnection;
import org.eclipse.jetty.util.component.AbstractLifeCycle;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps any one client, or all of them together, from holding the server's connections: caps the
 * connections open at once (overall and per client address) and closes connections whose request
 * headers do not arrive within {@link HttpLimits#headerTimeout()}, which an idle timeout alone
 * cannot do against a client that sends a header line every few seconds. A refused connection is
 * answered {@code 503} and closed at once, so it holds a file descriptor for microseconds. Added to
 * a Jetty connector as a bean: it listens to every connection the connector opens. The header
 * deadline reads the parser state of Jetty's HTTP/1.1 connection, an internal class: Jetty has no
 * header timeout of its own, and {@code SlowlorisIT} fails should an upgrade move it.
 */
final class ConnectionGuard extends AbstractLifeCycle implements Connection.Listener {
  private static final Logger log = LoggerFactory.getLogger(ConnectionGuard.class);
  private static final byte[] REFUSAL = refusal();

  private final HttpLimits limits;
  private final AtomicInteger open = new AtomicInteger();
  private final Map<ClientKey, Integer> perClient = new ConcurrentHashMap<>();

  /** Connections this guard let in, with what the header deadline knows of them. */
  private final Map<Connection, Watch> watched = new ConcurrentHashMap<>();

  private final AtomicLong refused = new AtomicLong();
  private final AtomicLong timedOut = new AtomicLong();
  private ScheduledExecutorService sweeper;

  ConnectionGuard(HttpLimits limits) {
    this.limits = limits;
  }

  /** A client as counted: its IPv4 address, or the /64 an IPv6 client's addresses come from. */
  private record ClientKey(byte[] prefix) {
    static ClientKey of(SocketAddress address) {
      if (!(address instanceof InetSocketAddress inet) || inet.getAddress() == null) {
        return new ClientKey(new byte[0]);
      }
      InetAddress ip = inet.getAddress();
      byte[] bytes = ip.getAddress();
      return new ClientKey(ip instanceof Inet6Address ? Arrays.copyOf(bytes, 8) : bytes);
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof ClientKey other && Arrays.equals(prefix, other.prefix);
    }

    @Override
    public int hashCode() {
      return Arrays.hashCode(prefix);
    }
  }

  /**
   * A connection let in: whose it is, and when it opened (its first request's deadline counts from
   * then).
   */
  private record Watch(ClientKey client, long openedNanos) {}

  @Override
  public void onOpened(Connection connection) {
    EndPoint endPoint = connection.getEndPoint();
    ClientKey client = ClientKey.of(endPoint.getRemoteSocketAddress());
    int total = open.incrementAndGet();
    int mine = perClient.merge(client, 1, Integer::sum);
    watched.put(connection, new Watch(client, System.nanoTime()));
    if (total > limits.maxConnections() || mine > limits.maxConnectionsPerClient()) {
      if (refused.incrementAndGet() % 1000 == 1) {
        log.warn(
            "refusing connections from {}: {} open in all (limit {}), {} from that client (limit {}); {} refused so far",
            endPoint.getRemoteSocketAddress(),
            total,
            limits.maxConnections(),
            mine,
            limits.maxConnectionsPerClient(),
            refused.get());
      }
      refuse(endPoint);
    }
  }

  @Override
  public void onClosed(Connection connection) {
    Watch watch = watched.remove(connection);
    if (watch == null) {
      return;
    }
    open.decrementAndGet();
    perClient.computeIfPresent(watch.client(), (k, n) -> n == 1 ? null : n - 1);
  }

  private static void refuse(EndPoint endPoint) {
    try {
      endPoint.flush(
          ByteBuffer.wrap(REFUSAL)); // a fresh socket's send buffer takes it whole, or not at all
    } catch (Exception ignored) {
      // the client has gone already
    }
    endPoint.close();
  }

  /** Closes the connections whose request headers are overdue; runs every second. */
  void sweep() {
    long now = System.nanoTime();
    long timeout = limits.headerTimeout().toNanos();
    watched.forEach(
        (connection, watch) -> {
          if (!(connection instanceof HttpConnection http)) {
            return;
          }
          HttpParser parser = http.getParser();
          if (!parser.inHeaderState()) {
            return; // reading a body, or answering: the idle timeout applies
          }
          long since;
          if (http.getMessagesIn() == 0) {
            // a new connection owes its first request's headers from the start
            since = watch.openedNanos();
          } else if (!parser.isStart() && parser.getBeginNanoTime() != 0) {
            // a later request's headers, from their first byte (0: the parser was just reset)
            since = parser.getBeginNanoTime();
          } else {
            return; // idle between requests: the idle timeout applies
          }
          if (now - since > timeout) {
            if (timedOut.incrementAndGet() % 1000 == 1) {
              log.warn(
                  "closed a connection from {} whose request headers took longer than {} ({} so far)",
                  connection.getEndPoint().getRemoteSocketAddress(),
                  limits.headerTimeout(),
                  timedOut.get());
            }
            connection.getEndPoint().close();
          }
        });
  }

  /** Connections open now, refused by a cap and closed for slow headers since start. */
  void register(Metrics metrics) {
    metrics.gauge("jobhook_http_connections_open", "HTTP connections open now.", open::get);
    metrics.counter(
        "jobhook_http_connections_refused_total",
        "Connections refused by --max-connections or --max-connections-per-client.",
        refused::get);
    metrics.counter(
        "jobhook_http_header_timeouts_total",
        "Connections closed because their request headers took longer than --header-timeout.",
        timedOut::get);
  }

  @Override
  protected void doStart() {
    sweeper =
        Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().daemon().name("http-header-deadline").factory());
    sweeper.scheduleWithFixedDelay(
        () -> {
          try {
            sweep();
          } catch (RuntimeException e) {
            log.error("header deadline sweep failed", e);
          }
        },
        1,
        1,
        TimeUnit.SECONDS);
  }

  @Override
  protected void doStop() {
    sweeper.shutdownNow();
  }

  private static byte[] refusal() {
    String body =
        "<?xml version='1.0' encoding='utf-8' ?>\n<Error><Code>ServiceUnavailable</Code>"
            + "<Message>too many connections; retry later</Message><RequestId></RequestId></Error>";
    return ("HTTP/1.1 503 Service Unavailable\r\nContent-Type: application/xml\r\nRetry-After: 1\r\n"
            + "Connection: close\r\nContent-Length: "
            + body.length()
            + "\r\n\r\n"
            + body)
        .getBytes(StandardCharsets.US_ASCII);
  }
}
