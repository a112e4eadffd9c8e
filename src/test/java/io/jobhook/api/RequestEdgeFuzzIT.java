package io.jobhook.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.jobhook.api.auth.QSign;
import io.jobhook.support.RawHttp;
import io.jobhook.support.ServerProcess;
import io.jobhook.support.TestNode;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.AbstractMap.SimpleEntry;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Requests drawn at random (seeded; the seed is in every failure message, and {@code
 * -Djobhook.fuzz.seed=N} replays a run): hosts, paths, query strings, q-sign headers, digests and
 * XML bodies, mostly near the real thing so that they get past the first check. Every answer is a
 * 2xx, 3xx or 4xx (501 only for the documented not-implemented paths) with a CI error document when
 * it is an error, the server stays healthy, and its log holds no stack trace.
 */
class RequestEdgeFuzzIT {
  private static final int REQUESTS = Integer.getInteger("jobhook.fuzz.requests", 2_500);
  private static final String[] PARAMS = {
    "size",
    "pageNumber",
    "pageSize",
    "states",
    "queueId",
    "tag",
    "nextToken",
    "orderByTime",
    "startCreationTime",
    "endCreationTime",
    "graceSeconds",
    "workflowId",
    "object",
    "name",
    "ids",
    "format",
    "state",
    "jobId",
    "queueIds",
    "attachParam",
    "startTime",
    "endTime"
  };
  private static final String[] CI_PATHS = {
    "/jobs",
    "/jobs/%s",
    "/queue",
    "/queue/%s",
    "/workflow",
    "/workflow/%s",
    "/triggerworkflow",
    "/workflowexecution",
    "/workflowexecution/%s",
    "/callbacks",
    "/callbacks/redeliver",
    "/callbacks/%s",
    "/callbacks/%s/redeliver",
    "/callbacksecret",
    "/callbacksecret/rotate",
    "/template",
    "/inventorytriggerjob",
    "/",
    "/healthz",
    "/metrics",
    "/readyz",
    "/%s"
  };
  private static final String[] BODIES = {
    "<Request><Tag>NoiseReduction</Tag><Input><Object>in/a.wav</Object></Input><Operation><NoiseReduction>"
        + "<Format>wav</Format><SampleRate>16000</SampleRate></NoiseReduction><JobLevel>1</JobLevel><Output>"
        + "<Object>out/a.wav</Object></Output><UserData>u</UserData></Operation><CallBack>http://8.8.8.8/cb"
        + "</CallBack><CallBackFormat>JSON</CallBackFormat></Request>",
    "<Request><Name>q</Name><State>Active</State><NotifyConfig><Url>http://8.8.8.8/q</Url><Event>TaskFinish"
        + "</Event><Type>Url</Type><State>On</State><ResultFormat>XML</ResultFormat></NotifyConfig></Request>",
    "<Request><MediaWorkflow><Name>w</Name><State>Active</State><Topology><Dependencies><Start>A</Start>"
        + "<A>End</A></Dependencies><Nodes><Start><Type>Start</Type><Input><QueueId>p1</QueueId><ObjectPrefix>in/"
        + "</ObjectPrefix></Input></Start><A><Type>NoiseReduction</Type><Operation><Output><Object>o.wav</Object>"
        + "</Output></Operation></A><End><Type>End</Type></End></Nodes></Topology></MediaWorkflow></Request>"
  };

  @TempDir Path dataDir;
  @TempDir Path logs;

  @Test
  void random_requests_get_2xx_or_4xx_with_ci_error_bodies_and_no_stack_trace() throws Exception {
    long seed = Long.getLong("jobhook.fuzz.seed", System.nanoTime());
    Random random = new Random(seed);
    Path log = logs.resolve("server.log");
    int port = ServerProcess.freePort();
    Map<Integer, Integer> statuses = new java.util.TreeMap<>();
    try (ServerProcess server = ServerProcess.start(dataDir, port, log)) {
      for (int i = 0; i < REQUESTS; i++) {
        Fuzzed request = draw(random);
        RawHttp.Response r =
            RawHttp.send(
                port, request.method(), request.target(), request.headers(), request.body());
        statuses.merge(r.status(), 1, Integer::sum);
        String what =
            "seed "
                + seed
                + ", request "
                + i
                + ": "
                + request.method()
                + " "
                + request.target()
                + " "
                + request.headers()
                + " -> "
                + r.status()
                + " "
                + r.headers()
                + " "
                + r.text();
        if (r.status() == 501) {
          // documented answers: inventory-triggered jobs, and COS operations named by a query
          // parameter (a bucket's settings, say) that jobhook does not implement
          if (!request.target().startsWith("/inventorytriggerjob")
              && !request.method().equals("HEAD")) {
            assertThat(r.text()).as(what).contains("is not implemented by jobhook");
          }
        } else {
          assertThat(r.status()).as(what).isBetween(200, 499);
        }
        if (r.status() >= 400 && !request.method().equals("HEAD")) {
          assertThat(r.headers().get("content-type")).as(what).startsWith("application/xml");
          assertThat(r.text()).as(what).contains("<Error><Code>").contains("</Message>");
        }
      }
      assertThat(RawHttp.send(port, "GET", "/healthz", Map.of("Host", "127.0.0.1"), null).status())
          .isEqualTo(200);
    }
    String serverLog = Files.readString(log);
    assertThat(serverLog)
        .as("seed " + seed + ": no stack trace in the log")
        .doesNotContain("\tat ");
    assertThat(serverLog).as("seed " + seed).doesNotContain(" ERROR ");
    assertThat(statuses.keySet())
        .as("the draws reach past the signature check: " + statuses)
        .contains(200, 400, 403, 404);
  }

  private record Fuzzed(String method, String target, Map<String, String> headers, byte[] body) {}

  private static Fuzzed draw(Random r) {
    String method =
        pick(
            r, "GET", "GET", "GET", "PUT", "PUT", "POST", "POST", "POST", "DELETE", "HEAD",
            "PATCH");
    int hostKind = r.nextInt(20);
    String host =
        hostKind < 9
            ? RawHttp.CI_HOST
            : hostKind < 16
                ? RawHttp.COS_HOST
                : hostKind < 18
                    ? randomWord(r, 1 + r.nextInt(12))
                        + "."
                        + pick(r, "ci", "cos", "pic", "xx")
                        + ".ap-x.myqcloud.com"
                    : hostKind < 19 ? "127.0.0.1" : randomWord(r, r.nextInt(30));
    String path =
        host.contains(".cos.") && r.nextBoolean()
            ? "/" + randomKey(r)
            : String.format(
                Locale.ROOT, pick(r, CI_PATHS), r.nextBoolean() ? randomKey(r) : "j" + hex(r, 16));

    List<Map.Entry<String, String>> params = new ArrayList<>();
    for (int n = r.nextInt(5); n > 0; n--) {
      String name = r.nextInt(8) == 0 ? randomWord(r, 1 + r.nextInt(8)) : pick(r, PARAMS);
      if (r.nextInt(15) == 0) {
        name = pick(r, " ", "\t", "") + name + pick(r, " ", "");
      }
      params.add(new SimpleEntry<>(name, randomValue(r)));
    }
    StringBuilder query = new StringBuilder();
    for (Map.Entry<String, String> p : params) {
      query.append(query.isEmpty() ? "?" : "&").append(encode(p.getKey()));
      if (!p.getValue().isEmpty() || r.nextBoolean()) {
        query.append('=').append(encode(p.getValue()));
      }
    }
    if (r.nextInt(40) == 0) {
      query.append(query.isEmpty() ? "?" : "&").append("bad=%zz");
    }

    byte[] body = null;
    if (method.equals("PUT") || method.equals("POST") || r.nextInt(10) == 0) {
      int kind = r.nextInt(10);
      body =
          kind < 5
              ? mutate(r, pick(r, BODIES)).getBytes(StandardCharsets.UTF_8)
              : kind < 8 ? randomBytes(r, r.nextInt(kind == 7 ? 200_000 : 300)) : new byte[0];
    }

    Map<String, String> headers = new LinkedHashMap<>();
    headers.put("Host", host);
    if (body != null) {
      headers.put("Content-Length", Integer.toString(body.length));
      if (r.nextBoolean()) {
        headers.put(
            "Content-Type",
            pick(r, "application/xml", "audio/wav", "text/plain", randomWord(r, 5)));
      }
    }
    if (r.nextInt(12) == 0) {
      headers.put(
          "Content-MD5",
          pick(r, "AAAAAAAAAAAAAAAAAAAAAA==", "not-base64!", "", base64(randomBytes(r, 16))));
    }
    if (r.nextInt(12) == 0) {
      headers.put("x-cos-content-sha1", pick(r, hex(r, 20), "xyz", hex(r, 19)));
    }
    if (r.nextInt(10) == 0) {
      headers.put(
          "Range",
          pick(
              r,
              "bytes=0-10",
              "bytes=-5",
              "bytes=5-",
              "bytes=9999999999999999999-",
              "bytes=10-2",
              "bytes=a-b",
              "bytes=1-2,4-5",
              randomWord(r, 6)));
    }
    if (r.nextInt(10) == 0) {
      headers.put("x-cos-meta-" + randomWord(r, 1 + r.nextInt(6)), randomWord(r, r.nextInt(20)));
    }
    if (r.nextInt(15) == 0) {
      headers.put(pick(r, "If-Match", "If-None-Match"), pick(r, "*", "\"abc\"", randomWord(r, 8)));
    }
    headers.put("Authorization", authorization(r, method, path, params, headers));
    if (headers.get("Authorization") == null) {
      headers.remove("Authorization");
    }
    return new Fuzzed(method, path + query, headers, body);
  }

  /**
   * Mostly a valid signature of what is sent; otherwise none, garbage, another request's, or a bad
   * window.
   */
  private static String authorization(
      Random r,
      String method,
      String path,
      List<Map.Entry<String, String>> params,
      Map<String, String> headers) {
    long now = System.currentTimeMillis() / 1000;
    String window = (now - 60) + ";" + (now + 600);
    List<Map.Entry<String, String>> signedHeaders = new ArrayList<>();
    headers.forEach((k, v) -> signedHeaders.add(new SimpleEntry<>(k.toLowerCase(Locale.ROOT), v)));
    String decodedPath;
    try {
      decodedPath = java.net.URLDecoder.decode(path.replace("+", "%2B"), StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      decodedPath = path;
    }
    int kind = r.nextInt(20);
    return switch (kind) {
      case 0, 1 -> null;
      case 2 -> randomWord(r, r.nextInt(60));
      case 3 ->
          "q-sign-algorithm=sha1&q-ak="
              + TestNode.CREDENTIALS.secretId()
              + "&q-sign-time="
              + window
              + "&q-key-time="
              + window
              + "&q-header-list=host&q-url-param-list=&q-signature="
              + hex(r, 20);
      case 4 ->
          QSign.authorization(
              TestNode.CREDENTIALS.secretId(),
              TestNode.CREDENTIALS.secretKey(),
              (now - 60) + ";" + (now + 30L * 86_400),
              method,
              decodedPath,
              params,
              signedHeaders);
      case 5 ->
          QSign.authorization(
              TestNode.CREDENTIALS.secretId(),
              TestNode.CREDENTIALS.secretKey(),
              window,
              method,
              decodedPath,
              List.of(),
              signedHeaders); // parameters left unsigned
      case 6 ->
          QSign.authorization(
              "AKIDunknown", "someKey", window, method, decodedPath, params, signedHeaders);
      default ->
          QSign.authorization(
              TestNode.CREDENTIALS.secretId(),
              TestNode.CREDENTIALS.secretKey(),
              window,
              method,
              decodedPath,
              params,
              signedHeaders);
    };
  }

  private static String mutate(Random r, String xml) {
    String result = xml;
    for (int n = r.nextInt(4); n > 0; n--) {
      List<int[]> texts = new ArrayList<>();
      var m = java.util.regex.Pattern.compile(">([^<>]*)<").matcher(result);
      while (m.find()) {
        texts.add(new int[] {m.start(1), m.end(1)});
      }
      int[] at = texts.get(r.nextInt(texts.size()));
      String replacement =
          switch (r.nextInt(8)) {
            case 0 -> "";
            case 1 -> Long.toString(r.nextLong());
            case 2 -> "99999999999999999999999";
            case 3 -> "&amp;<![CDATA[x]]>";
            case 4 -> randomWord(r, 1 + r.nextInt(300));
            case 5 -> "\u58f0\u97f3 " + randomWord(r, 4);
            case 6 -> "-1";
            default -> "<X>" + randomWord(r, 3) + "</X>";
          };
      result = result.substring(0, at[0]) + replacement + result.substring(at[1]);
    }
    return switch (r.nextInt(12)) {
      case 0 ->
          "<!DOCTYPE r [<!ENTITY x SYSTEM \"file:///etc/passwd\">]>"
              + result.replaceFirst("<Name>", "<Name>&x;");
      case 1 -> result.substring(0, r.nextInt(result.length()));
      case 2 -> "<Request>" + "<A>".repeat(500) + "</A>".repeat(500) + "</Request>";
      default -> result;
    };
  }

  private static String randomValue(Random r) {
    return switch (r.nextInt(10)) {
      case 0 -> Integer.toString(r.nextInt());
      case 1 ->
          pick(r, "2147483647", "2147483648", "-1", "0", "99999999999999999999", "1e3", "0x10");
      case 2 -> "";
      case 3 -> pick(r, "2024-05-01T00:00:00+0800", "2024-13-45T99:99:99+0800", "yesterday");
      case 4 ->
          pick(r, "All", "Success,Failed", "Submitted", "Pause", "Desc", "Asc", "json", "xml");
      case 5 -> "n" + Long.toString(Math.abs(r.nextLong()), 36);
      case 6 -> "p" + hex(r, 16);
      default -> randomWord(r, r.nextInt(40));
    };
  }

  /** An object key of random characters, any Unicode, percent-encoded as a path. */
  private static String randomKey(Random r) {
    StringBuilder key = new StringBuilder();
    for (int n = 1 + r.nextInt(3); n > 0; n--) {
      if (!key.isEmpty()) {
        key.append('/');
      }
      String segment =
          switch (r.nextInt(8)) {
            case 0 -> "..";
            case 1 -> ".";
            case 2 -> "";
            case 3 -> "\u58f0\u97f3 file+1.mp3";
            case 4 -> new String(new char[] {(char) r.nextInt(32)});
            default -> randomWord(r, 1 + r.nextInt(20));
          };
      key.append(encode(segment).replace("+", "%20"));
    }
    return key.toString();
  }

  private static String randomWord(Random r, int length) {
    String alphabet = "abcXYZ019-_.~!$'()*,;=:@ %&+?#[]";
    StringBuilder word = new StringBuilder();
    for (int i = 0; i < length; i++) {
      word.append(alphabet.charAt(r.nextInt(alphabet.length())));
    }
    return word.toString();
  }

  private static String encode(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
  }

  private static byte[] randomBytes(Random r, int n) {
    byte[] b = new byte[n];
    r.nextBytes(b);
    return b;
  }

  private static String hex(Random r, int bytes) {
    return HexFormat.of().formatHex(randomBytes(r, bytes));
  }

  private static String base64(byte[] b) {
    return java.util.Base64.getEncoder().encodeToString(b);
  }

  @SafeVarargs
  private static <T> T pick(Random r, T... choices) {
    return choices[r.nextInt(choices.length)];
  }
}
