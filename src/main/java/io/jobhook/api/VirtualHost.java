package io.jobhook.api;

import java.util.Locale;

/**
 * What the {@code Host} header says (contract §1.1): {@code <bucket>.<service>.<region>.<domain>},
 * where service is {@code ci} (media API), {@code cos} (objects) or {@code pic}.
 */
public record VirtualHost(String bucket, Service service, String region) {

  /** The API a request is for. */
  public enum Service {
    CI,
    COS
  }

  /**
   * Whether a Host header names a bucket's endpoint ({@code <bucket>.ci|pic|cos.<region>...});
   * other hosts (an address, {@code localhost}, a plain name) reach jobhook's own paths such as
   * /healthz.
   */
  public static boolean namesBucket(String host) {
    if (host == null) {
      return false;
    }
    String[] labels = host.trim().toLowerCase(Locale.ROOT).split("\\.");
    return labels.length >= 3
        && (labels[1].equals("ci") || labels[1].equals("pic") || labels[1].equals("cos"));
  }

  /**
   * The first label of {@code service.cos.myqcloud.com}, where the SDKs list buckets: no bucket's
   * name (those end in their app id).
   */
  private static final String SERVICE = "service";

  /** A Host header's name, lower-cased, without its port. */
  static String hostName(String host) {
    String h = host.trim().toLowerCase(Locale.ROOT);
    int colon = h.lastIndexOf(':');
    return colon > 0 && h.indexOf(']') < colon ? h.substring(0, colon) : h;
  }

  public static VirtualHost parse(String host) {
    if (host == null || host.isBlank()) {
      throw new ApiException(400, "InvalidURI", "the Host header is missing");
    }
    String[] labels = hostName(host).split("\\.");
    if (labels.length < 3 || labels[0].isEmpty()) {
      throw new ApiException(
          400,
          "InvalidURI",
          "Host '"
              + host
              + "' names no bucket: expected <bucket>.ci.<region>.<domain> or <bucket>.cos.<region>.<domain>");
    }
    Service service =
        switch (labels[1]) {
          case "ci", "pic" -> Service.CI;
          case "cos" -> Service.COS;
          default ->
              throw new ApiException(
                  400, "InvalidURI", "Host '" + host + "' is neither a ci nor a cos endpoint");
        };
    String bucket = labels[0];
    if (service == Service.COS && bucket.equals(SERVICE)) {
      throw new ApiException(
          400,
          "InvalidURI",
          "the service host answers GET / (listing buckets) only; objects are under their"
              + " bucket's host <bucket>-<appid>.cos.<region>.myqcloud.com");
    }
    if (!bucket.matches("[a-z0-9][a-z0-9-]{0,62}")) {
      throw new ApiException(
          400, "InvalidBucketName", "bucket name '" + labels[0] + "' is not valid");
    }
    return new VirtualHost(bucket, service, labels[2]);
  }
}
