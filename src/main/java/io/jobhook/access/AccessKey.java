package io.jobhook.access;

import java.time.Instant;

/**
 * A key pair and what it may do. The secret key is shown once, when the key is created, and never
 * printed by {@code toString}.
 */
public record AccessKey(
    String secretId,
    String secretKey,
    Scope scope,
    String description,
    Instant createdAt,
    String createdBy) {

  @Override
  public String toString() {
    return "AccessKey[secretId=" + secretId + ", secretKey=***, scope=" + scope + "]";
  }
}
