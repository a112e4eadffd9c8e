package io.jobhook.workflow;

import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Output object names of workflow nodes, with variables taken from the run's input object:
 *
 * <ul>
 *   <li>{@code ${InputName}}: the input's file name without extension ({@code in/a/talk.mp3} →
 *       {@code talk})
 *   <li>{@code ${InputNameAndExt}}: the file name with extension ({@code talk.mp3})
 *   <li>{@code ${InputExt}}: the input's extension ({@code mp3}; empty if none)
 *   <li>{@code ${InputPath}}: the input's folder without trailing slash ({@code in/a}; empty at the
 *       root)
 *   <li>{@code ${ext}}: the output format's extension (the node's {@code Format}, else {@code wav})
 *   <li>{@code ${RunId}}, {@code ${WorkflowId}}: the run and the workflow
 * </ul>
 *
 * Empty variables leave no double or leading slashes behind.
 */
public final class OutputName {
  public static final List<String> VARIABLES =
      List.of(
          "InputName", "InputNameAndExt", "InputExt", "InputPath", "ext", "RunId", "WorkflowId");
  private static final Pattern VARIABLE = Pattern.compile("\\$\\{([^}]*)}");

  private OutputName() {}

  /** Throws {@link WorkflowsException.InvalidWorkflow} if the pattern uses an unknown variable. */
  public static void check(String node, String pattern) {
    Matcher m = VARIABLE.matcher(pattern);
    while (m.find()) {
      if (!VARIABLES.contains(m.group(1))) {
        throw new WorkflowsException.InvalidWorkflow(
            "node "
                + node
                + ": Output/Object uses unknown variable ${"
                + m.group(1)
                + "}; known: "
                + String.join(", ", VARIABLES.stream().map(v -> "${" + v + "}").toList()));
      }
    }
  }

  public static String expand(
      String pattern, String inputKey, String format, String runId, String workflowId) {
    int slash = inputKey.lastIndexOf('/');
    String file = inputKey.substring(slash + 1);
    String path = slash < 0 ? "" : inputKey.substring(0, slash);
    int dot = file.lastIndexOf('.');
    String name = dot <= 0 ? file : file.substring(0, dot);
    String inputExt = dot <= 0 ? "" : file.substring(dot + 1);
    String ext = format == null || format.isBlank() ? "wav" : format.toLowerCase(Locale.ROOT);
    Matcher m = VARIABLE.matcher(pattern);
    StringBuilder out = new StringBuilder();
    while (m.find()) {
      String value =
          switch (m.group(1)) {
            case "InputName" -> name;
            case "InputNameAndExt" -> file;
            case "InputExt" -> inputExt;
            case "InputPath" -> path;
            case "ext" -> ext;
            case "RunId" -> runId;
            case "WorkflowId" -> workflowId;
            default -> throw new IllegalStateException("unchecked output variable " + m.group());
          };
      m.appendReplacement(out, Matcher.quoteReplacement(value));
    }
    m.appendTail(out);
    String key = out.toString().replaceAll("/{2,}", "/");
    return key.startsWith("/") ? key.substring(1) : key;
  }
}
