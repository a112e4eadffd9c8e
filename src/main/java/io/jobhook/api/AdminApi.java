package io.jobhook.api;

import static io.jobhook.wire.Document.node;
import static io.jobhook.wire.Document.text;

import io.javalin.http.Context;
import io.jobhook.access.AccessKey;
import io.jobhook.access.AccessKeys;
import io.jobhook.access.AuditLog;
import io.jobhook.access.Scope;
import io.jobhook.wire.CiTimes;
import io.jobhook.wire.Document;
import java.util.ArrayList;
import java.util.List;

/**
 * jobhook's administration, on hosts that name no bucket, for the administrator's key only: access
 * keys ({@code /admin/keys}) and the audit log ({@code /admin/audit}). XML by default, JSON with
 * {@code ?format=json} or {@code Accept: application/json}, like jobhook's other own endpoints.
 */
final class AdminApi {
  private final AccessKeys keys;
  private final CiTimes times;

  AdminApi(AccessKeys keys, CiTimes times) {
    this.keys = keys;
    this.times = times;
  }

  void handle(Context ctx, AccessKey caller, RequestTarget target, String requestId) {
    // never anonymous, not even with --allow-anonymous
    if (caller == null || !caller.scope().administrator()) {
      throw new ApiException(
          403, "AccessDenied", "only the administrator's key (JOBHOOK_SECRET_ID) administers");
    }
    target.requireAllSigned();
    String actor = caller.secretId();
    String method = ctx.method().name();
    String[] segments = target.path().substring(1).split("/", -1);
    String resource = segments.length > 1 ? segments[1] : "";
    List<Document> children = new ArrayList<>();
    children.add(text("RequestId", requestId));
    if (resource.equals("keys") && segments.length == 2 && method.equals("GET")) {
      children.add(
          new Document.Repeated("AccessKey", keys.list().stream().map(this::info).toList()));
    } else if (resource.equals("keys") && segments.length == 2 && method.equals("POST")) {
      String listed = QueryParams.required(target, "buckets");
      List<String> buckets = new ArrayList<>();
      if (!listed.trim().equals("*")) { // "*": every bucket
        for (String bucket : listed.split(",")) {
          buckets.add(bucket.trim());
        }
      }
      boolean readOnly = "true".equals(QueryParams.text(target, "readOnly"));
      String description = QueryParams.text(target, "description");
      AccessKey created;
      try {
        created =
            keys.create(actor, buckets, readOnly, description == null ? "" : description.trim());
      } catch (IllegalArgumentException e) {
        throw ApiException.invalidArgument(e.getMessage());
      }
      children.add(
          node(
              "AccessKey",
              text("SecretId", created.secretId()),
              text("SecretKey", created.secretKey()),
              scope(created.scope()),
              text("Description", created.description()),
              text("CreationTime", times.format(created.createdAt()))));
    } else if (resource.equals("keys") && segments.length == 3 && method.equals("DELETE")) {
      boolean revoked;
      try {
        revoked = keys.revoke(actor, segments[2]);
      } catch (IllegalArgumentException e) {
        throw ApiException.invalidArgument(e.getMessage());
      }
      if (!revoked) {
        throw new ApiException(
            404, "NoSuchAccessKey", "access key " + segments[2] + " does not exist or is revoked");
      }
      children.add(text("Revoked", segments[2]));
    } else if (resource.equals("audit") && segments.length == 2 && method.equals("GET")) {
      String before = QueryParams.text(target, "nextToken");
      Long beforeSeq;
      try {
        beforeSeq = before == null || before.isEmpty() ? null : Long.parseLong(before);
      } catch (NumberFormatException e) {
        throw ApiException.invalidArgument("nextToken must be a token from an earlier page");
      }
      int size = QueryParams.integer(target, "size", 100, 1, 1000);
      List<AuditLog.Entry> entries = keys.auditLog(beforeSeq, size);
      children.add(
          new Document.Repeated(
              "Entry",
              entries.stream()
                  .map(
                      e ->
                          node(
                              "Entry",
                              text("Time", times.format(e.at())),
                              text("SecretId", e.actor()),
                              text("Action", e.action()),
                              text("Bucket", e.bucket()),
                              text("Target", e.target()),
                              text("Outcome", e.outcome().wireName())))
                  .toList()));
      children.add(
          text("NextToken", entries.size() == size ? Long.toString(entries.getLast().seq()) : ""));
    } else {
      throw new ApiException(
          404, "NoSuchResource", target.path() + " is not one of /admin/keys, /admin/audit");
    }
    CallbacksApi.respond(ctx, target, new Document.Node("Response", children));
  }

  private Document.Node info(AccessKeys.KeyInfo k) {
    return node(
        "AccessKey",
        text("SecretId", k.secretId()),
        scope(k.scope()),
        text("Description", k.description()),
        text("CreationTime", times.format(k.createdAt())),
        text("CreatedBy", k.createdBy()),
        text("RevokedTime", times.format(k.revokedAt())),
        text("State", k.revokedAt() == null ? "Active" : "Revoked"));
  }

  private static Document.Node scope(Scope scope) {
    return node(
        "Scope",
        text("Administrator", Boolean.toString(scope.administrator())),
        text("Buckets", scope.buckets().isEmpty() ? "*" : String.join(",", scope.buckets())),
        text("ReadOnly", Boolean.toString(scope.readOnly())));
  }
}
