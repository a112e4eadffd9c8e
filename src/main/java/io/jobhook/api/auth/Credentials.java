package io.jobhook.api.auth;

/** The one SecretId/SecretKey pair that jobhook accepts. The key is never printed by toString. */
public record Credentials(String secretId, String secretKey) {
  public Credentials {
    if (secretId == null || secretId.isBlank() || secretKey == null || secretKey.isBlank()) {
      throw new IllegalArgumentException("secret id and secret key must both be set");
    }
  }

  @Override
  public String toString() {
    return "Credentials[secretId=" + secretId + ", secretKey=***]";
  }
}
