package io.jobhook.workflow;

import io.jobhook.callback.NotifyConfig;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The graph of a workflow: named nodes (one {@link Start}, one {@link End}, one or more {@link
 * Task}s) and, for each node, the nodes that follow it. Only a checked topology exists: {@link #of}
 * refuses cycles, dangling or unknown edges, unreachable nodes and unknown node types. Iteration
 * order is the order the client gave.
 */
public record Topology(Map<String, List<String>> dependencies, Map<String, Node> nodes) {
  /**
   * The size of a workflow: one upload starts a job per node, and checking the graph walks it
   * recursively, so neither may grow without bound.
   */
  public static final int MAX_NODES = 100;

  public static final int MAX_DEPENDENCIES = 400;

  /** A node of the graph. */
  public sealed interface Node {
    /** The CI {@code Type}: Start, End, or the job tag. */
    String type();
  }

  /**
   * Where runs come from: uploads to {@code queueId}'s bucket under {@code objectPrefix} that pass
   * the filter. {@code notifyConfig}, when not null, is where the workflow's callbacks go instead
   * of the queue's NotifyConfig.
   */
  public record Start(
      String queueId, String objectPrefix, ExtFilter extFilter, NotifyConfig notifyConfig)
      implements Node {

    public Start(String queueId, String objectPrefix, ExtFilter extFilter) {
      this(queueId, objectPrefix, extFilter, null);
    }

    @Override
    public String type() {
      return "Start";
    }

    public boolean accepts(String key) {
      return key.startsWith(objectPrefix) && extFilter.accepts(key);
    }
  }

  /** Where runs end. */
  public record End() implements Node {
    @Override
    public String type() {
      return "End";
    }
  }

  /**
   * A job: {@code tag} with its settings (as under {@code Operation/<Tag>}), and an output whose
   * object name may use the variables of {@link OutputName}.
   */
  public record Task(
      String tag,
      String templateId,
      Map<String, String> settings,
      String outputRegion,
      String outputBucket,
      String outputObject)
      implements Node {
    public Task {
      settings = Collections.unmodifiableMap(new LinkedHashMap<>(settings));
    }

    @Override
    public String type() {
      return tag;
    }
  }

  /**
   * Which uploads start a run, by the key's extension (CI {@code ExtFilter}). Off (the default)
   * accepts every key.
   */
  public record ExtFilter(
      boolean on,
      boolean audio,
      boolean video,
      boolean image,
      boolean allFile,
      List<String> customExts) {
    public static final ExtFilter OFF = new ExtFilter(false, false, false, false, false, List.of());
    private static final Set<String> AUDIO =
        Set.of(
            "mp3", "wav", "flac", "aac", "m4a", "ogg", "opus", "wma", "amr", "aiff", "aif", "ape",
            "ac3", "mka");
    private static final Set<String> VIDEO =
        Set.of(
            "mp4", "mov", "mkv", "flv", "avi", "wmv", "webm", "ts", "m4v", "3gp", "mpeg", "mpg",
            "m3u8", "vob");
    private static final Set<String> IMAGE =
        Set.of("jpg", "jpeg", "png", "gif", "bmp", "webp", "tif", "tiff", "heic", "heif", "avif");

    public ExtFilter {
      customExts = customExts.stream().map(e -> e.toLowerCase(Locale.ROOT)).toList();
    }

    public boolean accepts(String key) {
      if (!on || allFile) {
        return true;
      }
      String name = key.substring(key.lastIndexOf('/') + 1);
      int dot = name.lastIndexOf('.');
      String ext = dot < 0 ? "" : name.substring(dot + 1).toLowerCase(Locale.ROOT);
      return (audio && AUDIO.contains(ext))
          || (video && VIDEO.contains(ext))
          || (image && IMAGE.contains(ext))
          || customExts.contains(ext);
    }
  }

  public Topology {
    Map<String, List<String>> deps = new LinkedHashMap<>();
    dependencies.forEach((k, v) -> deps.put(k, List.copyOf(v)));
    dependencies = Collections.unmodifiableMap(deps);
    nodes = Collections.unmodifiableMap(new LinkedHashMap<>(nodes));
  }

  /**
   * A checked topology; throws {@link WorkflowsException.InvalidWorkflow} naming the first problem.
   * {@code jobTypes} are the node types that run jobs (the supported tags).
   */
  public static Topology of(
      Map<String, List<String>> dependencies, Map<String, Node> nodes, Set<String> jobTypes) {
    Topology t = new Topology(dependencies, nodes);
    t.check(jobTypes);
    return t;
  }

  private void check(Set<String> jobTypes) {
    int edges = dependencies.values().stream().mapToInt(List::size).sum();
    if (nodes.size() > MAX_NODES || edges > MAX_DEPENDENCIES) {
      throw invalid(
          "a workflow may have at most "
              + MAX_NODES
              + " nodes and "
              + MAX_DEPENDENCIES
              + " dependencies; this one has "
              + nodes.size()
              + " and "
              + edges);
    }
    List<String> starts = namesOf(Start.class);
    List<String> ends = namesOf(End.class);
    if (starts.size() != 1) {
      throw invalid("a workflow needs exactly one Start node, found " + starts.size());
    }
    if (ends.size() != 1) {
      throw invalid("a workflow needs exactly one End node, found " + ends.size());
    }
    if (namesOf(Task.class).isEmpty()) {
      throw invalid("a workflow needs at least one job node between Start and End");
    }
    nodes.forEach(
        (name, node) -> {
          if (node instanceof Task task && !jobTypes.contains(task.tag())) {
            throw invalid(
                "node "
                    + name
                    + " has Type '"
                    + task.tag()
                    + "', which is not supported; supported: Start, End, "
                    + String.join(", ", jobTypes.stream().sorted().toList()));
          }
        });
    String start = starts.getFirst();
    String end = ends.getFirst();
    dependencies.forEach(
        (from, tos) -> {
          if (!nodes.containsKey(from)) {
            throw invalid("Dependencies name node " + from + ", which is not among the Nodes");
          }
          for (String to : tos) {
            if (!nodes.containsKey(to)) {
              throw invalid(
                  "Dependencies lead from "
                      + from
                      + " to node "
                      + to
                      + ", which is not among the Nodes");
            }
            if (to.equals(start)) {
              throw invalid("no node may lead to the Start node " + start);
            }
            if (to.equals(from)) {
              throw invalid("node " + from + " depends on itself");
            }
          }
          if (from.equals(start) && tos.contains(end)) {
            throw invalid("the Start node must lead to job nodes, not directly to End");
          }
        });
    if (!successors(end).isEmpty()) {
      throw invalid("the End node " + end + " must not lead anywhere");
    }
    for (String name : nodes.keySet()) {
      if (!name.equals(end) && successors(name).isEmpty()) {
        throw invalid(
            "node "
                + name
                + " leads nowhere; every node but End needs a successor in Dependencies");
      }
    }
    checkAcyclicAndReachable(start);
  }

  private void checkAcyclicAndReachable(String start) {
    Map<String, Integer> color = new HashMap<>(); // absent: unvisited, 1: on the path, 2: done
    Set<String> reached = new HashSet<>();
    visit(start, color, reached, new ArrayList<>());
    for (String name : nodes.keySet()) {
      if (!reached.contains(name)) {
        throw invalid("node " + name + " cannot be reached from the Start node");
      }
    }
  }

  private void visit(
      String node, Map<String, Integer> color, Set<String> reached, List<String> path) {
    Integer c = color.get(node);
    if (c != null && c == 1) {
      List<String> cycle = new ArrayList<>(path.subList(path.indexOf(node), path.size()));
      cycle.add(node);
      throw invalid("Dependencies contain a cycle: " + String.join(" -> ", cycle));
    }
    if (c != null) {
      return;
    }
    color.put(node, 1);
    reached.add(node);
    path.add(node);
    for (String next : successors(node)) {
      visit(next, color, reached, path);
    }
    path.removeLast();
    color.put(node, 2);
  }

  private List<String> namesOf(Class<? extends Node> kind) {
    return nodes.entrySet().stream()
        .filter(e -> kind.isInstance(e.getValue()))
        .map(Map.Entry::getKey)
        .toList();
  }

  private static WorkflowsException.InvalidWorkflow invalid(String message) {
    return new WorkflowsException.InvalidWorkflow(message);
  }

  public String startName() {
    return namesOf(Start.class).getFirst();
  }

  public Start start() {
    return (Start) nodes.get(startName());
  }

  /** The job nodes, in the order given. */
  public List<String> taskNames() {
    return namesOf(Task.class);
  }

  public List<String> successors(String node) {
    return dependencies.getOrDefault(node, List.of());
  }

  public List<String> predecessors(String node) {
    List<String> preds = new ArrayList<>();
    dependencies.forEach(
        (from, tos) -> {
          if (tos.contains(node)) {
            preds.add(from);
          }
        });
    return preds;
  }
}
