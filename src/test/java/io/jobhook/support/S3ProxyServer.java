package io.jobhook.support;

import io.jobhook.object.s3.S3Location;
import java.io.IOException;
import java.net.Socket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * A real S3 API in a process of its own: S3Proxy (org.gaul:s3proxy, copied to target/test-servers
 * by the build) over a directory, with one identity. Credentials reach jobhook the way users give
 * them, through the AWS SDK's default chain: the system properties {@code aws.accessKeyId}/{@code
 * aws.secretAccessKey} in this JVM, the environment variables for a jobhook process.
 */
public final class S3ProxyServer implements AutoCloseable {
  public static final String ACCESS_KEY = "jobhook-test-access";
  public static final String SECRET_KEY = "jobhook-test-secret-0123456789";

  private final Process process;
  private final int port;

  private S3ProxyServer(Process process, int port) {
    this.process = process;
    this.port = port;
  }

  /** Starts S3Proxy on a free port, storing under {@code dir}, and creates {@code buckets}. */
  public static S3ProxyServer start(Path dir, String... buckets) throws Exception {
    Path jar = Path.of("target/test-servers/s3proxy.jar");
    if (!Files.exists(jar)) {
      throw new IllegalStateException(jar + " is missing: the build copies it (mvn verify)");
    }
    int port = ServerProcess.freePort();
    Path data = Files.createDirectories(dir.resolve("data"));
    Path conf = dir.resolve("s3proxy.conf");
    Files.writeString(
        conf,
        String.join(
            "\n",
            "s3proxy.endpoint=http://127.0.0.1:" + port,
            "s3proxy.authorization=aws-v2-or-v4",
            "s3proxy.identity=" + ACCESS_KEY,
            "s3proxy.credential=" + SECRET_KEY,
            "jclouds.provider=filesystem",
            "jclouds.filesystem.basedir=" + data.toAbsolutePath(),
            ""));
    String java = ProcessHandle.current().info().command().orElse("java");
    Path log = dir.resolve("s3proxy.log");
    Process process =
        new ProcessBuilder(java, "-jar", jar.toString(), "--properties", conf.toString())
            .redirectErrorStream(true)
            .redirectOutput(log.toFile())
            .start();
    S3ProxyServer server = new S3ProxyServer(process, port);
    server.awaitListening(Duration.ofSeconds(60), log);
    System.setProperty("aws.accessKeyId", ACCESS_KEY);
    System.setProperty("aws.secretAccessKey", SECRET_KEY);
    try (S3Client s3 = server.client()) {
      for (String bucket : buckets) {
        s3.createBucket(b -> b.bucket(bucket));
      }
    }
    return server;
  }

  public URI endpoint() {
    return URI.create("http://127.0.0.1:" + port);
  }

  /** The {@code --object-store} value for {@code bucket}. */
  public String spec(String bucket, String prefix) {
    return "s3://" + bucket + "/" + prefix + "?endpoint=" + endpoint() + "&pathStyle=true";
  }

  public S3Location location(String bucket, String prefix) {
    return S3Location.parse(spec(bucket, prefix));
  }

  /** The environment a jobhook process needs to reach this store. */
  public Map<String, String> environment() {
    return Map.of("AWS_ACCESS_KEY_ID", ACCESS_KEY, "AWS_SECRET_ACCESS_KEY", SECRET_KEY);
  }

  /** A client of its own, for what a test checks behind jobhook's back. */
  public S3Client client() {
    // credentials from the system properties start() set, through the SDK's default chain
    return S3Client.builder()
        .endpointOverride(endpoint())
        .region(Region.US_EAST_1)
        .forcePathStyle(true)
        .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
        .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED)
        .build();
  }

  private void awaitListening(Duration timeout, Path log) throws Exception {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new IllegalStateException("S3Proxy exited:\n" + Files.readString(log));
      }
      try (Socket ignored = new Socket("127.0.0.1", port)) {
        return;
      } catch (IOException notYet) {
        Thread.sleep(100);
      }
    }
    throw new IllegalStateException(
        "S3Proxy did not listen in " + timeout + ":\n" + Files.readString(log));
  }

  @Override
  public void close() {
    process.destroy();
    try {
      if (!process.waitFor(10, java.util.concurrent.TimeUnit.SECONDS)) {
        process.destroyForcibly();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
