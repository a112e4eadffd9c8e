package io.jobhook.e2e;

import static io.jobhook.support.TestNode.BUCKET;
import static org.assertj.core.api.Assertions.assertThat;

import com.qcloud.cos.COSClient;
import io.jobhook.support.CallbackReceiver;
import io.jobhook.support.RawHttp;
import io.jobhook.support.SdkCalls;
import io.jobhook.support.ServerProcess;
import io.jobhook.support.TestNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A slowloris (connections that send a header line every few seconds, reopened when closed) from
 * more clients and connections than the server has file descriptors, against jobhook started with
 * {@code ulimit -n 1024} while jobs write outputs and callbacks go out: it never runs out of
 * descriptors, and once the attack ends it is healthy at once, writes work, no job failed.
 */
class SlowlorisIT {
  private static final int CONNECTIONS = 1_100;
  private static final int DESCRIPTORS = 1_024;
  private static final Duration ATTACK = Duration.ofSeconds(40);
  private static final List<String> ATTACKERS =
      List.of("127.0.0.2", "127.0.0.3", "127.0.0.4", "127.0.0.5");

  @TempDir Path dataDir;
  @TempDir Path logs;

  @Test
  void a_slowloris_bigger_than_the_descriptor_limit_leaves_the_server_healthy_and_no_job_failed()
      throws Exception {
    int port = ServerProcess.freePort();
    Path log = logs.resolve("server.log");
    int jobCount = 60;
    try (CallbackReceiver receiver = CallbackReceiver.start();
        ServerProcess server =
            ServerProcess.startWithDescriptorLimit(
                DESCRIPTORS,
                dataDir,
                port,
                log,
                "--max-running-jobs",
                "1",
                "--queue-max-concurrent",
                "1")) {
      COSClient sdk = TestNode.sdkClient(port, TestNode.CREDENTIALS);
      try {
        // jobs that run one after another through the attack, each writing an output blob and a
        // callback
        List<String> jobIds =
            SdkCalls.denoiseJobs(
                sdk,
                BUCKET,
                "input/speech.wav",
                16000,
                30,
                jobCount,
                "output/nr-",
                receiver.url("/cb"));

        Slowloris attack = new Slowloris(port);
        attack.start();
        int mostOpen = 0;
        long end = System.nanoTime() + ATTACK.toNanos();
        while (System.nanoTime() < end) {
          mostOpen = Math.max(mostOpen, server.openDescriptors());
          Thread.sleep(500);
        }
        attack.stop();
        assertThat(attack.connected.get())
            .as("the attack got connections")
            .isGreaterThan(DESCRIPTORS);
        assertThat(attack.turnedAway.get())
            .as("connections refused or closed by the server")
            .isPositive();
        assertThat(mostOpen).as("descriptors the server held at most").isLessThan(DESCRIPTORS);

        CallbackReceiver.await(
            Duration.ofSeconds(15), "/healthz 200 after the attack", () -> healthz(port) == 200);
        String metrics = RawHttp.metrics(port);
        assertThat(counter(metrics, "jobhook_http_connections_refused_total"))
            .as("refused by the caps")
            .isPositive();
        assertThat(counter(metrics, "jobhook_http_header_timeouts_total"))
            .as("closed for slow headers")
            .isPositive();
        byte[] after = "written after the attack".getBytes(StandardCharsets.UTF_8);
        assertThat(RawHttp.signed(port, "PUT", RawHttp.COS_HOST, "/after.txt", after).status())
            .isEqualTo(200);
        assertThat(RawHttp.signed(port, "GET", RawHttp.COS_HOST, "/after.txt", null).text())
            .isEqualTo("written after the attack");

        CallbackReceiver.await(
            Duration.ofSeconds(120),
            "every job to end",
            () ->
                jobIds.stream()
                    .allMatch(
                        id -> {
                          String state = RawHttp.uncheckedText(port, "/jobs/" + id);
                          return state.contains("<State>Success</State>")
                              || state.contains("<State>Failed</State>");
                        }));
        for (String id : jobIds) {
          assertThat(sdk.describeMediaJob(SdkCalls.job(BUCKET, id)).getJobsDetail().getState())
              .as(id)
              .isEqualTo("Success");
        }
        CallbackReceiver.await(
            Duration.ofSeconds(60),
            "every callback",
            () ->
                jobIds.stream()
                    .allMatch(
                        id ->
                            receiver.received().stream().anyMatch(r -> r.bodyText().contains(id))));
      } finally {
        sdk.shutdown();
      }
      String serverLog = Files.readString(log);
      assertThat(serverLog).contains("refusing connections").doesNotContain("Too many open files");
    }
  }

  private static long counter(String metrics, String name) {
    var m = java.util.regex.Pattern.compile("(?m)^" + name + " (\\S+)$").matcher(metrics);
    assertThat(m.find()).as(name + " in " + metrics).isTrue();
    return (long) Double.parseDouble(m.group(1));
  }

  private static int healthz(int port) {
    try {
      return RawHttp.send(port, "GET", "/healthz", Map.of("Host", "127.0.0.1"), null).status();
    } catch (IOException e) {
      return -1;
    }
  }

  /** Connections from several loopback addresses that each send one header line every 5 s. */
  private static final class Slowloris {
    final AtomicInteger connected = new AtomicInteger();
    final AtomicInteger turnedAway = new AtomicInteger();
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final Map<Socket, Boolean> open = new ConcurrentHashMap<>();
    private final List<Thread> threads = new ArrayList<>();
    private final int port;

    Slowloris(int port) {
      this.port = port;
    }

    void start() {
      for (int i = 0; i < CONNECTIONS; i++) {
        String from = ATTACKERS.get(i % ATTACKERS.size());
        threads.add(
            Thread.ofVirtual()
                .start(
                    () -> {
                      while (running.get()) {
                        drip(from);
                        sleepQuietly(); // then come back, as a slowloris does
                      }
                    }));
      }
    }

    private void drip(String from) {
      try (Socket socket = new Socket()) {
        open.put(socket, true);
        socket.bind(new InetSocketAddress(InetAddress.getByName(from), 0));
        socket.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
        connected.incrementAndGet();
        socket.setSoTimeout(5_000);
        OutputStream out = socket.getOutputStream();
        InputStream in = socket.getInputStream();
        out.write(
            "GET /jobs HTTP/1.1\r\nHost: slow.ci.ap-guangzhou.myqcloud.com\r\n"
                .getBytes(StandardCharsets.US_ASCII));
        for (int line = 0; running.get(); line++) {
          out.write(("X-Slow-" + line + ": a\r\n").getBytes(StandardCharsets.US_ASCII));
          out.flush();
          try {
            if (in.read() < 0) { // the server answered (503) or closed: turned away
              turnedAway.incrementAndGet();
              return;
            }
            turnedAway.incrementAndGet();
            return;
          } catch (java.net.SocketTimeoutException stillOpen) {
            // nothing from the server for 5 s: drip the next line
          }
        }
      } catch (IOException e) {
        turnedAway.incrementAndGet();
      } finally {
        open.keySet().removeIf(Socket::isClosed);
      }
    }

    private void sleepQuietly() {
      try {
        Thread.sleep(100);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }

    void stop() throws InterruptedException {
      running.set(false);
      for (Socket s : open.keySet()) {
        try {
          s.close();
        } catch (IOException ignored) {
          // closing our own attack
        }
      }
      for (Thread t : threads) {
        t.join(Duration.ofSeconds(10));
      }
    }
  }
}
