package io.jobhook.access;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Optional;

/**
 * Console sign-ins with an access key pair: server-side sessions (the cookie is a random 256-bit
 * token; only its hash is stored, so the database alone signs no one in), each with its CSRF token
 * and an expiry, ended at once when their key is revoked. Repeated failed sign-ins from one address
 * or for one SecretId are refused for a while that doubles with each failure, counted in the
 * database, so every node holds them off alike. Thread-safe.
 */
public final class Sessions {
  private static final SecureRandom RANDOM = new SecureRandom();

  /** Failures allowed before sign-ins from that address or for that key are held off. */
  static final int FREE_FAILURES = 5;

  private static final Duration LONGEST_HOLD = Duration.ofMinutes(15);

  private final AccessKeys keys;
  private final SessionStore store;
  private final InstantSource clock;
  private final Duration lifetime;

  public Sessions(AccessKeys keys, SessionStore store, InstantSource clock, Duration lifetime) {
    this.keys = keys;
    this.store = store;
    this.clock = clock;
    this.lifetime = lifetime;
  }

  /** How long a sign-in lasts. */
  public Duration lifetime() {
    return lifetime;
  }

  /** A signed-in key, with its session's CSRF token. */
  public record Session(String idHash, AccessKey key, String csrf, Instant expiresAt) {}

  /** What a sign-in came to. */
  public sealed interface SignIn {
    /** Signed in: {@code cookie} is the session's token, to be sent back as a cookie. */
    record SignedIn(String cookie, Session session) implements SignIn {}

    record Refused(String reason) implements SignIn {}

    /** Too many failures: no sign-in from there, right or wrong, until {@code until}. */
    record HeldOff(Instant until) implements SignIn {}
  }

  public SignIn signIn(String secretId, String secretKey, String address) {
    Instant now = clock.instant();
    for (String who : new String[] {"address " + address, "key " + secretId}) {
      Optional<Instant> held = store.failures(who).map(Sessions::heldUntil);
      if (held.isPresent() && held.get().isAfter(now)) {
        return new SignIn.HeldOff(held.get());
      }
    }
    Optional<AccessKey> key = keys.find(secretId);
    if (key.isEmpty()
        || !MessageDigest.isEqual(
            key.get().secretKey().getBytes(StandardCharsets.UTF_8),
            secretKey.getBytes(StandardCharsets.UTF_8))) {
      store.failed("address " + address, now);
      store.failed("key " + secretId, now);
      return new SignIn.Refused("the SecretId or the SecretKey is wrong");
    }
    store.forgive("address " + address);
    store.forgive("key " + secretId);
    String cookie = token();
    Session session = new Session(hash(cookie), key.get(), token(), now.plus(lifetime));
    store.insert(
        new SessionStore.StoredSession(
            session.idHash(), secretId, session.csrf(), session.expiresAt()),
        now);
    return new SignIn.SignedIn(cookie, session);
  }

  /** The session of a cookie, while it lasts and its key is not revoked. */
  public Optional<Session> find(String cookie) {
    if (cookie == null || cookie.isEmpty()) {
      return Optional.empty();
    }
    Instant now = clock.instant();
    return store
        .findSession(hash(cookie))
        .filter(s -> s.expiresAt().isAfter(now))
        .flatMap(
            s ->
                keys.find(s.secretId())
                    .map(key -> new Session(s.idHash(), key, s.csrf(), s.expiresAt())));
  }

  public void signOut(Session session) {
    store.delete(session.idHash());
  }

  /** Removes expired sessions, and failures old enough to be forgiven. */
  public int sweep() {
    Instant now = clock.instant();
    // a hold is at most LONGEST_HOLD long: once as long again has passed, it is forgiven
    store.forgiveFailuresBefore(now.minus(LONGEST_HOLD.multipliedBy(2)));
    return store.deleteExpired(now);
  }

  /**
   * Until when sign-ins are held off after {@code f}: from the {@value #FREE_FAILURES}th failure in
   * a row, 2 s after the last one, doubling with each failure up to 15 minutes.
   */
  private static Instant heldUntil(SessionStore.Failures f) {
    if (f.count() < FREE_FAILURES) {
      return f.lastFailedAt();
    }
    long seconds = Math.min(LONGEST_HOLD.toSeconds(), 1L << Math.min(20, f.count() - 4));
    return f.lastFailedAt().plusSeconds(seconds);
  }

  private static String token() {
    byte[] bytes = new byte[32];
    RANDOM.nextBytes(bytes);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }

  private static String hash(String cookie) {
    try {
      return HexFormat.of()
          .formatHex(
              MessageDigest.getInstance("SHA-256").digest(cookie.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
