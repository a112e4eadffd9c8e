package io.jobhook.config;

import java.lang.reflect.RecordComponent;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Everything {@code serve} needs, per feature, validated once at start-up and frozen after. Each
 * setting's name, meaning and default are documented on its feature's record.
 */
public record JobhookConfig(
    ApiConfig api,
    StorageConfig storage,
    JobsConfig jobs,
    CallbacksConfig callbacks,
    WorkflowsConfig workflows,
    LoggingConfig logging) {

  private static final java.util.regex.Pattern SECRET_SETTING =
      java.util.regex.Pattern.compile("(?i)password|token|secret");

  public static JobhookConfig defaults(Path dataDir) {
    return new JobhookConfig(
        ApiConfig.defaults(),
        StorageConfig.defaults(dataDir),
        JobsConfig.defaults(),
        CallbacksConfig.defaults(),
        WorkflowsConfig.defaults(),
        LoggingConfig.defaults());
  }

  public JobhookConfig withApi(ApiConfig a) {
    return new JobhookConfig(a, storage, jobs, callbacks, workflows, logging);
  }

  public JobhookConfig withStorage(StorageConfig s) {
    return new JobhookConfig(api, s, jobs, callbacks, workflows, logging);
  }

  public JobhookConfig withJobs(JobsConfig j) {
    return new JobhookConfig(api, storage, j, callbacks, workflows, logging);
  }

  public JobhookConfig withCallbacks(CallbacksConfig c) {
    return new JobhookConfig(api, storage, jobs, c, workflows, logging);
  }

  /**
   * The effective configuration, {@code feature.setting=value} for every setting, with passwords
   * and tokens masked (a password inside a database URL included): what start-up logs.
   */
  public List<String> describe() {
    List<String> lines = new ArrayList<>();
    for (RecordComponent feature : JobhookConfig.class.getRecordComponents()) {
      Object value = get(feature, this);
      for (RecordComponent setting : value.getClass().getRecordComponents()) {
        String name = setting.getName();
        Object v = get(setting, value);
        String shown =
            v == null
                ? "-"
                : SECRET_SETTING.matcher(name).find()
                    ? "***"
                    : String.valueOf(v).replaceAll("(?i)(password=)[^&;]*", "$1***");
        lines.add(feature.getName() + "." + name + "=" + shown);
      }
    }
    return lines;
  }

  private static Object get(RecordComponent component, Object record) {
    try {
      return component.getAccessor().invoke(record);
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException(e);
    }
  }
}
