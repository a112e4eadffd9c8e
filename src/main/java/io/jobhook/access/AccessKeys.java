package io.jobhook.access;

import java.security.SecureRandom;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The keys a request may be signed with: the administrator's, and access keys created, listed and
 * revoked by the administrator. Every lookup reads the store, so a revocation holds at once on
 * every node; only the administrator's key, from the environment, is kept in memory. Thread-safe.
 */
public final class AccessKeys {
  private static final Logger log = LoggerFactory.getLogger(AccessKeys.class);
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final String ALPHABET =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
  private static final Pattern BUCKET = Pattern.compile("[a-z0-9][a-z0-9-]{0,62}");
  private static final int MAX_DESCRIPTION = 200;

  private final AccessKey administrator;
  private final AccessKeyStore store;
  private final MasterKey master;
  private final AuditLog audit;
  private final InstantSource clock;

  public AccessKeys(
      String administratorId,
      String administratorKey,
      AccessKeyStore store,
      MasterKey master,
      AuditLog audit,
      InstantSource clock) {
    this.administrator =
        new AccessKey(
            administratorId,
            administratorKey,
            Scope.ADMINISTRATOR,
            "the administrator (JOBHOOK_SECRET_ID)",
            Instant.EPOCH,
            "");
    this.store = store;
    this.master = master;
    this.audit = audit;
    this.clock = clock;
  }

  /** What a key, without its secret, is: for listings. */
  public record KeyInfo(
      String secretId,
      Scope scope,
      String description,
      Instant createdAt,
      String createdBy,
      Instant revokedAt) {}

  /** The key with this SecretId, when it exists and is not revoked. */
  public Optional<AccessKey> find(String secretId) {
    if (administrator.secretId().equals(secretId)) {
      return Optional.of(administrator);
    }
    if (!secretId.startsWith("AKID")) {
      return Optional.empty(); // not one of ours: spare the store the lookup
    }
    return store
        .find(secretId)
        .filter(k -> k.revokedAt() == null)
        .flatMap(
            k -> {
              try {
                return Optional.of(
                    new AccessKey(
                        k.secretId(),
                        master.open(k.secretId(), k.sealedSecret()),
                        new Scope(false, k.buckets(), k.readOnly()),
                        k.description(),
                        k.createdAt(),
                        k.createdBy()));
              } catch (IllegalStateException wrongMasterKey) {
                log.error(wrongMasterKey.getMessage());
                return Optional.empty();
              }
            });
  }

  /**
   * A new key for {@code buckets} (none: every bucket), read-only or read-write, made by {@code
   * actor}; its secret is in the answer and nowhere else in the clear.
   */
  public AccessKey create(
      String actor, List<String> buckets, boolean readOnly, String description) {
    for (String bucket : buckets) {
      if (!BUCKET.matcher(bucket).matches()) {
        throw new IllegalArgumentException(
            "bucket '" + bucket + "' is not a bucket name (a-z, 0-9 and '-', up to 63)");
      }
    }
    if (description.length() > MAX_DESCRIPTION) {
      throw new IllegalArgumentException(
          "a description is at most " + MAX_DESCRIPTION + " characters");
    }
    List<String> distinct = buckets.stream().distinct().sorted().toList();
    Instant now = clock.instant();
    AccessKey key =
        new AccessKey(
            newSecretId(),
            newSecretKey(),
            new Scope(false, distinct, readOnly),
            description,
            now,
            actor);
    AccessKeyStore.StoredKey stored =
        new AccessKeyStore.StoredKey(
            key.secretId(),
            master.seal(key.secretId(), key.secretKey()),
            distinct,
            readOnly,
            description,
            now,
            actor,
            null);
    audited(
        actor,
        readOnly ? "key.create read-only" : "key.create read-write",
        distinct.isEmpty() ? "*" : String.join(",", distinct),
        key.secretId(),
        () -> {
          store.insert(stored);
          return null;
        });
    return key;
  }

  /** Every key, the administrator's first, revoked ones included, none with its secret. */
  public List<KeyInfo> list() {
    var keys = new java.util.ArrayList<KeyInfo>();
    keys.add(
        new KeyInfo(
            administrator.secretId(),
            administrator.scope(),
            administrator.description(),
            null,
            "",
            null));
    for (AccessKeyStore.StoredKey k : store.list()) {
      keys.add(
          new KeyInfo(
              k.secretId(),
              new Scope(false, k.buckets(), k.readOnly()),
              k.description(),
              k.createdAt(),
              k.createdBy(),
              k.revokedAt()));
    }
    return keys;
  }

  /** Revokes a key at once, on every node; false when it does not exist or was revoked before. */
  public boolean revoke(String actor, String secretId) {
    if (administrator.secretId().equals(secretId)) {
      throw new IllegalArgumentException(
          "the administrator's key comes from the environment (JOBHOOK_SECRET_ID); change it there");
    }
    long entry = auditBegin(actor, "key.revoke", "*", secretId);
    boolean revoked = false;
    try {
      revoked = store.revoke(secretId, clock.instant());
      return revoked;
    } finally {
      auditSettle(entry, revoked);
    }
  }

  /** A change made under an audit entry (see {@link #audited}). */
  @FunctionalInterface
  public interface Change<T, E extends Exception> {
    T make() throws E;
  }

  /**
   * Makes an administrative change under an audit entry: written before the change, so that none is
   * ever made without one, and settled after it, Succeeded when {@code change} returns and Failed
   * when it throws (what it throws is thrown on).
   */
  public <T, E extends Exception> T audited(
      String actor, String action, String bucket, String target, Change<T, E> change) throws E {
    long entry = auditBegin(actor, action, bucket, target);
    boolean succeeded = false;
    try {
      T result = change.make();
      succeeded = true;
      return result;
    } finally {
      auditSettle(entry, succeeded);
    }
  }

  /**
   * Writes the audit entry of a change about to be made (Unknown until {@link #auditSettle}d);
   * throws when it cannot, and then the change must not be made.
   */
  public long auditBegin(String actor, String action, String bucket, String target) {
    return audit.begin(clock.instant(), actor, action, bucket, target);
  }

  /**
   * Records how the change of an audit entry ended. Never throws: the change is made or refused
   * already; an entry that cannot be settled stays Unknown, which is what it then is.
   */
  public void auditSettle(long entry, boolean succeeded) {
    try {
      audit.settle(entry, succeeded ? AuditLog.Outcome.SUCCEEDED : AuditLog.Outcome.FAILED);
    } catch (RuntimeException e) {
      log.error("could not settle audit entry {}; it stays Unknown", entry, e);
    }
  }

  /** The audit log, newest first. */
  public List<AuditLog.Entry> auditLog(Long beforeSeq, int limit) {
    return audit.list(beforeSeq, limit);
  }

  /** A fresh SecretId: {@code AKID} and 32 letters and digits, like Tencent's. */
  public static String newSecretId() {
    return "AKID" + random(32);
  }

  /** A fresh SecretKey: 32 letters and digits. */
  public static String newSecretKey() {
    return random(32);
  }

  private static String random(int length) {
    StringBuilder s = new StringBuilder(length);
    for (int i = 0; i < length; i++) {
      s.append(ALPHABET.charAt(RANDOM.nextInt(ALPHABET.length())));
    }
    return s.toString();
  }
}
