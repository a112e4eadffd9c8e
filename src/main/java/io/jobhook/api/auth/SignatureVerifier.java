package io.jobhook.api.auth;

import java.time.Duration;
import java.time.InstantSource;
import java.util.AbstractMap.SimpleEntry;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Verifies q-sign Authorization headers (wire contract §2). Headers and parameters are taken from
 * the names the client listed, never from a rule of our own, so unsigned SDK headers such as {@code
 * x-cos-sdk-log-debug} pass. The same Authorization may be replayed inside its window (the SDK does
 * so on retries). Thread-safe.
 */
public final class SignatureVerifier {

  /** Why a request was refused; mapped to a CI error code by the API layer. */
  public enum Rejection {
    MISSING("AccessDenied", "request is not signed: Authorization header missing"),
    MALFORMED("InvalidAuthorization", "Authorization header is not a q-sign signature"),
    UNKNOWN_KEY("InvalidAccessKeyId", "the SecretId is not known to this server"),
    EXPIRED(
        "RequestTimeTooSkewed",
        "the signature's q-sign-time window does not contain the server time"),
    WINDOW_TOO_LONG(
        "AccessDenied", "the signature's q-sign-time window is longer than this server accepts"),
    MISMATCH("SignatureDoesNotMatch", "the request signature does not match");

    public final String code;
    public final String message;

    Rejection(String code, String message) {
      this.code = code;
      this.message = message;
    }
  }

  /** Thrown for any refused signature. */
  public static final class SignatureRejectedException extends RuntimeException {
    private final Rejection rejection;

    public SignatureRejectedException(Rejection rejection) {
      this(rejection, rejection.message);
    }

    SignatureRejectedException(Rejection rejection, String message) {
      super(message);
      this.rejection = rejection;
    }

    public Rejection rejection() {
      return rejection;
    }
  }

  /** Finds the key a request names by its SecretId ({@code q-ak}), and that key's secret. */
  public interface KeyLookup<K> {
    java.util.Optional<K> find(String secretId);

    String secretKey(K key);
  }

  /** A request whose signature holds: the key that signed it, the parameters it covers. */
  public record Verified<K>(K key, Set<String> signedParams) {}

  private final KeyLookup<Credentials> onlyKey;
  private final InstantSource clock;
  private final Duration skew;
  private final Duration maxWindow;

  /**
   * @param skew how far in the future a window may start (client clocks run ahead)
   * @param maxWindow the longest window accepted: a leaked signed request works no longer than this
   */
  public SignatureVerifier(InstantSource clock, Duration skew, Duration maxWindow) {
    this.onlyKey = null;
    this.clock = clock;
    this.skew = skew;
    this.maxWindow = maxWindow;
  }

  /** A verifier of one key pair's signatures, for {@link #verify(SignedRequest)}. */
  public SignatureVerifier(
      Credentials credentials, InstantSource clock, Duration skew, Duration maxWindow) {
    this.onlyKey =
        new KeyLookup<>() {
          @Override
          public java.util.Optional<Credentials> find(String secretId) {
            return QSign.sameSignature(credentials.secretId(), secretId)
                ? java.util.Optional.of(credentials)
                : java.util.Optional.empty();
          }

          @Override
          public String secretKey(Credentials key) {
            return key.secretKey();
          }
        };
    this.clock = clock;
    this.skew = skew;
    this.maxWindow = maxWindow;
  }

  /**
   * Returns normally when the request carries a valid signature of the one key pair this verifier
   * was made with, else throws. Returns the {@code q-url-param-list}: the keys of the query
   * parameters the signature covers.
   */
  public Set<String> verify(SignedRequest request) {
    return verify(request, onlyKey).signedParams();
  }

  /**
   * Returns the key that signed the request, found by {@code keys}, when its signature is valid;
   * else throws.
   */
  public <K> Verified<K> verify(SignedRequest request, KeyLookup<K> keys) {
    String authorization = request.header().apply("Authorization");
    if (authorization == null || authorization.isBlank()) {
      throw new SignatureRejectedException(Rejection.MISSING);
    }
    Map<String, String> fields = parse(authorization);
    String algorithm = fields.get("q-sign-algorithm");
    String ak = fields.get("q-ak");
    String signTime = fields.get("q-sign-time");
    String keyTime = fields.get("q-key-time");
    String headerList = fields.get("q-header-list");
    String paramList = fields.get("q-url-param-list");
    String signature = fields.get("q-signature");
    if (!"sha1".equals(algorithm)
        || ak == null
        || signTime == null
        || keyTime == null
        || headerList == null
        || paramList == null
        || signature == null
        || !signature.matches("[0-9a-f]{40}")) {
      throw new SignatureRejectedException(Rejection.MALFORMED);
    }
    K key = keys.find(ak).orElseThrow(() -> new SignatureRejectedException(Rejection.UNKNOWN_KEY));
    checkWindow(signTime);
    List<String> headerNames = names(headerList);
    if (!headerNames.contains("host")) {
      throw new SignatureRejectedException(Rejection.MALFORMED);
    }
    List<Map.Entry<String, String>> headers = new ArrayList<>();
    for (String name : headerNames) {
      String value = request.header().apply(decodeName(name));
      if (value == null) {
        throw new SignatureRejectedException(Rejection.MISMATCH);
      }
      headers.add(new SimpleEntry<>(name, value));
    }
    Map<String, Map.Entry<String, String>> sent = new HashMap<>();
    for (Map.Entry<String, String> p : request.queryParams()) {
      if (sent.put(QSign.encode(p.getKey().trim()).toLowerCase(Locale.ROOT), p) != null) {
        throw new SignatureRejectedException(Rejection.MISMATCH); // which one was signed? neither
      }
    }
    List<String> paramNames = names(paramList);
    List<Map.Entry<String, String>> params = new ArrayList<>();
    for (String name : paramNames) {
      Map.Entry<String, String> match = sent.get(name);
      if (match == null) {
        throw new SignatureRejectedException(Rejection.MISMATCH);
      }
      params.add(match);
    }
    String http = QSign.httpString(request.method(), request.decodedPath(), params, headers);
    String expected = QSign.signature(keys.secretKey(key), keyTime, signTime, http);
    if (!QSign.sameSignature(expected, signature)) {
      throw new SignatureRejectedException(Rejection.MISMATCH);
    }
    return new Verified<>(key, Set.copyOf(paramNames));
  }

  private void checkWindow(String signTime) {
    String[] parts = signTime.split(";");
    if (parts.length != 2) {
      throw new SignatureRejectedException(Rejection.MALFORMED);
    }
    long start;
    long end;
    try {
      start = Long.parseLong(parts[0].trim());
      end = Long.parseLong(parts[1].trim());
    } catch (NumberFormatException e) {
      throw new SignatureRejectedException(Rejection.MALFORMED);
    }
    long now = clock.instant().getEpochSecond();
    if (now + skew.toSeconds() < start || now > end || end < start) {
      throw new SignatureRejectedException(Rejection.EXPIRED);
    }
    if (end - start > maxWindow.toSeconds()) {
      throw new SignatureRejectedException(
          Rejection.WINDOW_TOO_LONG,
          "the signature's window of "
              + (end - start)
              + " s is longer than the "
              + maxWindow.toSeconds()
              + " s this server accepts (--max-signature-window); sign for a shorter time");
    }
  }

  private static Map<String, String> parse(String authorization) {
    Map<String, String> fields = new HashMap<>();
    for (String part : authorization.trim().split("&")) {
      int eq = part.indexOf('=');
      if (eq > 0) {
        fields.put(part.substring(0, eq).trim(), part.substring(eq + 1).trim());
      }
    }
    return fields;
  }

  private static List<String> names(String list) {
    List<String> names = new ArrayList<>();
    for (String n : list.split(";")) {
      if (!n.isBlank()) {
        names.add(n.trim().toLowerCase(Locale.ROOT));
      }
    }
    return names;
  }

  private static String decodeName(String encodedLowerName) {
    return java.net.URLDecoder.decode(
        encodedLowerName.replace("+", "%2B"), java.nio.charset.StandardCharsets.UTF_8);
  }
}
