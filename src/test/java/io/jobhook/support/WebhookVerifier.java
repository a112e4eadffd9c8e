package io.jobhook.support;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * A receiver's check of a Standard Webhooks signature, written from the specification alone (it
 * shares no code with jobhook's signer): HMAC-SHA256 keyed with the base64 part of {@code
 * whsec_...} over {@code id.timestamp.body}, compared with each {@code v1,} entry in constant time.
 */
public final class WebhookVerifier {
  private WebhookVerifier() {}

  public static boolean verifies(String secret, CallbackReceiver.Received request)
      throws Exception {
    return verifies(
        secret,
        request.header("webhook-id"),
        request.header("webhook-timestamp"),
        request.header("webhook-signature"),
        request.body());
  }

  /** The same check of headers and body however they arrived (HTTP, a Kafka record). */
  public static boolean verifies(
      String secret, String id, String timestamp, String signatures, byte[] body) throws Exception {
    if (id == null || timestamp == null || signatures == null) {
      return false;
    }
    byte[] key = Base64.getDecoder().decode(secret.substring("whsec_".length()));
    Mac mac = Mac.getInstance("HmacSHA256");
    mac.init(new SecretKeySpec(key, "HmacSHA256"));
    byte[] signed = (id + "." + timestamp + ".").getBytes(StandardCharsets.UTF_8);
    byte[] content = new byte[signed.length + body.length];
    System.arraycopy(signed, 0, content, 0, signed.length);
    System.arraycopy(body, 0, content, signed.length, body.length);
    byte[] expected = mac.doFinal(content);
    for (String entry : signatures.split(" ")) {
      if (entry.startsWith("v1,")
          && MessageDigest.isEqual(expected, Base64.getDecoder().decode(entry.substring(3)))) {
        return true;
      }
    }
    return false;
  }
}
