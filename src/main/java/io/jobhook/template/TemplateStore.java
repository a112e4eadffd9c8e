package io.jobhook.template;

import java.util.List;
import java.util.Optional;

/** Where templates are kept: a port, implemented at the storage edge. */
public interface TemplateStore {
  void insert(Template template);

  /** Replaces the template's name, tag and settings; false when it does not exist. */
  boolean update(Template template);

  Optional<Template> find(String bucket, String templateId);

  /** The bucket's templates, oldest first. */
  List<Template> list(String bucket);

  /** False when it did not exist. */
  boolean delete(String bucket, String templateId);
}
