package io.jobhook.callback.http;

import static io.jobhook.callback.http.Connections.remainingMillis;

import io.jobhook.callback.http.Connections.Connection;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;

/**
 * One HTTP/1.1 request and its answer on a connection. The answer is judged by its status line; at
 * most the first KiB of the body is kept for the log, and a body that is slow, endless or large is
 * cut off (the connection is then not reused). Interim 1xx answers are skipped.
 */
final class Http11Exchange {
  static final int SNIPPET_BYTES = 1024;
  private static final int MAX_HEADER_BYTES = 16 * 1024;
  private static final int MAX_DRAINED_BODY = 64 * 1024;
  private static final Duration BODY_GRACE = Duration.ofSeconds(1);

  private Http11Exchange() {}

  /**
   * What came back: the status, a snippet for the log, and whether the connection can be reused.
   */
  record Exchange(int status, String snippet, String retryAfter, boolean reusable) {}

  /**
   * Sends {@code request} and reads the answer, all within {@code deadline} (System.nanoTime()).
   */
  static Exchange exchange(Connection c, byte[] request, long deadline) throws IOException {
    c.socket.setSoTimeout((int) remainingMillis(deadline));
    c.out.write(request);
    c.out.flush();
    int status;
    Map<String, String> headers;
    while (true) {
      c.socket.setSoTimeout((int) remainingMillis(deadline));
      String statusLine = readLine(c.in, new int[] {MAX_HEADER_BYTES});
      if (statusLine == null) {
        throw new EOFException("connection closed before an answer");
      }
      status = parseStatus(statusLine);
      headers = readHeaders(c.in);
      if (status >= 200 || status < 100) {
        break; // 1xx interim answers are skipped
      }
    }
    String retryAfter = headers.get("retry-after");
    boolean keepAlive = !"close".equalsIgnoreCase(headers.getOrDefault("connection", ""));
    // the body: keep the first KiB; drain a small rest so the connection can be reused
    long bodyDeadline = Math.min(deadline, System.nanoTime() + BODY_GRACE.toNanos());
    ByteArrayOutputStream snippet = new ByteArrayOutputStream();
    boolean complete;
    try {
      String length = headers.get("content-length");
      if (length != null) {
        long n = Long.parseLong(length.trim());
        boolean read =
            readBody(
                c, Math.min(n, n <= MAX_DRAINED_BODY ? n : SNIPPET_BYTES), snippet, bodyDeadline);
        complete =
            read && n <= MAX_DRAINED_BODY; // a larger body is left unread: the connection closes
      } else if ("chunked".equalsIgnoreCase(headers.getOrDefault("transfer-encoding", "").trim())) {
        complete = readChunked(c, snippet, bodyDeadline);
      } else if (status == 204 || status == 304) {
        complete = true;
      } else {
        readBody(c, SNIPPET_BYTES, snippet, bodyDeadline); // body ends when the connection closes
        complete = false;
      }
    } catch (IOException | NumberFormatException bodyTrouble) {
      complete = false;
    }
    String text = snippet.size() == 0 ? null : snippet.toString(StandardCharsets.UTF_8);
    return new Exchange(status, text, retryAfter, keepAlive && complete);
  }

  private static boolean readBody(
      Connection c, long length, ByteArrayOutputStream snippet, long deadline) throws IOException {
    byte[] buf = new byte[8192];
    long left = length;
    while (left > 0) {
      if (System.nanoTime() > deadline) {
        return false;
      }
      c.socket.setSoTimeout((int) remainingMillis(deadline));
      int n = c.in.read(buf, 0, (int) Math.min(buf.length, left));
      if (n < 0) {
        return false;
      }
      keep(snippet, buf, n);
      left -= n;
    }
    return true;
  }

  private static boolean readChunked(Connection c, ByteArrayOutputStream snippet, long deadline)
      throws IOException {
    long total = 0;
    while (true) {
      c.socket.setSoTimeout((int) remainingMillis(deadline));
      String sizeLine = readLine(c.in, new int[] {1024});
      if (sizeLine == null) {
        return false;
      }
      long size = Long.parseLong(sizeLine.split(";")[0].trim(), 16);
      if (size == 0) {
        readHeaders(c.in); // trailers
        return true;
      }
      total += size;
      if (total > MAX_DRAINED_BODY || !readBody(c, size, snippet, deadline)) {
        return false;
      }
      if (readLine(c.in, new int[] {16}) == null) {
        return false;
      }
    }
  }

  private static void keep(ByteArrayOutputStream snippet, byte[] buf, int n) {
    int room = SNIPPET_BYTES - snippet.size();
    if (room > 0) {
      snippet.write(buf, 0, Math.min(room, n));
    }
  }

  private static int parseStatus(String line) throws IOException {
    String[] parts = line.split(" ", 3);
    if (parts.length < 2 || !parts[0].startsWith("HTTP/1.")) {
      throw new IOException(
          "not an HTTP/1.x answer: " + line.substring(0, Math.min(60, line.length())));
    }
    try {
      return Integer.parseInt(parts[1]);
    } catch (NumberFormatException e) {
      throw new IOException("bad status line: " + line);
    }
  }

  private static Map<String, String> readHeaders(InputStream in) throws IOException {
    Map<String, String> headers = new java.util.HashMap<>();
    int[] budget = {MAX_HEADER_BYTES};
    String line;
    while ((line = readLine(in, budget)) != null && !line.isEmpty()) {
      int colon = line.indexOf(':');
      if (colon > 0) {
        headers.put(
            line.substring(0, colon).trim().toLowerCase(Locale.ROOT),
            line.substring(colon + 1).trim());
      }
    }
    if (line == null) {
      throw new EOFException("connection closed inside the answer's headers");
    }
    return headers;
  }

  /** One CRLF- (or LF-) terminated line; null at end of stream. {@code budget[0]} bytes at most. */
  private static String readLine(InputStream in, int[] budget) throws IOException {
    StringBuilder sb = new StringBuilder(64);
    int b;
    while ((b = in.read()) >= 0) {
      if (--budget[0] < 0) {
        throw new IOException("answer headers too large");
      }
      if (b == '\n') {
        int len = sb.length();
        if (len > 0 && sb.charAt(len - 1) == '\r') {
          sb.setLength(len - 1);
        }
        return sb.toString();
      }
      sb.append((char) b);
    }
    return sb.isEmpty() ? null : sb.toString();
  }
}
