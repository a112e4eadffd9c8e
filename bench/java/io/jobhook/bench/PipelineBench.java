package io.jobhook.bench;

import io.jobhook.Jobhook;
import io.jobhook.api.auth.QSign;
import io.jobhook.config.JobhookConfig;
import io.jobhook.support.TestAudio;
import io.jobhook.support.TestNode;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.InstantSource;
import java.util.AbstractMap.SimpleEntry;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The whole pipeline (run by bench/pipeline.sh): signed API submits of tiny NoiseReduction jobs
 * over keep-alive connections, real processing (decode, denoise, encode, durable output object),
 * and the XML callback to a receiver. Two figures: the sustained rate with submitters as fast as
 * the API takes them (saturation), and submit-to-callback latency with jobs submitted at a fixed
 * rate.
 *
 * <pre>  PipelineBench JOBS CONCURRENCY RATE</pre>
 */
public final class PipelineBench {
  private static final java.time.Duration WARM_UP = java.time.Duration.ofSeconds(30);
  private static final Pattern JOB_ID = Pattern.compile("<JobId>(j[0-9a-f]{32})</JobId>");

  public static void main(String[] args) throws Exception {
    int jobs = Integer.parseInt(args[0]);
    int concurrency = Integer.parseInt(args[1]);
    int rate = Integer.parseInt(args[2]);
    Map<String, Long> called = new ConcurrentHashMap<>();
    try (Receiver receiver = new Receiver(called)) {
      String callback = "http://127.0.0.1:" + receiver.port() + "/cb";
      try (Jobhook node = startNode("jobhook-pipeline")) {
        int port = node.port();
        uploadTinyInput(port);
        // Warm-up until the JIT has settled: for its first half minute here, C2 compiling takes
        // most of a core.
        long warmUntil = System.nanoTime() + WARM_UP.toNanos();
        while (System.nanoTime() < warmUntil) {
          run(port, callback, 2000, concurrency, 0, called, null);
        }
        run(port, callback, jobs, concurrency, 0, called, "saturation");
        run(port, callback, Math.max(rate * 10, jobs / 2), concurrency, rate, called, "paced");
      }
    }
    System.exit(0);
  }

  /**
   * One phase (see {@link LoadPhase}): {@code jobs} jobs submitted over {@code concurrency}
   * keep-alive connections, each complete when its callback arrives.
   */
  /** A node for the pipeline benchmarks: 64 workers, callbacks to loopback allowed. */
  static Jobhook startNode(String name) throws Exception {
    Path dir = ScratchDir.create(name);
    JobhookConfig d = JobhookConfig.defaults(dir);
    JobhookConfig config =
        d.withApi(d.api().withAddress("127.0.0.1", 0))
            .withJobs(d.jobs().withConcurrency(64, 64))
            .withCallbacks(
                d.callbacks().toBuilder().allowPrivate(true).maxPerDestination(256).build());
    return Jobhook.start(config, TestNode.CREDENTIALS, InstantSource.system());
  }

  /** Uploads the tiny noisy WAV every benchmark job reads, {@code in/tiny.wav}. */
  static void uploadTinyInput(int port) throws IOException {
    upload(port, "in/tiny.wav", TestAudio.tinyNoisyWav());
  }

  /** Uploads {@code wav} as object {@code key} of the benchmark's bucket. */
  static void upload(int port, String key, byte[] wav) throws IOException {
    try (Client c = new Client(port)) {
      int status =
          c.call(
                  "PUT",
                  "examplebucket-1250000000.cos.ap-guangzhou.myqcloud.com",
                  "/" + key,
                  "audio/wav",
                  wav)
              .status;
      if (status != 200) {
        throw new IllegalStateException("upload failed: " + status);
      }
    }
  }

  static void run(
      int port,
      String callback,
      int jobs,
      int concurrency,
      int rate,
      Map<String, Long> called,
      String report)
      throws Exception {
    LoadPhase.run(jobs, concurrency, rate, () -> submitter(port, callback), called, report);
  }

  private static LoadPhase.Submitter submitter(int port, String callback) throws IOException {
    return submitter(port, callback, "in/tiny.wav");
  }

  /** A submitter of NoiseReduction jobs of {@code input} over one keep-alive connection. */
  static LoadPhase.Submitter submitter(int port, String callback, String input) throws IOException {
    Client client = new Client(port);
    return new LoadPhase.Submitter() {
      @Override
      public String submit(int i) throws IOException {
        String xml =
            "<Request><Tag>NoiseReduction</Tag><CallBack>"
                + callback
                + "</CallBack>"
                + "<Input><Object>"
                + input
                + "</Object></Input><Operation><Output><Object>out/"
                + i
                + ".wav</Object></Output></Operation></Request>";
        Reply r =
            client.call(
                "POST",
                "examplebucket-1250000000.ci.ap-guangzhou.myqcloud.com",
                "/jobs",
                "application/xml",
                xml.getBytes(StandardCharsets.UTF_8));
        Matcher m = JOB_ID.matcher(r.body);
        if (r.status != 200 || !m.find()) {
          throw new IllegalStateException("submit failed: " + r.status + " " + r.body);
        }
        return m.group(1);
      }

      @Override
      public void close() throws IOException {
        client.close();
      }
    };
  }

  /**
   * The callback receiver: a minimal keep-alive HTTP/1.1 server on blocking sockets, a virtual
   * thread per connection, noting when each job's callback arrives and answering 200. Much cheaper
   * per request than the JDK's HttpServer, so the figures measure jobhook, not the receiver.
   */
  static final class Receiver implements AutoCloseable {
    private static final byte[] OK =
        "HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] JOB_ID_TAG = "<JobId>".getBytes(StandardCharsets.US_ASCII);

    private final ServerSocket server;
    private final Map<String, Long> arrivals;

    Receiver(Map<String, Long> arrivals) throws IOException {
      this.arrivals = arrivals;
      server = new ServerSocket(0, 4096, InetAddress.getLoopbackAddress());
      Thread.ofPlatform()
          .daemon()
          .name("receiver")
          .start(
              () -> {
                while (!server.isClosed()) {
                  try {
                    Socket s = server.accept();
                    Thread.ofVirtual().start(() -> serve(s));
                  } catch (IOException closed) {
                    return;
                  }
                }
              });
    }

    int port() {
      return server.getLocalPort();
    }

    private void serve(Socket socket) {
      try (socket) {
        socket.setTcpNoDelay(true);
        InputStream in = new BufferedInputStream(socket.getInputStream(), 8192);
        OutputStream out = socket.getOutputStream();
        while (true) {
          if (line(in) == null) {
            return;
          }
          int length = contentLength(in);
          if (length < 0) {
            return;
          }
          byte[] body = in.readNBytes(length);
          long at = System.nanoTime();
          int tag = indexOf(body, JOB_ID_TAG);
          if (tag >= 0) {
            int from = tag + JOB_ID_TAG.length;
            arrivals.putIfAbsent(new String(body, from, 33, StandardCharsets.US_ASCII), at);
          }
          out.write(OK);
          out.flush();
        }
      } catch (IOException | RuntimeException gone) {
        // the node closed the connection
      }
    }

    private static int indexOf(byte[] haystack, byte[] needle) {
      outer:
      for (int i = 0; i + needle.length <= haystack.length; i++) {
        for (int j = 0; j < needle.length; j++) {
          if (haystack[i + j] != needle[j]) {
            continue outer;
          }
        }
        return i;
      }
      return -1;
    }

    @Override
    public void close() throws IOException {
      server.close();
    }
  }

  record Reply(int status, String body) {}

  /** One HTTP/1.1 line without its CRLF; null at the end of the stream. */
  static String line(InputStream in) throws IOException {
    StringBuilder sb = new StringBuilder(64);
    int b;
    while ((b = in.read()) >= 0 && b != '\n') {
      if (b != '\r') {
        sb.append((char) b);
      }
    }
    return b < 0 && sb.isEmpty() ? null : sb.toString();
  }

  /**
   * Reads header lines up to the blank one; the Content-Length (0 if none), or -1 at the end of the
   * stream.
   */
  static int contentLength(InputStream in) throws IOException {
    int length = 0;
    String line;
    while ((line = line(in)) != null && !line.isEmpty()) {
      if (line.regionMatches(true, 0, "Content-Length:", 0, 15)) {
        length = Integer.parseInt(line.substring(15).trim());
      }
    }
    return line == null ? -1 : length;
  }

  /** A keep-alive HTTP/1.1 client that signs each request as the SDK would. */
  static final class Client implements AutoCloseable {
    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;

    Client(int port) throws IOException {
      socket = new Socket("127.0.0.1", port);
      socket.setTcpNoDelay(true);
      in = new BufferedInputStream(socket.getInputStream());
      out = socket.getOutputStream();
    }

    Reply call(String method, String host, String path, String contentType, byte[] body)
        throws IOException {
      long now = System.currentTimeMillis() / 1000;
      String keyTime = (now - 60) + ";" + (now + 3600);
      List<Map.Entry<String, String>> headers =
          List.of(
              new SimpleEntry<>("host", host),
              new SimpleEntry<>("content-type", contentType),
              new SimpleEntry<>("content-length", Integer.toString(body.length)));
      String auth =
          QSign.authorization(
              TestNode.CREDENTIALS.secretId(),
              TestNode.CREDENTIALS.secretKey(),
              keyTime,
              method,
              path,
              new ArrayList<>(),
              headers);
      String head =
          method
              + " "
              + path
              + " HTTP/1.1\r\nHost: "
              + host
              + "\r\nContent-Type: "
              + contentType
              + "\r\nContent-Length: "
              + body.length
              + "\r\nAuthorization: "
              + auth
              + "\r\n\r\n";
      out.write(head.getBytes(StandardCharsets.US_ASCII));
      out.write(body);
      out.flush();
      String status = line(in);
      int length = contentLength(in);
      if (status == null || length < 0) {
        throw new java.io.EOFException("the node closed the connection");
      }
      byte[] content = in.readNBytes(length);
      return new Reply(
          Integer.parseInt(status.substring(9, 12)), new String(content, StandardCharsets.UTF_8));
    }

    @Override
    public void close() throws IOException {
      socket.close();
    }
  }
}
