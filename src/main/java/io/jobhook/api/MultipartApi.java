package io.jobhook.api;

import static io.jobhook.wire.Document.node;
import static io.jobhook.wire.Document.text;

import com.fasterxml.jackson.databind.JsonNode;
import io.javalin.http.Context;
import io.jobhook.object.DiskSpace;
import io.jobhook.object.MultipartRefused;
import io.jobhook.object.MultipartUpload;
import io.jobhook.object.MultipartUploads;
import io.jobhook.object.ObjectInfo;
import io.jobhook.object.ObjectStore;
import io.jobhook.object.UploadedPart;
import io.jobhook.wire.Document;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * COS multipart uploads (contract §3.13's object API, as the SDKs' TransferManager and uploadFile
 * use it for large files): initiate ({@code POST ?uploads}), upload a part ({@code PUT
 * ?partNumber&uploadId}), complete ({@code POST ?uploadId}), abort ({@code DELETE ?uploadId}), list
 * an upload's parts ({@code GET ?uploadId}) and a bucket's uploads ({@code GET /?uploads}).
 */
final class MultipartApi {

  private final MultipartUploads uploads;
  private final ObjectStore objects;
  private final DiskSpace disk;

  MultipartApi(MultipartUploads uploads, ObjectStore objects, DiskSpace disk) {
    this.uploads = uploads;
    this.objects = objects;
    this.disk = disk;
  }

  /**
   * Whether the request is a multipart upload call on an object; if so, answers it. The parameters
   * that make it one count only when its signature covers them: otherwise a captured request could
   * be turned into another call on someone's upload.
   */
  boolean handlesObject(Context ctx, VirtualHost host, RequestTarget target, String key)
      throws IOException {
    String uploadId = target.signedFlag("uploadId") ? target.param("uploadId") : null;
    String method = ctx.method().name();
    if (uploadId == null) {
      if (!target.signedFlag("uploads")) {
        return false;
      }
      if (!method.equals("POST")) {
        throw new ApiException(
            405, "MethodNotAllowed", "?uploads on an object takes POST (to initiate an upload)");
      }
      initiate(ctx, host, key);
      return true;
    }
    try {
      switch (method) {
        case "PUT" -> uploadPart(ctx, host, target, key, uploadId);
        case "POST" -> complete(ctx, host, key, uploadId);
        case "GET" -> listParts(ctx, host, target, key, uploadId);
        case "DELETE" -> {
          uploads.abort(host.bucket(), key, uploadId);
          ctx.status(204);
        }
        default ->
            throw new ApiException(
                405, "MethodNotAllowed", method + " is not allowed with ?uploadId");
      }
    } catch (MultipartRefused e) {
      throw new ApiException(
          e.reason == MultipartRefused.Reason.NO_SUCH_UPLOAD ? 404 : 400,
          e.reason.code,
          e.getMessage());
    }
    return true;
  }

  private void initiate(Context ctx, VirtualHost host, String key) {
    ObjectApi.UploadHeaders headers = ObjectApi.UploadHeaders.of(ctx.req());
    MultipartUpload upload =
        uploads.initiate(
            host.bucket(), key, ctx.req().getContentType(), headers.stored(), headers.sent());
    respond(
        ctx,
        node(
            "InitiateMultipartUploadResult",
            text("Bucket", host.bucket()),
            text("Key", key),
            text("UploadId", upload.uploadId())));
  }

  private void uploadPart(
      Context ctx, VirtualHost host, RequestTarget target, String key, String uploadId)
      throws IOException {
    int number =
        target.signedFlag("partNumber")
            ? QueryParams.integer(target, "partNumber", -1, 1, MultipartUploads.MAX_PART_NUMBER)
            : -1;
    if (number < 0) {
      throw ApiException.invalidArgument("partNumber is required to upload a part");
    }
    Optional<CopySource> source = CopySource.of(ctx);
    if (source.isPresent()) {
      copyPart(ctx, host, key, uploadId, number, source.get());
      return;
    }
    UploadedPart part =
        ObjectApi.receive(
            ctx,
            disk,
            key,
            (body, length, md5) ->
                uploads.uploadPart(host.bucket(), key, uploadId, number, body, length, md5));
    ctx.header("ETag", ObjectApi.etag(part.md5Hex()));
    ctx.status(200);
  }

  /**
   * Upload Part - Copy: the part is a range of another object ({@code x-cos-copy-source-range}).
   */
  private void copyPart(
      Context ctx, VirtualHost host, String key, String uploadId, int number, CopySource source)
      throws IOException {
    UploadedPart part;
    try (CopySource.Opened from = source.open(objects, ctx, true)) {
      ObjectApi.requireRoom(disk, from.length());
      part =
          uploads.uploadPart(
              host.bucket(), key, uploadId, number, from.content(), from.length(), null);
    }
    respond(
        ctx,
        node(
            "CopyPartResult",
            text("ETag", ObjectApi.etag(part.md5Hex())),
            text("LastModified", CosListings.time(part.lastModified()))));
  }

  private void complete(Context ctx, VirtualHost host, String key, String uploadId)
      throws IOException {
    JsonNode doc =
        CiXml.parse(HttpServer.readBody(ctx, CiXml.MAX_BODY_BYTES), "CompleteMultipartUpload");
    List<JsonNode> items = CiXml.repeated(doc, "Part");
    List<MultipartUploads.ChosenPart> chosen = new ArrayList<>(items.size());
    for (JsonNode item : items) {
      String number = CiXml.text(item, "PartNumber");
      String etag = CiXml.text(item, "ETag");
      if (number == null || etag == null) {
        throw ApiException.malformedXml("each <Part> needs a <PartNumber> and an <ETag>");
      }
      try {
        chosen.add(new MultipartUploads.ChosenPart(Integer.parseInt(number.trim()), etag));
      } catch (NumberFormatException e) {
        throw ApiException.malformedXml("<PartNumber> '" + number + "' is not a number");
      }
    }
    ObjectInfo info = uploads.complete(host.bucket(), key, uploadId, chosen);
    respond(
        ctx,
        node(
            "CompleteMultipartUploadResult",
            text("Location", ctx.host() + "/" + key),
            text("Bucket", host.bucket()),
            text("Key", key),
            text("ETag", ObjectApi.etag(info.md5Hex()))));
  }

  private void listParts(
      Context ctx, VirtualHost host, RequestTarget target, String key, String uploadId) {
    Listing answer = Listing.of(host, target);
    List<Document> children = answer.children();
    UnaryOperator<String> encode = answer.encode();
    int max =
        QueryParams.integer(target, "max-parts", CosListings.MAX_PAGE, 1, CosListings.MAX_PAGE);
    int marker =
        QueryParams.integer(target, "part-number-marker", 0, 0, MultipartUploads.MAX_PART_NUMBER);
    MultipartUploads.PartListing listing =
        uploads.parts(host.bucket(), key, uploadId, marker, max + 1);
    boolean truncated = listing.parts().size() > max;
    List<UploadedPart> parts = firstOf(listing.parts(), max);
    children.add(text("Key", encode.apply(key)));
    children.add(text("UploadId", uploadId));
    children.add(text("StorageClass", "STANDARD"));
    children.add(text("PartNumberMarker", Integer.toString(marker)));
    children.add(
        text(
            "NextPartNumberMarker",
            Integer.toString(parts.isEmpty() ? marker : parts.getLast().number())));
    children.add(text("MaxParts", Integer.toString(max)));
    children.add(text("IsTruncated", Boolean.toString(truncated)));
    for (UploadedPart p : parts) {
      children.add(
          node(
              "Part",
              text("PartNumber", Integer.toString(p.number())),
              text("LastModified", CosListings.time(p.lastModified())),
              text("ETag", ObjectApi.etag(p.md5Hex())),
              text("Size", Long.toString(p.size()))));
    }
    respond(ctx, new Document.Node("ListPartsResult", children));
  }

  /** {@code GET /?uploads} on a bucket: its uploads not yet completed or aborted. */
  void listUploads(Context ctx, VirtualHost host, RequestTarget target) {
    if (!ctx.method().name().equals("GET")) {
      throw new ApiException(
          405, "MethodNotAllowed", "?uploads on a bucket takes GET (to list its uploads)");
    }
    if (QueryParams.text(target, "delimiter") != null) {
      throw new ApiException(
          501,
          "NotImplemented",
          "listing uploads grouped by a delimiter is not implemented by jobhook");
    }
    String prefix = target.param("prefix") == null ? "" : target.param("prefix");
    String keyMarker = QueryParams.text(target, "key-marker");
    String uploadIdMarker = QueryParams.text(target, "upload-id-marker");
    int max =
        QueryParams.integer(target, "max-uploads", CosListings.MAX_PAGE, 1, CosListings.MAX_PAGE);
    Listing answer = Listing.of(host, target);
    List<Document> children = answer.children();
    UnaryOperator<String> encode = answer.encode();
    List<MultipartUpload> found =
        uploads.uploads(host.bucket(), prefix, keyMarker, uploadIdMarker, max + 1);
    boolean truncated = found.size() > max;
    List<MultipartUpload> listed = firstOf(found, max);
    children.add(text("KeyMarker", encode.apply(keyMarker)));
    children.add(text("UploadIdMarker", uploadIdMarker));
    children.add(text("NextKeyMarker", truncated ? encode.apply(listed.getLast().key()) : ""));
    children.add(text("NextUploadIdMarker", truncated ? listed.getLast().uploadId() : ""));
    children.add(text("MaxUploads", Integer.toString(max)));
    children.add(text("IsTruncated", Boolean.toString(truncated)));
    children.add(text("Prefix", encode.apply(prefix)));
    for (MultipartUpload u : listed) {
      children.add(
          node(
              "Upload",
              text("Key", encode.apply(u.key())),
              text("UploadId", u.uploadId()),
              text("StorageClass", "STANDARD"),
              text("Initiated", CosListings.time(u.initiated()))));
    }
    respond(ctx, new Document.Node("ListMultipartUploadsResult", children));
  }

  /**
   * A listing's first elements ({@code Bucket}, and {@code EncodingType} when asked for), and how
   * it writes keys: as they are, or URL-encoded for {@code encoding-type=url}.
   */
  private record Listing(List<Document> children, UnaryOperator<String> encode) {
    static Listing of(VirtualHost host, RequestTarget target) {
      UnaryOperator<String> encode = CosListings.keyEncoding(target);
      List<Document> children = new ArrayList<>();
      children.add(text("Bucket", host.bucket()));
      if (target.param("encoding-type") != null) {
        children.add(text("EncodingType", "url"));
      }
      return new Listing(children, encode);
    }
  }

  /** A listing fetches one more than it shows, to know whether it is truncated. */
  private static <T> List<T> firstOf(List<T> found, int max) {
    return found.subList(0, Math.min(max, found.size()));
  }

  private static void respond(Context ctx, Document.Node root) {
    ctx.status(200).contentType("application/xml").result(Document.toXml(root));
  }
}
