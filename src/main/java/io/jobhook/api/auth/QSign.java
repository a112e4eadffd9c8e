package io.jobhook.api.auth;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The COS/CI "q-sign" (signature v5, HMAC-SHA1) algorithm as the official SDK computes it (wire
 * contract §2.2). Stateless and thread-safe. Used by the server to verify, and by tests and tools
 * to sign.
 */
public final class QSign {

  private QSign() {}

  /** UTF-8 percent-encoding where only {@code A-Z a-z 0-9 - _ . ~} stay literal. */
  public static String encode(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8)
        .replace("+", "%20")
        .replace("*", "%2A")
        .replace("%7E", "~");
  }

  /**
   * Canonical {@code k=v&k=v} form of the named pairs: key lower-cased and encoded, value trimmed
   * and encoded, sorted by key. Pairs must already be restricted to the signed names.
   */
  public static String canonicalPairs(List<Map.Entry<String, String>> pairs) {
    TreeMap<String, String> sorted = new TreeMap<>();
    for (Map.Entry<String, String> pair : pairs) {
      sorted.put(
          encode(pair.getKey().trim()).toLowerCase(java.util.Locale.ROOT),
          encode(pair.getValue() == null ? "" : pair.getValue().trim()));
    }
    List<String> parts = new ArrayList<>(sorted.size());
    sorted.forEach((k, v) -> parts.add(k + "=" + v));
    return String.join("&", parts);
  }

  /** The HttpString of step 5: method, decoded path, canonical parameters, canonical headers. */
  public static String httpString(
      String method,
      String decodedPath,
      List<Map.Entry<String, String>> signedParams,
      List<Map.Entry<String, String>> signedHeaders) {
    return method.toLowerCase(java.util.Locale.ROOT)
        + "\n"
        + decodedPath
        + "\n"
        + canonicalPairs(signedParams)
        + "\n"
        + canonicalPairs(signedHeaders)
        + "\n";
  }

  /** The 40-hex signature for a key time, a sign time and an HttpString. */
  public static String signature(
      String secretKey, String keyTime, String signTime, String httpString) {
    String signKey = signKey(secretKey, keyTime);
    String stringToSign = "sha1\n" + signTime + "\n" + hex(sha1(httpString)) + "\n";
    return hex(hmacSha1(signKey, stringToSign));
  }

  /** Builds a complete Authorization header value, as the SDK would. */
  public static String authorization(
      String secretId,
      String secretKey,
      String keyTime,
      String method,
      String decodedPath,
      List<Map.Entry<String, String>> signedParams,
      List<Map.Entry<String, String>> signedHeaders) {
    String http = httpString(method, decodedPath, signedParams, signedHeaders);
    return "q-sign-algorithm=sha1&q-ak="
        + secretId
        + "&q-sign-time="
        + keyTime
        + "&q-key-time="
        + keyTime
        + "&q-header-list="
        + nameList(signedHeaders)
        + "&q-url-param-list="
        + nameList(signedParams)
        + "&q-signature="
        + signature(secretKey, keyTime, keyTime, http);
  }

  private static String nameList(List<Map.Entry<String, String>> pairs) {
    TreeMap<String, Boolean> names = new TreeMap<>();
    pairs.forEach(
        p -> names.put(encode(p.getKey().trim()).toLowerCase(java.util.Locale.ROOT), true));
    return String.join(";", names.keySet());
  }

  /** Constant-time comparison of two signatures. */
  public static boolean sameSignature(String expected, String given) {
    return MessageDigest.isEqual(
        expected.getBytes(StandardCharsets.US_ASCII), given.getBytes(StandardCharsets.US_ASCII));
  }

  /**
   * SignKey = HMAC(SecretKey, KeyTime). An SDK client signs many requests with one key time, so the
   * derived keys are remembered (a bounded map, emptied when full): one HMAC per request instead of
   * two.
   */
  private static String signKey(String secretKey, String keyTime) {
    String cacheKey = keyTime + '\n' + secretKey;
    String cached = SIGN_KEYS.get(cacheKey);
    if (cached != null) {
      return cached;
    }
    String signKey = hex(hmacSha1(secretKey, keyTime));
    if (SIGN_KEYS.size() >= 4096) {
      SIGN_KEYS.clear();
    }
    SIGN_KEYS.put(cacheKey, signKey);
    return signKey;
  }

  private static final java.util.Map<String, String> SIGN_KEYS =
      new java.util.concurrent.ConcurrentHashMap<>();
  // Looking a provider up costs more than the hash itself: copy ready instances instead.
  private static final Mac HMAC_SHA1 = instance(() -> Mac.getInstance("HmacSHA1"));
  private static final MessageDigest SHA1 = instance(() -> MessageDigest.getInstance("SHA-1"));

  private interface Factory<T> {
    T create() throws GeneralSecurityException;
  }

  private static <T> T instance(Factory<T> factory) {
    try {
      return factory.create();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("SHA-1 is unavailable", e);
    }
  }

  private static byte[] hmacSha1(String key, String message) {
    try {
      Mac mac = (Mac) HMAC_SHA1.clone();
      mac.init(new SecretKeySpec(key.getBytes(StandardCharsets.UTF_8), "HmacSHA1"));
      return mac.doFinal(message.getBytes(StandardCharsets.UTF_8));
    } catch (GeneralSecurityException | CloneNotSupportedException e) {
      throw new IllegalStateException("HmacSHA1 unavailable", e);
    }
  }

  private static byte[] sha1(String message) {
    try {
      return ((MessageDigest) SHA1.clone()).digest(message.getBytes(StandardCharsets.UTF_8));
    } catch (CloneNotSupportedException e) {
      throw new IllegalStateException("SHA-1 unavailable", e);
    }
  }

  private static String hex(byte[] bytes) {
    return HexFormat.of().formatHex(bytes);
  }
}
