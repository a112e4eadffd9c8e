package io.jobhook.support;

import java.io.IOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;

/**
 * A real Apache Kafka broker in KRaft mode (one node, broker and controller), in a process of its
 * own, from the Maven Central artifacts listed in src/test/kafka-broker/pom.xml (their classpath
 * resolved once by Maven into target/test-servers). It can be stopped, killed and started again on
 * the same ports and log directory.
 */
public final class KafkaBroker implements AutoCloseable {
  private static final Path CLASSPATH = Path.of("target/test-servers/kafka.classpath");

  private final Path dir;
  private final int port;
  private final int controllerPort;
  private Process process;

  private KafkaBroker(Path dir, int port, int controllerPort) {
    this.dir = dir;
    this.port = port;
    this.controllerPort = controllerPort;
  }

  /** Formats a fresh log directory under {@code dir} and starts the broker. */
  public static KafkaBroker start(Path dir) throws Exception {
    KafkaBroker broker = new KafkaBroker(dir, ServerProcess.freePort(), ServerProcess.freePort());
    broker.format();
    broker.startProcess();
    return broker;
  }

  public String bootstrapServers() {
    return "127.0.0.1:" + port;
  }

  /** The broker's classpath: src/test/kafka-broker/pom.xml's dependencies, resolved by Maven. */
  public static synchronized String classpath() throws Exception {
    if (!Files.exists(CLASSPATH)) {
      Files.createDirectories(CLASSPATH.getParent());
      Process mvn =
          new ProcessBuilder(
                  "mvn",
                  "-B",
                  "-q",
                  "-f",
                  "src/test/kafka-broker/pom.xml",
                  "dependency:build-classpath",
                  "-Dmdep.outputFile=" + CLASSPATH.toAbsolutePath())
              .redirectErrorStream(true)
              .start();
      String out = new String(mvn.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!mvn.waitFor(10, TimeUnit.MINUTES) || mvn.exitValue() != 0) {
        Files.deleteIfExists(CLASSPATH);
        throw new IllegalStateException("could not resolve the Kafka broker's classpath:\n" + out);
      }
    }
    return Files.readString(CLASSPATH).trim();
  }

  private void format() throws Exception {
    Files.createDirectories(dir.resolve("logs"));
    Files.writeString(
        dir.resolve("server.properties"),
        String.join(
            "\n",
            "process.roles=broker,controller",
            "node.id=1",
            "controller.quorum.voters=1@127.0.0.1:" + controllerPort,
            "listeners=PLAINTEXT://127.0.0.1:" + port + ",CONTROLLER://127.0.0.1:" + controllerPort,
            "advertised.listeners=PLAINTEXT://127.0.0.1:" + port,
            "controller.listener.names=CONTROLLER",
            "listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT",
            "log.dirs=" + dir.resolve("logs").toAbsolutePath(),
            "num.partitions=3",
            "offsets.topic.replication.factor=1",
            "transaction.state.log.replication.factor=1",
            "transaction.state.log.min.isr=1",
            "group.initial.rebalance.delay.ms=0",
            ""));
    Process format =
        java(
                "kafka.tools.StorageTool",
                "format",
                "-t",
                "q1Sh-9_ISia_zwGINzRvyQ",
                "-c",
                dir.resolve("server.properties").toString())
            .start();
    String out = new String(format.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!format.waitFor(2, TimeUnit.MINUTES) || format.exitValue() != 0) {
      throw new IllegalStateException("formatting the Kafka log directory failed:\n" + out);
    }
  }

  /** Starts the broker process (again, after {@link #stop} or {@link #kill}). */
  public void startProcess() throws Exception {
    process =
        java("kafka.Kafka", dir.resolve("server.properties").toString())
            .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("broker.log").toFile()))
            .start();
    awaitReady(Duration.ofSeconds(90));
  }

  private ProcessBuilder java(String main, String... args) throws Exception {
    String javaCommand = ProcessHandle.current().info().command().orElse("java");
    List<String> cmd = new ArrayList<>(List.of(javaCommand, "-Xmx512m", "-cp", classpath(), main));
    cmd.addAll(List.of(args));
    return new ProcessBuilder(cmd).redirectErrorStream(true);
  }

  private void awaitReady(Duration timeout) throws Exception {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new IllegalStateException(
            "the Kafka broker exited:\n" + Files.readString(dir.resolve("broker.log")));
      }
      try (Socket ignored = new Socket("127.0.0.1", port)) {
        try (Admin admin = admin()) {
          admin.describeCluster().nodes().get(5, TimeUnit.SECONDS);
          return;
        }
      } catch (IOException
          | java.util.concurrent.ExecutionException
          | java.util.concurrent.TimeoutException notYet) {
        Thread.sleep(200);
      }
    }
    throw new IllegalStateException(
        "the Kafka broker did not start in "
            + timeout
            + ":\n"
            + Files.readString(dir.resolve("broker.log")));
  }

  public Admin admin() {
    Properties p = new Properties();
    p.putAll(
        Map.of(
            AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers(),
            AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, "5000",
            AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, "10000"));
    return Admin.create(p);
  }

  /** A clean shutdown. */
  public void stop() throws InterruptedException {
    process.destroy();
    if (!process.waitFor(30, TimeUnit.SECONDS)) {
      process.destroyForcibly().waitFor();
    }
  }

  /** {@code kill -9}. */
  public void kill() throws InterruptedException {
    process.destroyForcibly().waitFor();
  }

  @Override
  public void close() throws InterruptedException {
    if (process != null && process.isAlive()) {
      stop();
    }
  }
}
