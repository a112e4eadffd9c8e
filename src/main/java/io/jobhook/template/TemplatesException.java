package io.jobhook.template;

/** What template requests can fail with. */
public sealed class TemplatesException extends RuntimeException
    permits TemplatesException.NoSuchTemplate,
        TemplatesException.InvalidTemplate,
        TemplatesException.InUse {

  private TemplatesException(String message) {
    super(message);
  }

  public static final class NoSuchTemplate extends TemplatesException {
    public NoSuchTemplate(String templateId) {
      super("template " + templateId + " does not exist");
    }
  }

  public static final class InvalidTemplate extends TemplatesException {
    public InvalidTemplate(String message) {
      super(message);
    }
  }

  /** Deleting a template that Active workflows or runs in flight name. */
  public static final class InUse extends TemplatesException {
    public InUse(String templateId, java.util.List<String> workflowIds) {
      super(
          "template "
              + templateId
              + " is used by workflow(s) "
              + String.join(", ", workflowIds)
              + " (Active, or with runs in flight); pause them or take it out of their nodes,"
              + " and let their runs finish, first");
    }
  }
}
