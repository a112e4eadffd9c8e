package io.jobhook.callback;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Standard Webhooks signatures: {@code webhook-id}, {@code webhook-timestamp} (the attempt time, so
 * that receivers can refuse replays) and {@code webhook-signature}, one {@code v1,<base64
 * HMAC-SHA256 of id.timestamp.body>} per active secret, space-separated (two during a rotation).
 * Secrets are {@code whsec_<base64 key>}. Stateless.
 */
public final class WebhookSigner {
  public static final String PREFIX = "whsec_";

  private WebhookSigner() {}

  public static Map<String, String> headers(
      String id, long timestampSeconds, byte[] body, List<String> secrets) {
    Map<String, String> headers = new LinkedHashMap<>();
    headers.put("webhook-id", id);
    headers.put("webhook-timestamp", Long.toString(timestampSeconds));
    if (!secrets.isEmpty()) {
      List<String> signatures = new ArrayList<>(secrets.size());
      for (String secret : secrets) {
        signatures.add("v1," + sign(secret, id, timestampSeconds, body));
      }
      headers.put("webhook-signature", String.join(" ", signatures));
    }
    return headers;
  }

  /** One initialised Mac per secret, cloned per use: Mac.getInstance is costly, clone is not. */
  private static final java.util.Map<String, Mac> PROTOTYPES =
      new java.util.concurrent.ConcurrentHashMap<>();

  static String sign(String secret, String id, long timestampSeconds, byte[] body) {
    try {
      Mac prototype = PROTOTYPES.get(secret);
      if (prototype == null) {
        prototype = Mac.getInstance("HmacSHA256");
        prototype.init(new SecretKeySpec(key(secret), "HmacSHA256"));
        if (PROTOTYPES.size() > 10_000) {
          PROTOTYPES.clear(); // secrets are few; this only bounds a pathological case
        }
        PROTOTYPES.put(secret, prototype);
      }
      Mac mac;
      try {
        mac = (Mac) prototype.clone();
      } catch (CloneNotSupportedException e) {
        mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(key(secret), "HmacSHA256"));
      }
      mac.update((id + "." + timestampSeconds + ".").getBytes(StandardCharsets.UTF_8));
      return Base64.getEncoder().encodeToString(mac.doFinal(body));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 unavailable", e);
    }
  }

  private static byte[] key(String secret) {
    String encoded = secret.startsWith(PREFIX) ? secret.substring(PREFIX.length()) : secret;
    return Base64.getDecoder().decode(encoded);
  }

  /** A fresh random secret in the {@code whsec_} format (24 random bytes). */
  public static String newSecret() {
    byte[] key = new byte[24];
    new java.security.SecureRandom().nextBytes(key);
    return PREFIX + Base64.getEncoder().encodeToString(key);
  }
}
