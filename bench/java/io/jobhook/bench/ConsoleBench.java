package io.jobhook.bench;

import io.jobhook.Jobhook;
import io.jobhook.support.TestNode;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The console's page latency with many jobs in the database (run by bench/console.sh): JOBS jobs
 * run through the pipeline with their callbacks, then each page is fetched REPEAT times by a
 * signed-in client and its median and worst time printed, beside the CI API's list of the same 50
 * jobs timed the same way.
 *
 * <pre>  ConsoleBench JOBS REPEAT</pre>
 */
public final class ConsoleBench {
  private static final Pattern JOB_LINK =
      Pattern.compile("href=\"/console/jobs/([^/\"]+)/(j[0-9a-f]{32})\"");

  public static void main(String[] args) throws Exception {
    // the CI API is chosen by the Host header, which the JDK's client sets itself unless allowed
    System.setProperty("jdk.httpclient.allowRestrictedHeaders", "host");
    int jobs = Integer.parseInt(args[0]);
    int repeat = Integer.parseInt(args[1]);
    Map<String, Long> called = new ConcurrentHashMap<>();
    try (PipelineBench.Receiver receiver = new PipelineBench.Receiver(called)) {
      String callback = "http://127.0.0.1:" + receiver.port() + "/cb";
      try (Jobhook node = PipelineBench.startNode("jobhook-console")) {
        int port = node.port();
        PipelineBench.uploadTinyInput(port);
        long start = System.nanoTime();
        PipelineBench.run(port, callback, jobs, 64, 0, called, null);
        System.out.printf("seeded jobs=%d seconds=%.1f%n", jobs, (System.nanoTime() - start) / 1e9);

        String base = "http://127.0.0.1:" + port;
        HttpClient http = HttpClient.newHttpClient();
        String form =
            "secretId="
                + URLEncoder.encode(TestNode.CREDENTIALS.secretId(), StandardCharsets.UTF_8)
                + "&secretKey="
                + URLEncoder.encode(TestNode.CREDENTIALS.secretKey(), StandardCharsets.UTF_8);
        HttpResponse<String> signedIn =
            http.send(
                HttpRequest.newBuilder(URI.create(base + "/console/signin"))
                    .header("Content-Type", "application/x-www-form-urlencoded")
                    .POST(HttpRequest.BodyPublishers.ofString(form))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
        String cookie = signedIn.headers().firstValue("Set-Cookie").orElseThrow().split(";", 2)[0];
        String list = get(http, base + "/console/jobs", cookie).body();
        Matcher m = JOB_LINK.matcher(list);
        if (!m.find()) {
          throw new IllegalStateException("no job on the jobs page");
        }
        String jobPage = "/console/jobs/" + m.group(1) + "/" + m.group(2);
        for (String page :
            List.of(
                "/console/",
                "/console/jobs",
                "/console/jobs?state=Success",
                jobPage,
                "/console/callbacks",
                "/console/callbacks?state=Delivered",
                "/console/queues")) {
          time(
              "console " + page.replaceAll("j[0-9a-f]{32}", "{id}"),
              repeat,
              () -> {
                HttpResponse<String> r = get(http, base + page, cookie);
                if (r.statusCode() != 200) {
                  throw new IllegalStateException(page + " answered " + r.statusCode());
                }
              });
        }
        String host = "examplebucket-1250000000.ci.ap-guangzhou.myqcloud.com";
        time(
            "api GET /jobs?size=50",
            repeat,
            () -> {
              long now = System.currentTimeMillis() / 1000;
              String auth =
                  io.jobhook.api.auth.QSign.authorization(
                      TestNode.CREDENTIALS.secretId(),
                      TestNode.CREDENTIALS.secretKey(),
                      (now - 60) + ";" + (now + 600),
                      "GET",
                      "/jobs",
                      List.of(new java.util.AbstractMap.SimpleEntry<>("size", "50")),
                      List.of(new java.util.AbstractMap.SimpleEntry<>("host", host)));
              HttpResponse<String> r =
                  http.send(
                      HttpRequest.newBuilder(URI.create(base + "/jobs?size=50"))
                          .header("Host", host)
                          .header("Authorization", auth)
                          .GET()
                          .build(),
                      HttpResponse.BodyHandlers.ofString());
              if (r.statusCode() != 200) {
                throw new IllegalStateException(
                    "the API answered " + r.statusCode() + " " + r.body());
              }
            });
      }
    }
  }

  private static HttpResponse<String> get(HttpClient http, String url, String cookie)
      throws Exception {
    return http.send(
        HttpRequest.newBuilder(URI.create(url)).header("Cookie", cookie).GET().build(),
        HttpResponse.BodyHandlers.ofString());
  }

  interface Call {
    void run() throws Exception;
  }

  private static void time(String what, int repeat, Call call) throws Exception {
    for (int i = 0; i < 3; i++) {
      call.run(); // warm
    }
    double[] ms = new double[repeat];
    for (int i = 0; i < repeat; i++) {
      long t = System.nanoTime();
      call.run();
      ms[i] = (System.nanoTime() - t) / 1e6;
    }
    Arrays.sort(ms);
    System.out.printf(
        "page %s median_ms=%.1f max_ms=%.1f%n",
        what.replace(' ', '_'), ms[repeat / 2], ms[repeat - 1]);
  }

  private ConsoleBench() {}
}
