package io.jobhook;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.jobhook.api.auth.QSign;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.InstantSource;
import java.util.AbstractMap.SimpleEntry;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code keys create|list|revoke} against a running server, signed with the administrator's key
 * pair from the environment ({@code JOBHOOK_SECRET_ID}, {@code JOBHOOK_SECRET_KEY}).
 */
final class KeysCommand {
  static final String USAGE =
      """
      Usage:
        java -jar target/jobhook.jar keys create --server URL --bucket B [--bucket C ...] [--read-only]
                                                 [--description TEXT]
        java -jar target/jobhook.jar keys create --server URL --all-buckets [--read-only]
        java -jar target/jobhook.jar keys list --server URL
        java -jar target/jobhook.jar keys revoke SECRET_ID --server URL

      The administrator's JOBHOOK_SECRET_ID and JOBHOOK_SECRET_KEY (from the environment) sign the
      calls. create prints SecretId=... and SecretKey=...: the secret key is shown this once.
      """;
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Duration TIMEOUT = Duration.ofSeconds(30);

  private final Map<String, String> env;
  private final PrintStream out;
  private final PrintStream err;
  private final InstantSource clock;

  KeysCommand(Map<String, String> env, PrintStream out, PrintStream err, InstantSource clock) {
    this.env = env;
    this.out = out;
    this.err = err;
    this.clock = clock;
  }

  /** Runs one {@code keys} command; the process's exit code. */
  int run(List<String> args) throws IOException, InterruptedException {
    if (args.isEmpty() || args.contains("--help") || args.contains("-h")) {
      (args.isEmpty() ? err : out).print(USAGE);
      return args.isEmpty() ? 2 : 0;
    }
    String command = args.getFirst();
    String server = null;
    String secretIdToRevoke = null;
    List<String> buckets = new ArrayList<>();
    boolean allBuckets = false;
    boolean readOnly = false;
    String description = null;
    for (int i = 1; i < args.size(); i++) {
      String a = args.get(i);
      if (a.startsWith("--")
          && !a.equals("--all-buckets")
          && !a.equals("--read-only")
          && i + 1 >= args.size()) {
        return usage(a + " needs a value");
      }
      switch (a) {
        case "--server" -> server = args.get(++i);
        case "--bucket" -> buckets.add(args.get(++i));
        case "--all-buckets" -> allBuckets = true;
        case "--read-only" -> readOnly = true;
        case "--description" -> description = args.get(++i);
        default -> {
          if (command.equals("revoke") && secretIdToRevoke == null && !a.startsWith("--")) {
            secretIdToRevoke = a;
          } else {
            return usage("unknown argument " + a);
          }
        }
      }
    }
    if (server == null) {
      return usage("--server URL is required (e.g. http://127.0.0.1:8080)");
    }
    String secretId = env.get("JOBHOOK_SECRET_ID");
    String secretKey = env.get("JOBHOOK_SECRET_KEY");
    if (secretId == null || secretId.isBlank() || secretKey == null || secretKey.isBlank()) {
      return usage("set JOBHOOK_SECRET_ID and JOBHOOK_SECRET_KEY to the administrator's key pair");
    }
    Call call =
        new Call(URI.create(server.endsWith("/") ? server : server + "/"), secretId, secretKey);
    return switch (command) {
      case "create" -> {
        if (buckets.isEmpty() == !allBuckets) {
          yield usage("create takes --bucket B (repeatable) or --all-buckets");
        }
        Map<String, String> params = new LinkedHashMap<>();
        params.put("buckets", allBuckets ? "*" : String.join(",", buckets));
        if (readOnly) {
          params.put("readOnly", "true");
        }
        if (description != null) {
          params.put("description", description);
        }
        JsonNode answer = call.send("POST", "admin/keys", params);
        if (answer == null) {
          yield 1;
        }
        JsonNode key = answer.path("AccessKey");
        out.println("SecretId=" + key.path("SecretId").asText());
        out.println("SecretKey=" + key.path("SecretKey").asText());
        out.println("Buckets=" + key.path("Scope").path("Buckets").asText());
        out.println("ReadOnly=" + key.path("Scope").path("ReadOnly").asText());
        yield 0;
      }
      case "list" -> {
        JsonNode answer = call.send("GET", "admin/keys", Map.of());
        if (answer == null) {
          yield 1;
        }
        for (JsonNode key : answer.path("AccessKey")) {
          out.println(
              "SecretId="
                  + key.path("SecretId").asText()
                  + " Buckets="
                  + key.path("Scope").path("Buckets").asText()
                  + " ReadOnly="
                  + key.path("Scope").path("ReadOnly").asText()
                  + " Administrator="
                  + key.path("Scope").path("Administrator").asText()
                  + " State="
                  + key.path("State").asText()
                  + " Created="
                  + key.path("CreationTime").asText()
                  + " Description="
                  + key.path("Description").asText());
        }
        yield 0;
      }
      case "revoke" -> {
        if (secretIdToRevoke == null) {
          yield usage("revoke takes the SecretId of the key to revoke");
        }
        JsonNode answer = call.send("DELETE", "admin/keys/" + secretIdToRevoke, Map.of());
        if (answer == null) {
          yield 1;
        }
        out.println("Revoked=" + answer.path("Revoked").asText());
        yield 0;
      }
      default -> usage("unknown keys command '" + command + "'");
    };
  }

  private int usage(String problem) {
    err.print("jobhook keys: " + problem + "\n\n" + USAGE);
    return 2;
  }

  /** One signed call to the server's administration. */
  private final class Call {
    private final URI server;
    private final String secretId;
    private final String secretKey;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(TIMEOUT).build();

    Call(URI server, String secretId, String secretKey) {
      this.server = server;
      this.secretId = secretId;
      this.secretKey = secretKey;
    }

    /** The answer's JSON, or null after printing the server's error. */
    JsonNode send(String method, String path, Map<String, String> params)
        throws IOException, InterruptedException {
      StringBuilder query = new StringBuilder();
      List<Map.Entry<String, String>> signed = new ArrayList<>();
      params.forEach(
          (k, v) -> {
            query.append(query.isEmpty() ? "" : "&").append(QSign.encode(k)).append('=');
            query.append(QSign.encode(v));
            signed.add(new SimpleEntry<>(k, v));
          });
      URI uri = server.resolve(path + (query.isEmpty() ? "" : "?" + query));
      String host = uri.getPort() < 0 ? uri.getHost() : uri.getHost() + ":" + uri.getPort();
      long now = clock.instant().getEpochSecond();
      String authorization =
          QSign.authorization(
              secretId,
              secretKey,
              (now - 60) + ";" + (now + 600),
              method,
              uri.getPath(),
              signed,
              List.of(new SimpleEntry<>("host", host)));
      HttpRequest request =
          HttpRequest.newBuilder(uri)
              .timeout(TIMEOUT)
              .header("Authorization", authorization)
              .header("Accept", "application/json")
              .method(method, HttpRequest.BodyPublishers.noBody())
              .build();
      HttpResponse<String> response;
      try {
        response = http.send(request, HttpResponse.BodyHandlers.ofString());
      } catch (IOException e) {
        err.println("jobhook keys: cannot reach " + server + ": " + e);
        return null;
      }
      if (response.statusCode() / 100 != 2) {
        String body = response.body();
        String code = between(body, "<Code>", "</Code>");
        String message = between(body, "<Message>", "</Message>");
        err.println(
            "jobhook keys: the server answered "
                + response.statusCode()
                + (code == null ? "" : " " + code)
                + (message == null ? "" : ": " + message));
        return null;
      }
      return JSON.readTree(response.body());
    }
  }

  private static String between(String text, String open, String close) {
    int start = text.indexOf(open);
    int end = start < 0 ? -1 : text.indexOf(close, start);
    return end < 0 ? null : text.substring(start + open.length(), end);
  }
}
