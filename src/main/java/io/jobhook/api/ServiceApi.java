package io.jobhook.api;

import static io.jobhook.wire.Document.node;
import static io.jobhook.wire.Document.text;

import io.javalin.http.Context;
import io.jobhook.access.AccessKey;
import io.jobhook.object.BucketStore;
import io.jobhook.object.Buckets;
import io.jobhook.wire.Document;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * COS's GET Service (List Buckets), on {@code service.cos.myqcloud.com} or, for one region's
 * buckets, {@code cos.<region>.myqcloud.com}: the buckets in use that the caller's key may read, by
 * name, with {@code marker} and {@code max-keys}.
 */
final class ServiceApi {
  private static final String DOMAIN = ".myqcloud.com";

  private final Buckets buckets;

  ServiceApi(Buckets buckets) {
    this.buckets = buckets;
  }

  /**
   * The host of the service: empty for any other; the region it names, "" for all of them. Only the
   * SDKs' own names count, so that jobhook's pages stay reachable under any other host.
   */
  static Optional<String> region(String host) {
    if (host == null) {
      return Optional.empty();
    }
    String h = VirtualHost.hostName(host);
    if (h.equals("service.cos" + DOMAIN)) {
      return Optional.of("");
    }
    if (h.startsWith("cos.") && h.endsWith(DOMAIN)) {
      String region = h.substring("cos.".length(), h.length() - DOMAIN.length());
      if (region.matches("[a-z0-9-]+")) {
        return Optional.of(region);
      }
    }
    return Optional.empty();
  }

  void list(Context ctx, String region, AccessKey caller, RequestTarget target) {
    if (!ctx.method().name().equals("GET")) {
      throw new ApiException(405, "MethodNotAllowed", "the service host answers GET only");
    }
    if (caller == null) {
      throw new ApiException(403, "AccessDenied", "listing buckets needs a signed request");
    }
    for (String filter : List.of("tagkey", "tagvalue", "create-time", "range")) {
      if (target.param(filter) != null) {
        throw new ApiException(
            501,
            "NotImplemented",
            "listing buckets by " + filter + " is not implemented by jobhook");
      }
    }
    String marker = QueryParams.text(target, "marker");
    int maxKeys =
        QueryParams.integer(target, "max-keys", CosListings.MAX_PAGE, 1, CosListings.MAX_PAGE);
    List<BucketStore.Bucket> readable =
        buckets.list(region.isEmpty() ? null : region).stream()
            .filter(b -> caller.scope().allows(b.name(), false))
            .filter(b -> marker == null || b.name().compareTo(marker) > 0)
            .toList();
    List<BucketStore.Bucket> page = readable.subList(0, Math.min(maxKeys, readable.size()));
    boolean truncated = readable.size() > page.size();

    List<Document> listed = new ArrayList<>();
    for (BucketStore.Bucket b : page) {
      listed.add(
          node(
              "Bucket",
              text("Name", b.name()),
              text("Location", b.region()),
              text("CreationDate", CosListings.time(b.created())),
              text("BucketType", "cos")));
    }
    List<Document> children = new ArrayList<>();
    children.add(
        node("Owner", text("ID", caller.secretId()), text("DisplayName", caller.secretId())));
    children.add(new Document.Node("Buckets", listed));
    children.add(text("Marker", marker == null ? "" : marker));
    children.add(text("IsTruncated", Boolean.toString(truncated)));
    if (truncated) {
      children.add(text("NextMarker", page.getLast().name()));
    }
    ctx.status(200)
        .contentType("application/xml")
        .result(Document.toXml(new Document.Node("ListAllMyBucketsResult", children)));
  }
}
