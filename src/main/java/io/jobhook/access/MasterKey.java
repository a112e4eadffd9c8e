package io.jobhook.access;

import io.jobhook.engine.OwnerOnlyFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Map;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * The AES-256 key that seals access keys' secrets (AES-GCM, a random 96-bit nonce per secret, the
 * SecretId as associated data so a sealed secret cannot be moved to another key's row). From {@code
 * JOBHOOK_MASTER_KEY} (32 bytes, base64), else from {@code master.key} in the data directory,
 * generated with mode 600 on first start. Nodes of a cluster must share it.
 */
public final class MasterKey {
  static final String FILE = "master.key";
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final int NONCE_BYTES = 12;
  private static final int TAG_BITS = 128;

  private final SecretKeySpec key;

  MasterKey(byte[] bytes) {
    if (bytes.length != 32) {
      throw new IllegalArgumentException(
          "the master key must be 32 bytes (base64 of 32 random bytes), not " + bytes.length);
    }
    this.key = new SecretKeySpec(bytes, "AES");
  }

  /** The environment's key, or the data directory's, generated when there is none. */
  public static MasterKey load(Path dataDir, Map<String, String> env) throws IOException {
    String given = env.get("JOBHOOK_MASTER_KEY");
    if (given != null && !given.isBlank()) {
      return new MasterKey(decode(given.trim(), "JOBHOOK_MASTER_KEY"));
    }
    Path file = dataDir.resolve(FILE);
    byte[] fresh = new byte[32];
    RANDOM.nextBytes(fresh);
    OwnerOnlyFiles.createOnce(file, Base64.getEncoder().encodeToString(fresh) + "\n");
    return new MasterKey(decode(Files.readString(file).trim(), file.toString()));
  }

  private static byte[] decode(String base64, String where) {
    try {
      return Base64.getDecoder().decode(base64);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(where + " is not base64 of 32 bytes");
    }
  }

  /** {@code secret} sealed for the key {@code secretId}: base64 of nonce and ciphertext. */
  String seal(String secretId, String secret) {
    byte[] nonce = new byte[NONCE_BYTES];
    RANDOM.nextBytes(nonce);
    try {
      Cipher gcm = Cipher.getInstance("AES/GCM/NoPadding");
      gcm.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, nonce));
      gcm.updateAAD(secretId.getBytes(StandardCharsets.UTF_8));
      byte[] sealed = gcm.doFinal(secret.getBytes(StandardCharsets.UTF_8));
      byte[] out = new byte[nonce.length + sealed.length];
      System.arraycopy(nonce, 0, out, 0, nonce.length);
      System.arraycopy(sealed, 0, out, nonce.length, sealed.length);
      return Base64.getEncoder().encodeToString(out);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("AES-GCM is not available", e);
    }
  }

  /** The secret sealed for {@code secretId}; throws when it was sealed under another master key. */
  String open(String secretId, String sealed) {
    byte[] in = Base64.getDecoder().decode(sealed);
    try {
      Cipher gcm = Cipher.getInstance("AES/GCM/NoPadding");
      gcm.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, in, 0, NONCE_BYTES));
      gcm.updateAAD(secretId.getBytes(StandardCharsets.UTF_8));
      return new String(
          gcm.doFinal(in, NONCE_BYTES, in.length - NONCE_BYTES), StandardCharsets.UTF_8);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(
          "the secret of access key "
              + secretId
              + " cannot be opened: it was sealed under another master key"
              + " (JOBHOOK_MASTER_KEY must be the same on every node)");
    }
  }

  @Override
  public String toString() {
    return "MasterKey[***]";
  }
}
