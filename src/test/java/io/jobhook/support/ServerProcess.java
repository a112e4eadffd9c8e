package io.jobhook.support;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * jobhook as a user starts it, {@code java -jar target/jobhook.jar serve ...}, in its own process,
 * so that tests can kill it for real.
 */
public final class ServerProcess implements AutoCloseable {
  private final Process process;
  private final int port;

  private ServerProcess(Process process, int port) {
    this.process = process;
    this.port = port;
  }

  public static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  public static ServerProcess start(Path dataDir, int port, Path log, String... extraArgs)
      throws Exception {
    return start(List.of(), Map.of(), dataDir, port, log, extraArgs);
  }

  /** Started with {@code env} added to its environment (e.g. the object store's credentials). */
  public static ServerProcess startWith(
      Map<String, String> env, Path dataDir, int port, Path log, String... extraArgs)
      throws Exception {
    return start(List.of(), env, dataDir, port, log, extraArgs);
  }

  /**
   * Started with at most {@code descriptors} open files ({@code ulimit -n}), as on a small host.
   */
  public static ServerProcess startWithDescriptorLimit(
      int descriptors, Path dataDir, int port, Path log, String... extraArgs) throws Exception {
    return start(
        List.of("sh", "-c", "ulimit -n " + descriptors + " && exec \"$@\"", "sh"),
        Map.of(),
        dataDir,
        port,
        log,
        extraArgs);
  }

  private static ServerProcess start(
      List<String> prefix,
      Map<String, String> env,
      Path dataDir,
      int port,
      Path log,
      String... extraArgs)
      throws Exception {
    Path jar = Path.of("target/jobhook.jar");
    if (!Files.exists(jar)) {
      throw new IllegalStateException(
          "target/jobhook.jar is missing: integration tests run after `package`");
    }
    String java = ProcessHandle.current().info().command().orElse("java");
    List<String> cmd = new ArrayList<>(prefix);
    cmd.addAll(
        List.of(
            java,
            "-jar",
            jar.toString(),
            "serve",
            "--host",
            "127.0.0.1",
            "--port",
            Integer.toString(port),
            "--data-dir",
            dataDir.toString(),
            "--allow-private-callbacks"));
    cmd.addAll(List.of(extraArgs));
    ProcessBuilder pb =
        new ProcessBuilder(cmd)
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
    pb.environment().put("JOBHOOK_SECRET_ID", TestNode.CREDENTIALS.secretId());
    pb.environment().put("JOBHOOK_SECRET_KEY", TestNode.CREDENTIALS.secretKey());
    pb.environment().put("JOBHOOK_METRICS_TOKEN", TestNode.METRICS_TOKEN);
    pb.environment().putAll(env);
    ServerProcess server = new ServerProcess(pb.start(), port);
    server.awaitHealthy(Duration.ofSeconds(60), log);
    return server;
  }

  private void awaitHealthy(Duration timeout, Path log) throws Exception {
    HttpClient client = HttpClient.newHttpClient();
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new IllegalStateException(
            "jobhook exited with " + process.exitValue() + ":\n" + Files.readString(log));
      }
      try {
        var res =
            client.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/healthz")).build(),
                HttpResponse.BodyHandlers.discarding());
        if (res.statusCode() == 200) {
          return;
        }
      } catch (IOException notYet) {
        // still starting
      }
      Thread.sleep(50);
    }
    throw new IllegalStateException(
        "jobhook did not become healthy in " + timeout + ":\n" + Files.readString(log));
  }

  public int port() {
    return port;
  }

  /** The operating system's id of the jobhook process. */
  public long pid() {
    return process.pid();
  }

  /** How many files the server process has open now (Linux). */
  public int openDescriptors() throws IOException {
    try (var fds = Files.list(Path.of("/proc/" + process.pid() + "/fd"))) {
      return (int) fds.count();
    }
  }

  /** kill -9: no shutdown hook, no flush, nothing. */
  public void killHard() throws InterruptedException {
    process.destroyForcibly();
    process.waitFor();
  }

  @Override
  public void close() throws InterruptedException {
    process.destroy();
    if (!process.waitFor(10, java.util.concurrent.TimeUnit.SECONDS)) {
      process.destroyForcibly().waitFor();
    }
  }
}
