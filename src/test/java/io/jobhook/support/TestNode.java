package io.jobhook.support;

import com.qcloud.cos.COSClient;
import com.qcloud.cos.ClientConfig;
import com.qcloud.cos.auth.BasicCOSCredentials;
import com.qcloud.cos.endpoint.EndpointResolver;
import com.qcloud.cos.http.HttpProtocol;
import com.qcloud.cos.region.Region;
import io.jobhook.Jobhook;
import io.jobhook.api.auth.Credentials;
import io.jobhook.callback.RetryPolicy;
import io.jobhook.config.JobhookConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.time.InstantSource;

/** A jobhook node started in-process on a free port, and SDK clients pointed at it. */
public final class TestNode implements AutoCloseable {
  public static final String BUCKET = "examplebucket-1250000000";
  public static final String REGION = "ap-guangzhou";

  /** The bearer token a test node's /metrics answers to. */
  public static final String METRICS_TOKEN = "test-metrics-token-0123456789";

  public static final Credentials CREDENTIALS =
      new Credentials("AKIDtestSecretId00000000000000000000", "testSecretKey0000000000000000000");

  private final Jobhook node;
  private final COSClient client;

  private TestNode(Jobhook node) {
    this.node = node;
    this.client = sdkClient(node.port(), CREDENTIALS);
  }

  public static TestNode start(Path dataDir) throws Exception {
    return start(dataDir, RetryPolicy.parse("0s,50ms,100ms,200ms,400ms"));
  }

  public static TestNode start(Path dataDir, RetryPolicy retry) throws Exception {
    return start(dataDir, retry, true);
  }

  public static TestNode start(Path dataDir, RetryPolicy retry, boolean allowPrivateCallbacks)
      throws Exception {
    return start(config(dataDir, retry, allowPrivateCallbacks, false));
  }

  public static TestNode start(JobhookConfig config) throws Exception {
    return new TestNode(Jobhook.start(config, CREDENTIALS, InstantSource.system()));
  }

  /** The configuration tests use: loopback, a free port, fast polling. */
  public static JobhookConfig config(
      Path dataDir, RetryPolicy retry, boolean allowPrivateCallbacks, boolean allowAnonymous) {
    JobhookConfig d = JobhookConfig.defaults(dataDir);
    return d.withApi(
            d.api()
                .withAddress("127.0.0.1", 0)
                .withAnonymous(allowAnonymous)
                .withMetricsToken(METRICS_TOKEN))
        .withStorage(d.storage().withDiskReserve(0))
        .withJobs(d.jobs().withConcurrency(4, 10).withPollInterval(Duration.ofMillis(200)))
        .withCallbacks(
            d.callbacks().toBuilder()
                .allowPrivate(allowPrivateCallbacks)
                .retry(retry)
                .timeout(Duration.ofSeconds(5))
                .connectTimeout(Duration.ofSeconds(2))
                .build());
  }

  public int port() {
    return node.port();
  }

  public COSClient sdk() {
    return client;
  }

  public String baseUrl() {
    return "http://127.0.0.1:" + node.port();
  }

  /** The SDK configured by the recipe of contract §1.2, retries off so failures show at once. */
  public static COSClient sdkClient(int port, Credentials credentials) {
    ClientConfig cfg = new ClientConfig(new Region(REGION));
    cfg.setHttpProtocol(HttpProtocol.http);
    cfg.setCiSpecialRequest(true);
    cfg.setMaxErrorRetry(0);
    String address = "127.0.0.1:" + port;
    cfg.setEndpointResolver(
        new EndpointResolver() {
          @Override
          public String resolveGeneralApiEndpoint(String host) {
            return address;
          }

          @Override
          public String resolveGetServiceApiEndpoint(String host) {
            return address;
          }
        });
    return new COSClient(
        new BasicCOSCredentials(credentials.secretId(), credentials.secretKey()), cfg);
  }

  @Override
  public void close() {
    client.shutdown();
    node.close();
  }
}
