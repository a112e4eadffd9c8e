package io.jobhook.storage;

import com.fasterxml.jackson.core.type.TypeReference;
import io.jobhook.engine.StorageUnavailableException;
import io.jobhook.engine.Transaction;
import io.jobhook.object.CosHeader;
import io.jobhook.object.MultipartIndex;
import io.jobhook.object.MultipartRefused;
import io.jobhook.object.MultipartUpload;
import io.jobhook.object.UploadedPart;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** {@link MultipartIndex} on JDBC. */
public final class JdbcMultipartIndex implements MultipartIndex {
  private static final TypeReference<List<CosHeader>> HEADERS = new TypeReference<>() {};
  private static final String UPLOAD_COLUMNS =
      "upload_id, bucket, object_key, content_type, user_meta, upload_headers, initiated";

  private final Database db;

  public JdbcMultipartIndex(Database db) {
    this.db = db;
  }

  @Override
  public void create(MultipartUpload upload) {
    db.inTransaction(
        c ->
            Sql.update(
                c,
                "INSERT INTO multipart_uploads ("
                    + UPLOAD_COLUMNS
                    + ") VALUES (?, ?, ?, ?, ?, ?, ?)",
                upload.uploadId(),
                upload.bucket(),
                upload.key(),
                upload.contentType(),
                JsonColumns.write(upload.storedHeaders()),
                JsonColumns.writeValue(upload.headers()),
                upload.initiated()));
  }

  @Override
  public Optional<MultipartUpload> find(String uploadId) {
    return db.read(
        c ->
            Sql.first(
                c,
                "SELECT " + UPLOAD_COLUMNS + " FROM multipart_uploads WHERE upload_id = ?",
                JdbcMultipartIndex::upload,
                uploadId));
  }

  @Override
  public Optional<String> putPart(String uploadId, UploadedPart part) {
    return db.inTransaction(
        c -> {
          // a write to the upload's row: on PostgreSQL it waits for, and then sees, an end that
          // another node is committing, so that no part is recorded for an ended upload
          if (Sql.update(
                  c,
                  "UPDATE multipart_uploads SET initiated = initiated WHERE upload_id = ?",
                  uploadId)
              == 0) {
            throw new MultipartRefused(
                MultipartRefused.Reason.NO_SUCH_UPLOAD,
                "the multipart upload "
                    + uploadId
                    + " ended while part "
                    + part.number()
                    + " was being sent");
          }
          if (!JdbcObjectIndex.settle(c, part.blob())) {
            throw new StorageUnavailableException(
                "the blob of part "
                    + part.number()
                    + " was swept as an orphan before the part was recorded; send it again",
                null);
          }
          Optional<String> replaced =
              Sql.first(
                  c,
                  "SELECT blob FROM multipart_parts WHERE upload_id = ? AND part_number = ?",
                  rs -> rs.getString(1),
                  uploadId,
                  part.number());
          Sql.update(
              c,
              replaced.isPresent()
                  ? "UPDATE multipart_parts SET blob = ?, size = ?, md5 = ?, last_modified = ?"
                      + " WHERE upload_id = ? AND part_number = ?"
                  : "INSERT INTO multipart_parts (blob, size, md5, last_modified, upload_id,"
                      + " part_number) VALUES (?, ?, ?, ?, ?, ?)",
              part.blob(),
              part.size(),
              part.md5Hex(),
              part.lastModified(),
              uploadId,
              part.number());
          return replaced;
        });
  }

  @Override
  public List<UploadedPart> parts(String uploadId, int afterNumber, int limit) {
    return db.read(
        c ->
            Sql.list(
                c,
                "SELECT part_number, blob, size, md5, last_modified FROM multipart_parts"
                    + " WHERE upload_id = ? AND part_number > ? ORDER BY part_number LIMIT ?",
                rs ->
                    new UploadedPart(
                        rs.getInt("part_number"),
                        rs.getString("blob"),
                        rs.getLong("size"),
                        rs.getString("md5"),
                        Sql.instant(rs, "last_modified")),
                uploadId,
                afterNumber,
                limit));
  }

  @Override
  public List<MultipartUpload> uploads(
      String bucket, String prefix, String keyMarker, String uploadIdMarker, int limit) {
    String key = keyMarker == null ? "" : keyMarker;
    // with an upload id marker, the key marker's later uploads too; without, none of that key's
    boolean withinKey = keyMarker != null && uploadIdMarker != null;
    List<Object> args =
        new ArrayList<>(List.of(bucket, prefix.codePointCount(0, prefix.length()), prefix, key));
    if (withinKey) {
      args.addAll(List.of(key, uploadIdMarker));
    }
    args.add(limit);
    return db.read(
        c ->
            Sql.list(
                c,
                "SELECT "
                    + UPLOAD_COLUMNS
                    + " FROM multipart_uploads WHERE bucket = ? AND substr(object_key, 1, ?) = ?"
                    + (withinKey
                        ? " AND (" + key(">") + " OR (object_key = ? AND upload_id > ?))"
                        : " AND " + key(">"))
                    + " ORDER BY "
                    + db.dialect().inKeyOrder("object_key")
                    + ", upload_id LIMIT ?",
                JdbcMultipartIndex::upload,
                args.toArray()));
  }

  @Override
  public List<MultipartUpload> initiatedBefore(Instant cutoff, int limit) {
    return db.read(
        c ->
            Sql.list(
                c,
                "SELECT "
                    + UPLOAD_COLUMNS
                    + " FROM multipart_uploads WHERE initiated < ? ORDER BY initiated LIMIT ?",
                JdbcMultipartIndex::upload,
                cutoff,
                limit));
  }

  @Override
  public Optional<List<String>> end(Transaction tx, String uploadId) {
    return JdbcTransactions.within(
        tx,
        c -> {
          if (Sql.update(c, "DELETE FROM multipart_uploads WHERE upload_id = ?", uploadId) == 0) {
            return Optional.empty();
          }
          List<String> blobs =
              Sql.list(
                  c,
                  "SELECT blob FROM multipart_parts WHERE upload_id = ?",
                  rs -> rs.getString(1),
                  uploadId);
          Sql.update(c, "DELETE FROM multipart_parts WHERE upload_id = ?", uploadId);
          return Optional.of(blobs);
        });
  }

  /** {@code object_key} compared with a parameter in COS's key order. */
  private String key(String comparison) {
    return db.dialect().inKeyOrder("object_key") + " " + comparison + " ?";
  }

  private static MultipartUpload upload(ResultSet rs) throws SQLException {
    return new MultipartUpload(
        rs.getString("upload_id"),
        rs.getString("bucket"),
        rs.getString("object_key"),
        rs.getString("content_type"),
        JsonColumns.read(rs.getString("user_meta")),
        JsonColumns.readValue(rs.getString("upload_headers"), HEADERS),
        Sql.instant(rs, "initiated"));
  }
}
