package io.jobhook.api;

import static io.jobhook.wire.Document.node;
import static io.jobhook.wire.Document.text;

import io.javalin.http.Context;
import io.jobhook.object.ObjectInfo;
import io.jobhook.object.ObjectListing;
import io.jobhook.object.ObjectStore;
import io.jobhook.wire.Document;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.UnaryOperator;

/**
 * COS's GET Bucket (List Objects): a bucket's objects in key order, a page at a time, with {@code
 * prefix}, {@code delimiter} (common prefixes), {@code marker}, {@code max-keys} and {@code
 * encoding-type}.
 */
final class ObjectListingApi {
  /** The query parameters a listing takes (lower-cased, as q-sign lists them). */
  static final Set<String> PARAMS =
      Set.of("prefix", "delimiter", "marker", "max-keys", "encoding-type");

  private final ObjectStore objects;

  ObjectListingApi(ObjectStore objects) {
    this.objects = objects;
  }

  void list(Context ctx, VirtualHost host, RequestTarget target) {
    UnaryOperator<String> encode = CosListings.keyEncoding(target);
    String prefix = target.param("prefix") == null ? "" : target.param("prefix");
    String delimiter = QueryParams.text(target, "delimiter");
    String marker = QueryParams.text(target, "marker");
    int maxKeys =
        QueryParams.integer(target, "max-keys", CosListings.MAX_PAGE, 1, CosListings.MAX_PAGE);
    ObjectListing page = objects.list(host.bucket(), prefix, delimiter, marker, maxKeys);

    List<Document> children = new ArrayList<>();
    children.add(text("Name", host.bucket()));
    if (target.param("encoding-type") != null) {
      children.add(text("EncodingType", "url"));
    }
    children.add(text("Prefix", encode.apply(prefix)));
    children.add(text("Marker", encode.apply(marker)));
    children.add(text("MaxKeys", Integer.toString(maxKeys)));
    if (delimiter != null) {
      children.add(text("Delimiter", encode.apply(delimiter)));
    }
    children.add(text("IsTruncated", Boolean.toString(page.truncated())));
    if (page.truncated()) {
      children.add(text("NextMarker", encode.apply(page.nextMarker())));
    }
    for (ObjectInfo o : page.objects()) {
      children.add(
          node(
              "Contents",
              text("Key", encode.apply(o.key())),
              text("LastModified", CosListings.time(o.lastModified())),
              text("ETag", ObjectApi.etag(o.md5Hex())),
              text("Size", Long.toString(o.size())),
              text("StorageClass", "STANDARD")));
    }
    for (String common : page.commonPrefixes()) {
      children.add(node("CommonPrefixes", text("Prefix", encode.apply(common))));
    }
    ctx.status(200)
        .contentType("application/xml")
        .result(Document.toXml(new Document.Node("ListBucketResult", children)));
  }
}
