package io.jobhook.support;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.function.BooleanSupplier;
import java.util.function.Function;
import java.util.function.IntSupplier;

/** A real HTTP receiver on loopback that records every request and answers as told. */
public final class CallbackReceiver implements AutoCloseable {

  /** One request as received, with its arrival time (System.nanoTime). */
  public record Received(
      String path, Map<String, List<String>> headers, byte[] body, long arrivedNanos) {
    public String header(String name) {
      for (var e : headers.entrySet()) {
        if (e.getKey().equalsIgnoreCase(name)) {
          return e.getValue().getFirst();
        }
      }
      return null;
    }

    public String bodyText() {
      return new String(body, java.nio.charset.StandardCharsets.UTF_8);
    }
  }

  /**
   * How to answer: status, headers, body; {@code hang} waits that long before answering; {@code
   * trickle} sends the body one byte every 200 ms.
   */
  public record Reply(
      int status, Map<String, String> headers, byte[] body, Duration hang, boolean trickle) {
    public static Reply status(int status) {
      return new Reply(status, Map.of(), new byte[0], Duration.ZERO, false);
    }

    public Reply withHeader(String name, String value) {
      var h = new java.util.LinkedHashMap<>(headers);
      h.put(name, value);
      return new Reply(status, h, body, hang, trickle);
    }

    public Reply withBody(byte[] bytes, boolean slowly) {
      return new Reply(status, headers, bytes, hang, slowly);
    }

    public Reply after(Duration wait) {
      return new Reply(status, headers, body, wait, trickle);
    }
  }

  private final HttpServer server;
  private final List<Received> received = new CopyOnWriteArrayList<>();
  private volatile Function<Received, Reply> responder = r -> Reply.status(200);

  private CallbackReceiver(int port) throws IOException {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 0);
    server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
    server.createContext("/", this::handle);
    server.start();
  }

  public static CallbackReceiver start() throws IOException {
    return new CallbackReceiver(0);
  }

  /** Starts on a given port, e.g. to bring a receiver back where it was. */
  public static CallbackReceiver startOn(int port) throws IOException {
    return new CallbackReceiver(port);
  }

  public void answer(IntSupplier statusSupplier) {
    this.responder = r -> Reply.status(statusSupplier.getAsInt());
  }

  public void respond(Function<Received, Reply> responder) {
    this.responder = responder;
  }

  private void handle(HttpExchange exchange) throws IOException {
    byte[] body;
    try (InputStream in = exchange.getRequestBody()) {
      body = in.readAllBytes();
    }
    Received r =
        new Received(
            exchange.getRequestURI().toString(),
            Map.copyOf(exchange.getRequestHeaders()),
            body,
            System.nanoTime());
    received.add(r);
    Reply reply = responder.apply(r);
    try {
      if (!reply.hang().isZero()) {
        Thread.sleep(reply.hang());
      }
      reply.headers().forEach((k, v) -> exchange.getResponseHeaders().add(k, v));
      exchange.sendResponseHeaders(
          reply.status(), reply.body().length == 0 ? -1 : reply.body().length);
      if (reply.body().length > 0) {
        try (OutputStream out = exchange.getResponseBody()) {
          if (reply.trickle()) {
            for (byte b : reply.body()) {
              out.write(b);
              out.flush();
              Thread.sleep(200);
            }
          } else {
            out.write(reply.body());
          }
        }
      }
    } catch (InterruptedException | IOException e) {
      // the client gave up on us: that is what some tests want
    } finally {
      exchange.close();
    }
  }

  public String url(String path) {
    return "http://127.0.0.1:" + server.getAddress().getPort() + path;
  }

  public int port() {
    return server.getAddress().getPort();
  }

  public List<Received> received() {
    return new ArrayList<>(received);
  }

  /** Waits until {@code condition} holds, failing after {@code timeout}. */
  public static void await(Duration timeout, String what, BooleanSupplier condition)
      throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError(
            "timed out after " + timeout.toSeconds() + " s waiting for " + what);
      }
      Thread.sleep(20);
    }
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
