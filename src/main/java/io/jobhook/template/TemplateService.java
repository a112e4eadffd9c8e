package io.jobhook.template;

import io.jobhook.engine.Ids;
import io.jobhook.job.JobService;
import io.jobhook.job.JobTemplate;
import io.jobhook.job.JobTemplates;
import io.jobhook.job.JobsException;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/** Templates of a bucket: create, update, list, delete. Thread-safe. */
public final class TemplateService {
  /** CI's rule for template names: Chinese characters, letters, digits, _, - and *. */
  private static final Pattern NAME = Pattern.compile("[\\p{IsHan}A-Za-z0-9_*-]{1,64}");

  /** The most templates a bucket holds: listings read a bucket's templates whole. */
  static final int MAX_PER_BUCKET = 1000;

  private final TemplateStore store;
  private final JobService jobs;
  private final TemplateReferences references;
  private final InstantSource clock;

  /**
   * {@code jobs} checks a template's settings as its kind would; {@code references} says who holds
   * a template in use.
   */
  public TemplateService(
      TemplateStore store, JobService jobs, TemplateReferences references, InstantSource clock) {
    this.store = store;
    this.jobs = jobs;
    this.references = references;
    this.clock = clock;
  }

  /** How jobs find templates: straight from the store, so it exists before the job service. */
  public static JobTemplates lookup(TemplateStore store) {
    return (bucket, templateId) ->
        store
            .find(bucket, templateId)
            .map(t -> new JobTemplate(t.id(), t.name(), t.tag(), t.settings()));
  }

  /** What a client sends to create or replace a template. */
  public record Definition(String tag, String name, Map<String, String> settings) {}

  public Template create(String bucket, Definition definition) {
    check(definition);
    if (store.list(bucket).size() >= MAX_PER_BUCKET) {
      throw new TemplatesException.InvalidTemplate(
          "a bucket holds at most " + MAX_PER_BUCKET + " templates");
    }
    Instant now = clock.instant();
    Template template =
        new Template(
            "t" + Ids.hex32(),
            bucket,
            definition.name(),
            definition.tag(),
            definition.settings(),
            now,
            now);
    store.insert(template);
    return template;
  }

  public Template update(String bucket, String templateId, Definition definition) {
    Template old = get(bucket, templateId);
    check(definition);
    if (!definition.tag().equals(old.tag())) {
      throw new TemplatesException.InvalidTemplate(
          "template " + templateId + " is a " + old.tag() + " template; its Tag cannot change");
    }
    Template updated =
        new Template(
            old.id(),
            bucket,
            definition.name(),
            old.tag(),
            definition.settings(),
            old.createTime(),
            clock.instant());
    if (!store.update(updated)) {
      throw new TemplatesException.NoSuchTemplate(templateId);
    }
    return updated;
  }

  public Template get(String bucket, String templateId) {
    return store
        .find(bucket, templateId)
        .orElseThrow(() -> new TemplatesException.NoSuchTemplate(templateId));
  }

  /** The bucket's templates that pass {@code filter}, oldest first. */
  public List<Template> list(String bucket, TemplateFilter filter) {
    if (filter.category() != null && !filter.category().equals(Template.CATEGORY)) {
      return List.of();
    }
    return store.list(bucket).stream()
        .filter(t -> filter.tag() == null || t.tag().equals(filter.tag()))
        .filter(t -> filter.ids() == null || filter.ids().contains(t.id()))
        .filter(t -> filter.name() == null || t.name().equals(filter.name()))
        .toList();
  }

  /**
   * Refused while a workflow will still start jobs naming the template (Active, or with runs in
   * flight): those jobs would fail.
   */
  public void delete(String bucket, String templateId) {
    get(bucket, templateId);
    List<String> users = references.activeUsers(bucket, templateId);
    if (!users.isEmpty()) {
      throw new TemplatesException.InUse(templateId, users);
    }
    if (!store.delete(bucket, templateId)) {
      throw new TemplatesException.NoSuchTemplate(templateId);
    }
  }

  private void check(Definition definition) {
    if (definition.tag() == null) {
      throw new TemplatesException.InvalidTemplate("Tag is required");
    }
    if (definition.name() == null || !NAME.matcher(definition.name()).matches()) {
      throw new TemplatesException.InvalidTemplate(
          "Name must be 1 to 64 Chinese characters, letters, digits, _, - or *, not '"
              + definition.name()
              + "'");
    }
    try {
      jobs.validateSettings(definition.tag(), definition.settings());
    } catch (JobsException.InvalidJob e) {
      throw new TemplatesException.InvalidTemplate(e.getMessage());
    }
  }
}
