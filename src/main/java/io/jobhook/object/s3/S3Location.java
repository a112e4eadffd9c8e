package io.jobhook.object.s3;

import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Where blobs go, parsed from {@code s3://BUCKET[/PREFIX]?endpoint=URL&region=R&pathStyle=true}:
 * the bucket, a key prefix (empty, or ending in "/"), an endpoint (null for AWS's own), a region
 * (null for the SDK's default chain) and whether to address the bucket in the path (as S3Proxy,
 * MinIO and Ceph usually want).
 */
public record S3Location(
    String bucket, String prefix, URI endpoint, String region, boolean pathStyle) {

  public static S3Location parse(String spec) {
    URI uri;
    try {
      uri = new URI(spec);
    } catch (java.net.URISyntaxException e) {
      throw new IllegalArgumentException("--object-store '" + spec + "' is not a URI", e);
    }
    if (!"s3".equals(uri.getScheme()) || uri.getHost() == null || uri.getHost().isEmpty()) {
      throw new IllegalArgumentException(
          "--object-store must look like s3://BUCKET[/PREFIX]?endpoint=URL&region=R&pathStyle=true,"
              + " not '"
              + spec
              + "'");
    }
    String path = uri.getPath() == null ? "" : uri.getPath().replaceAll("^/+", "");
    String prefix = path.isEmpty() || path.endsWith("/") ? path : path + "/";
    Map<String, String> query = new LinkedHashMap<>();
    if (uri.getRawQuery() != null) {
      for (String part : uri.getRawQuery().split("&")) {
        if (part.isEmpty()) {
          continue;
        }
        int eq = part.indexOf('=');
        String name =
            URLDecoder.decode(eq < 0 ? part : part.substring(0, eq), StandardCharsets.UTF_8);
        String value =
            eq < 0 ? "" : URLDecoder.decode(part.substring(eq + 1), StandardCharsets.UTF_8);
        if (!Map.of("endpoint", 1, "region", 1, "pathStyle", 1).containsKey(name)) {
          throw new IllegalArgumentException(
              "--object-store: unknown parameter '" + name + "' (endpoint, region, pathStyle)");
        }
        query.put(name, value);
      }
    }
    String endpoint = query.get("endpoint");
    String pathStyle = query.getOrDefault("pathStyle", "false");
    if (!pathStyle.equals("true") && !pathStyle.equals("false")) {
      throw new IllegalArgumentException("--object-store: pathStyle must be true or false");
    }
    return new S3Location(
        uri.getHost(),
        prefix,
        endpoint == null || endpoint.isEmpty() ? null : URI.create(endpoint),
        query.get("region"),
        Boolean.parseBoolean(pathStyle));
  }

  /** The spec again, for the configuration log (it holds no secrets). */
  @Override
  public String toString() {
    return "s3://"
        + bucket
        + "/"
        + prefix
        + (endpoint == null ? "" : " endpoint=" + endpoint)
        + (region == null ? "" : " region=" + region)
        + (pathStyle ? " pathStyle" : "");
  }
}
