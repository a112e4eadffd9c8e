package io.jobhook.bench;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.client.BytesRequestContent;
import org.eclipse.jetty.http.HttpMethod;

/**
 * Compares ways to POST callbacks from virtual threads: Jetty, the JDK client, a blocking socket.
 */
public final class ClientChoiceBench {
  interface Poster {
    int post() throws Exception;
  }

  public static void main(String[] args) throws Exception {
    String url = args[0];
    int n = Integer.parseInt(args[1]);
    int c = Integer.parseInt(args[2]);
    byte[] body = CallbackBench.BODY;
    URI uri = URI.create(url);

    var jetty = new org.eclipse.jetty.client.HttpClient();
    jetty.setMaxConnectionsPerDestination(c);
    jetty.start();
    run(
        "jetty-blocking-send",
        n,
        c,
        () ->
            jetty
                .newRequest(uri)
                .method(HttpMethod.POST)
                .body(new BytesRequestContent("application/xml", body))
                .timeout(15, TimeUnit.SECONDS)
                .send()
                .getStatus());

    HttpClient jdk =
        HttpClient.newBuilder().executor(Executors.newVirtualThreadPerTaskExecutor()).build();
    HttpRequest req =
        HttpRequest.newBuilder(uri)
            .POST(HttpRequest.BodyPublishers.ofByteArray(body))
            .header("Content-Type", "application/xml")
            .build();
    run(
        "jdk-httpclient",
        n,
        c,
        () -> jdk.send(req, HttpResponse.BodyHandlers.discarding()).statusCode());

    ArrayBlockingQueue<Socket> pool = new ArrayBlockingQueue<>(c);
    byte[] head =
        ("POST "
                + uri.getPath()
                + " HTTP/1.1\r\nHost: "
                + uri.getHost()
                + ":"
                + uri.getPort()
                + "\r\nContent-Type: application/xml\r\nContent-Length: "
                + body.length
                + "\r\n\r\n")
            .getBytes(StandardCharsets.US_ASCII);
    run(
        "blocking-socket",
        n,
        c,
        () -> {
          Socket s = pool.poll();
          if (s == null) {
            s = new Socket();
            s.connect(new InetSocketAddress(uri.getHost(), uri.getPort()), 5000);
            s.setTcpNoDelay(true);
          }
          OutputStream out = s.getOutputStream();
          out.write(head);
          out.write(body);
          out.flush();
          InputStream in = s.getInputStream();
          byte[] buf = new byte[4096];
          int n1 = in.read(buf);
          String resp = new String(buf, 0, n1, StandardCharsets.ISO_8859_1);
          int status = Integer.parseInt(resp.substring(9, 12));
          pool.offer(s);
          return status;
        });
    System.exit(0);
  }

  static void run(String name, int n, int c, Poster poster) throws Exception {
    for (int round = 0; round < 2; round++) {
      Semaphore inFlight = new Semaphore(c);
      long cpu0 =
          ((com.sun.management.OperatingSystemMXBean)
                  java.lang.management.ManagementFactory.getOperatingSystemMXBean())
              .getProcessCpuTime();
      long start = System.nanoTime();
      try (var exec = Executors.newVirtualThreadPerTaskExecutor()) {
        for (int i = 0; i < n; i++) {
          inFlight.acquire();
          exec.execute(
              () -> {
                try {
                  poster.post();
                } catch (Exception e) {
                  throw new RuntimeException(e);
                } finally {
                  inFlight.release();
                }
              });
        }
      }
      double s = (System.nanoTime() - start) / 1e9;
      long cpu =
          ((com.sun.management.OperatingSystemMXBean)
                      java.lang.management.ManagementFactory.getOperatingSystemMXBean())
                  .getProcessCpuTime()
              - cpu0;
      System.out.printf(
          "%s round=%d rate=%.0f cpu_us_per_request=%.0f%n", name, round, n / s, cpu / 1e3 / n);
    }
  }
}
