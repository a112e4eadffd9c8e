package io.jobhook.support;

import io.jobhook.api.auth.Credentials;
import io.jobhook.api.auth.QSign;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.AbstractMap.SimpleEntry;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Hand-made HTTP/1.1 requests over a socket, signed like the SDK signs them, for what the SDK
 * cannot send (hostile bodies, wrong hosts, expired signatures).
 */
public final class RawHttp {
  public static final String CI_HOST = TestNode.BUCKET + ".ci." + TestNode.REGION + ".myqcloud.com";
  public static final String COS_HOST =
      TestNode.BUCKET + ".cos." + TestNode.REGION + ".myqcloud.com";

  /** A response: status, headers (lower-cased names), body. */
  public record Response(int status, Map<String, String> headers, byte[] body) {
    public String text() {
      return new String(body, StandardCharsets.UTF_8);
    }
  }

  private RawHttp() {}

  /** A signed CI GET's body, for polling inside lambdas. */
  public static String uncheckedText(int port, String path) {
    try {
      return signed(port, "GET", CI_HOST, path, null).text();
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  /** The body of a CI UpdateMediaQueue that sets a queue's state (Active or Paused). */
  public static byte[] queueState(String queueId, String state) {
    return ("<Request><Name>q</Name><QueueId>"
            + queueId
            + "</QueueId><State>"
            + state
            + "</State></Request>")
        .getBytes(StandardCharsets.UTF_8);
  }

  /**
   * The body of a CI CreateMediaJobs for a NoiseReduction job whose input ({@code in/none.wav}) is
   * never uploaded, so that the job fails at once and its callback goes out: {@code callback} its
   * CallBack and {@code format} its CallBackFormat, each left out when null.
   */
  public static byte[] missingInputJob(String callback, String format) {
    return ("<Request><Tag>NoiseReduction</Tag>"
            + (callback == null ? "" : "<CallBack>" + callback + "</CallBack>")
            + (format == null ? "" : "<CallBackFormat>" + format + "</CallBackFormat>")
            + "<Input><Object>in/none.wav</Object></Input>"
            + "<Operation><Output><Object>out/x.wav</Object></Output></Operation></Request>")
        .getBytes(StandardCharsets.UTF_8);
  }

  private static final java.util.regex.Pattern JOB_ID =
      java.util.regex.Pattern.compile("<JobId>(j[0-9a-f]{32})</JobId>");

  /** The JobId a submit answered with; fails unless it answered 200 with one. */
  public static String jobId(Response submitted) {
    java.util.regex.Matcher m = JOB_ID.matcher(submitted.text());
    if (submitted.status() != 200 || !m.find()) {
      throw new IllegalStateException(
          "submit answered " + submitted.status() + ": " + submitted.text());
    }
    return m.group(1);
  }

  /** What /metrics of a test node or server process shows, scraped with the test token. */
  public static String metrics(int port) throws IOException {
    Response r =
        send(
            port,
            "GET",
            "/metrics",
            Map.of("Host", "127.0.0.1", "Authorization", "Bearer " + TestNode.METRICS_TOKEN),
            null);
    if (r.status() != 200) {
      throw new IllegalStateException("/metrics answered " + r.status() + ": " + r.text());
    }
    return r.text();
  }

  /** Sends a request signed for now with the test credentials. */
  public static Response signed(
      int port, String method, String host, String pathAndQuery, byte[] body) throws IOException {
    long now = System.currentTimeMillis() / 1000;
    return signedAt(
        port,
        method,
        host,
        pathAndQuery,
        body,
        TestNode.CREDENTIALS,
        (now - 60) + ";" + (now + 600));
  }

  /** Sends a signed request with an absolute-form target, as the SDK does in HTTP-proxy mode. */
  public static Response signedProxyForm(int port, String method, String host, String pathAndQuery)
      throws IOException {
    long now = System.currentTimeMillis() / 1000;
    return signedAt(
        port,
        method,
        host,
        pathAndQuery,
        null,
        TestNode.CREDENTIALS,
        (now - 60) + ";" + (now + 600),
        "http://" + host + pathAndQuery,
        Map.of());
  }

  /**
   * Sends a signed request with {@code extraHeaders} (signed too), in their iteration order, after
   * Host.
   */
  public static Response signedWith(
      int port,
      String method,
      String host,
      String pathAndQuery,
      byte[] body,
      Map<String, String> extraHeaders)
      throws IOException {
    long now = System.currentTimeMillis() / 1000;
    return signedAt(
        port,
        method,
        host,
        pathAndQuery,
        body,
        TestNode.CREDENTIALS,
        (now - 60) + ";" + (now + 600),
        pathAndQuery,
        extraHeaders);
  }

  /**
   * A captured request replayed with another query: signed for {@code signedFor}, sent as {@code
   * sentAs} (same path), as an attacker who holds one signed request would send it.
   */
  public static Response replayed(
      int port, String method, String host, String signedFor, String sentAs, byte[] body)
      throws IOException {
    long now = System.currentTimeMillis() / 1000;
    return signedAt(
        port,
        method,
        host,
        signedFor,
        body,
        TestNode.CREDENTIALS,
        (now - 60) + ";" + (now + 600),
        sentAs,
        Map.of());
  }

  public static Response signedAt(
      int port,
      String method,
      String host,
      String pathAndQuery,
      byte[] body,
      Credentials credentials,
      String keyTime)
      throws IOException {
    return signedAt(
        port, method, host, pathAndQuery, body, credentials, keyTime, pathAndQuery, Map.of());
  }

  private static Response signedAt(
      int port,
      String method,
      String host,
      String pathAndQuery,
      byte[] body,
      Credentials credentials,
      String keyTime,
      String requestTarget,
      Map<String, String> extraHeaders)
      throws IOException {
    Map<String, String> headers = new LinkedHashMap<>();
    headers.put("Host", host);
    headers.putAll(extraHeaders);
    if (body != null) {
      headers.putIfAbsent("Content-Type", "application/xml");
      headers.put("Content-Length", Integer.toString(body.length));
    }
    int q = pathAndQuery.indexOf('?');
    String rawPath = q < 0 ? pathAndQuery : pathAndQuery.substring(0, q);
    List<Map.Entry<String, String>> params = new ArrayList<>();
    if (q >= 0) {
      for (String part : pathAndQuery.substring(q + 1).split("&")) {
        int eq = part.indexOf('=');
        params.add(
            new SimpleEntry<>(
                decode(eq < 0 ? part : part.substring(0, eq)),
                eq < 0 ? "" : decode(part.substring(eq + 1))));
      }
    }
    List<Map.Entry<String, String>> signedHeaders = new ArrayList<>();
    headers.forEach((k, v) -> signedHeaders.add(new SimpleEntry<>(k.toLowerCase(Locale.ROOT), v)));
    headers.put(
        "Authorization",
        QSign.authorization(
            credentials.secretId(),
            credentials.secretKey(),
            keyTime,
            method,
            decode(rawPath),
            params,
            signedHeaders));
    return send(port, method, requestTarget, headers, body);
  }

  public static Response send(
      int port, String method, String pathAndQuery, Map<String, String> headers, byte[] body)
      throws IOException {
    try (Socket socket = new Socket("127.0.0.1", port)) {
      socket.setSoTimeout(30_000);
      StringBuilder head = new StringBuilder(method + " " + pathAndQuery + " HTTP/1.1\r\n");
      headers.forEach((k, v) -> head.append(k).append(": ").append(v).append("\r\n"));
      if (body != null && !headers.containsKey("Content-Length")) {
        head.append("Content-Length: ").append(body.length).append("\r\n");
      }
      head.append("Connection: close\r\n\r\n");
      OutputStream out = socket.getOutputStream();
      out.write(head.toString().getBytes(StandardCharsets.UTF_8));
      if (body != null) {
        try {
          out.write(body);
        } catch (IOException serverClosedEarly) {
          // the server may answer and close before reading a huge body
        }
      }
      out.flush();
      return read(socket.getInputStream());
    }
  }

  private static Response read(InputStream in) throws IOException {
    ByteArrayOutputStream all = new ByteArrayOutputStream();
    in.transferTo(all);
    byte[] bytes = all.toByteArray();
    String text = new String(bytes, StandardCharsets.ISO_8859_1);
    int end = text.indexOf("\r\n\r\n");
    String[] lines = text.substring(0, end).split("\r\n");
    int status = Integer.parseInt(lines[0].split(" ")[1]);
    Map<String, String> headers = new LinkedHashMap<>();
    for (int i = 1; i < lines.length; i++) {
      int colon = lines[i].indexOf(':');
      headers.put(
          lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT),
          lines[i].substring(colon + 1).trim());
    }
    byte[] body = java.util.Arrays.copyOfRange(bytes, end + 4, bytes.length);
    if ("chunked".equalsIgnoreCase(headers.get("transfer-encoding"))) {
      body = dechunk(body);
    }
    return new Response(status, headers, body);
  }

  private static byte[] dechunk(byte[] body) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    int pos = 0;
    while (pos < body.length) {
      int lineEnd = indexOf(body, pos);
      int size =
          Integer.parseInt(
              new String(body, pos, lineEnd - pos, StandardCharsets.US_ASCII).trim().split(";")[0],
              16);
      if (size == 0) {
        break;
      }
      out.write(body, lineEnd + 2, size);
      pos = lineEnd + 2 + size + 2;
    }
    return out.toByteArray();
  }

  private static int indexOf(byte[] b, int from) {
    for (int i = from; i < b.length - 1; i++) {
      if (b[i] == '\r' && b[i + 1] == '\n') {
        return i;
      }
    }
    return b.length;
  }

  private static String decode(String s) {
    return java.net.URLDecoder.decode(s.replace("+", "%2B"), StandardCharsets.UTF_8);
  }
}
