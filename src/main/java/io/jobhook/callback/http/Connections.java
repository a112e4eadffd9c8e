package io.jobhook.callback.http;

import io.jobhook.callback.CallbackUrl;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingDeque;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;

/**
 * Connections to callback receivers: opened to an address the {@link AddressGuard} allows (the host
 * resolved here, the socket connected to exactly the address checked, so no DNS rebinding between
 * check and use; HTTPS keeps the host name for SNI and certificate verification), and kept alive
 * per destination for the next attempt. Thread-safe.
 */
final class Connections implements AutoCloseable {
  private static final Duration MAX_IDLE = Duration.ofSeconds(30);
  private static final int MAX_IDLE_PER_DESTINATION = 256;

  private final AddressGuard guard;
  private final Duration connectTimeout;
  private final Map<String, LinkedBlockingDeque<Connection>> idle = new ConcurrentHashMap<>();
  private volatile boolean closed;

  Connections(AddressGuard guard, Duration connectTimeout) {
    this.guard = guard;
    this.connectTimeout = connectTimeout;
  }

  /** A kept-alive connection to one checked address. */
  static final class Connection {
    final Socket socket;
    final InputStream in;
    final OutputStream out;
    final String address;
    long idleSinceNanos;

    Connection(Socket socket, String address) throws IOException {
      this.socket = socket;
      this.in = new BufferedInputStream(socket.getInputStream(), 8192);
      this.out = socket.getOutputStream();
      this.address = address;
    }

    void closeQuietly() {
      try {
        socket.close();
      } catch (IOException ignored) {
        // closing a broken socket: nothing more to release
      }
    }
  }

  /** Thrown when every address of the host is refused by the guard. */
  static final class RefusedAddressException extends UnknownHostException {
    RefusedAddressException(String message) {
      super(message);
    }
  }

  /** A new connection to {@code url}, within {@code deadline} (System.nanoTime()). */
  Connection open(CallbackUrl url, long deadline) throws IOException {
    InetAddress[] all = InetAddress.getAllByName(url.host());
    List<InetAddress> allowed = new ArrayList<>();
    for (InetAddress a : all) {
      if (guard.allows(a)) {
        allowed.add(a);
      }
    }
    if (allowed.isEmpty()) {
      throw new RefusedAddressException(
          "callback host "
              + url.host()
              + " resolves only to refused addresses ("
              + all[0].getHostAddress()
              + "); start with --allow-private-callbacks for local development");
    }
    IOException last = null;
    for (InetAddress address : allowed) {
      long left = remainingMillis(deadline);
      Socket socket = new Socket();
      try {
        socket.setTcpNoDelay(true);
        socket.connect(
            new InetSocketAddress(address, url.port()),
            (int) Math.min(left, connectTimeout.toMillis()));
        if (url.scheme().equals("https")) {
          socket.setSoTimeout((int) remainingMillis(deadline));
          SSLSocket tls =
              (SSLSocket)
                  ((SSLSocketFactory) SSLSocketFactory.getDefault())
                      .createSocket(socket, url.host(), url.port(), true);
          SSLParameters params = tls.getSSLParameters();
          params.setEndpointIdentificationAlgorithm("HTTPS");
          if (!url.isLiteral()) {
            params.setServerNames(List.of(new SNIHostName(url.host())));
          }
          tls.setSSLParameters(params);
          tls.startHandshake();
          socket = tls;
        }
        return new Connection(socket, address.getHostAddress() + ":" + url.port());
      } catch (IOException e) {
        socket.close();
        last = e;
      }
    }
    throw last;
  }

  /** An idle connection to the destination, if one is kept and still fresh. */
  Connection pooled(String key) {
    LinkedBlockingDeque<Connection> deque = idle.get(key);
    if (deque == null) {
      return null;
    }
    Connection c;
    while ((c = deque.pollFirst()) != null) {
      if (System.nanoTime() - c.idleSinceNanos < MAX_IDLE.toNanos() && !c.socket.isClosed()) {
        return c;
      }
      c.closeQuietly();
    }
    return null;
  }

  /** Keeps a connection whose exchange ended cleanly for the next attempt to its destination. */
  void release(String key, Connection c) {
    if (closed) {
      c.closeQuietly();
      return;
    }
    LinkedBlockingDeque<Connection> deque =
        idle.computeIfAbsent(key, k -> new LinkedBlockingDeque<>(MAX_IDLE_PER_DESTINATION));
    c.idleSinceNanos = System.nanoTime();
    if (!deque.offerFirst(c)) {
      c.closeQuietly();
    }
  }

  static long remainingMillis(long deadlineNanos) throws SocketTimeoutException {
    long left = (deadlineNanos - System.nanoTime()) / 1_000_000;
    if (left <= 0) {
      throw new SocketTimeoutException("attempt timed out");
    }
    return left;
  }

  @Override
  public void close() {
    closed = true;
    idle.values().forEach(d -> d.forEach(Connection::closeQuietly));
    idle.clear();
  }
}
