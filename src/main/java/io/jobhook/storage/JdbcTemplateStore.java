package io.jobhook.storage;

import io.jobhook.template.Template;
import io.jobhook.template.TemplateStore;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;

/** {@link TemplateStore} on JDBC. */
public final class JdbcTemplateStore implements TemplateStore {
  private final Database db;

  public JdbcTemplateStore(Database db) {
    this.db = db;
  }

  @Override
  public void insert(Template t) {
    db.inTransaction(
        c -> {
          Sql.update(
              c,
              "INSERT INTO templates (id, bucket, name, tag, settings, created_at, updated_at)"
                  + " VALUES (?, ?, ?, ?, ?, ?, ?)",
              t.id(),
              t.bucket(),
              t.name(),
              t.tag(),
              JsonColumns.write(t.settings()),
              t.createTime(),
              t.updateTime());
          return null;
        });
  }

  @Override
  public boolean update(Template t) {
    return db.inTransaction(
        c ->
            Sql.atMostOne(
                Sql.update(
                    c,
                    "UPDATE templates SET name = ?, tag = ?, settings = ?, updated_at = ?"
                        + " WHERE id = ? AND bucket = ?",
                    t.name(),
                    t.tag(),
                    JsonColumns.write(t.settings()),
                    t.updateTime(),
                    t.id(),
                    t.bucket()),
                "template update"));
  }

  @Override
  public Optional<Template> find(String bucket, String templateId) {
    List<Template> found =
        select("SELECT * FROM templates WHERE bucket = ? AND id = ?", bucket, templateId);
    return found.stream().findFirst();
  }

  @Override
  public List<Template> list(String bucket) {
    return select("SELECT * FROM templates WHERE bucket = ? ORDER BY created_at, id", bucket);
  }

  @Override
  public boolean delete(String bucket, String templateId) {
    return db.inTransaction(
        c ->
            Sql.atMostOne(
                Sql.update(
                    c, "DELETE FROM templates WHERE id = ? AND bucket = ?", templateId, bucket),
                "template delete"));
  }

  private List<Template> select(String sql, Object... args) {
    return db.read(c -> Sql.list(c, sql, JdbcTemplateStore::map, args));
  }

  private static Template map(ResultSet rs) throws SQLException {
    return new Template(
        rs.getString("id"),
        rs.getString("bucket"),
        rs.getString("name"),
        rs.getString("tag"),
        JsonColumns.read(rs.getString("settings")),
        Sql.instant(rs, "created_at"),
        Sql.instant(rs, "updated_at"));
  }
}
