package io.jobhook.workflow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class TopologyTest {
  static final Set<String> TAGS = Set.of("NoiseReduction");

  /** Nodes named in {@code names}: "Start", "End", anything else a NoiseReduction node. */
  static Map<String, Topology.Node> nodes(String... names) {
    Map<String, Topology.Node> nodes = new LinkedHashMap<>();
    for (String n : names) {
      nodes.put(
          n,
          switch (n) {
            case "Start" -> new Topology.Start("p1", "", Topology.ExtFilter.OFF);
            case "End" -> new Topology.End();
            default -> new Topology.Task("NoiseReduction", "", Map.of(), "r", "b", "o.wav");
          });
    }
    return nodes;
  }

  static Map<String, List<String>> deps(String... pairs) {
    Map<String, List<String>> deps = new LinkedHashMap<>();
    for (String pair : pairs) {
      String[] p = pair.split(">");
      deps.put(p[0], List.of(p[1].split(",")));
    }
    return deps;
  }

  @Test
  void a_diamond_runs_its_middle_nodes_after_start_and_joins_them() {
    Topology t =
        Topology.of(
            deps("Start>A,B", "A>C", "B>C", "C>End"), nodes("Start", "A", "B", "C", "End"), TAGS);
    assertThat(t.successors("Start")).containsExactly("A", "B");
    assertThat(t.predecessors("C")).containsExactly("A", "B");
    assertThat(t.taskNames()).containsExactly("A", "B", "C");
    assertThat(t.startName()).isEqualTo("Start");
  }

  @Test
  void malformed_graphs_are_refused_naming_the_problem() {
    assertRefused(
        deps("Start>A", "A>B", "B>A,End"), nodes("Start", "A", "B", "End"), "cycle: A -> B -> A");
    assertRefused(deps("Start>A", "A>Ghost"), nodes("Start", "A", "End"), "Ghost");
    assertRefused(deps("Start>A", "Ghost>End", "A>End"), nodes("Start", "A", "End"), "Ghost");
    assertRefused(deps("Start>A,B", "A>End"), nodes("Start", "A", "B", "End"), "B leads nowhere");
    assertRefused(
        deps("Start>A", "A>End", "B>End"), nodes("Start", "A", "B", "End"), "B cannot be reached");
    assertRefused(
        deps("Start>A", "A>End", "End>A"),
        nodes("Start", "A", "End"),
        "End node End must not lead");
    assertRefused(
        deps("Start>A", "A>Start,End"), nodes("Start", "A", "End"), "lead to the Start node");
    assertRefused(deps("Start>End"), nodes("Start", "End"), "at least one job node");
    assertRefused(deps("Start>A", "A>A,End"), nodes("Start", "A", "End"), "depends on itself");
    assertRefused(deps("Start>A"), nodes("Start", "A"), "exactly one End");
    Map<String, Topology.Node> unknown = nodes("Start", "A", "End");
    unknown.put("A", new Topology.Task("Transcode", "", Map.of(), "r", "b", "o"));
    assertRefused(deps("Start>A", "A>End"), unknown, "Transcode");
  }

  @Test
  void a_workflow_of_at_most_the_limit_is_taken_and_a_bigger_one_refused() {
    assertThat(
            Topology.of(
                    chain(Topology.MAX_NODES - 2).deps, chain(Topology.MAX_NODES - 2).nodes, TAGS)
                .taskNames())
        .hasSize(Topology.MAX_NODES - 2);
    Chain tooLong = chain(10_000);
    assertRefused(tooLong.deps, tooLong.nodes, "at most " + Topology.MAX_NODES + " nodes");
    Chain wide = chain(2);
    List<String> many = new java.util.ArrayList<>();
    for (int i = 0; i <= Topology.MAX_DEPENDENCIES; i++) {
      many.add("N0");
    }
    wide.deps.put("Start", many);
    assertRefused(wide.deps, wide.nodes, Topology.MAX_DEPENDENCIES + " dependencies");
  }

  private record Chain(Map<String, List<String>> deps, Map<String, Topology.Node> nodes) {}

  /** Start -> N0 -> N1 -> ... -> End with {@code jobs} job nodes. */
  private static Chain chain(int jobs) {
    String[] names = new String[jobs + 2];
    names[0] = "Start";
    names[jobs + 1] = "End";
    Map<String, List<String>> deps = new LinkedHashMap<>();
    for (int i = 0; i < jobs; i++) {
      names[i + 1] = "N" + i;
      deps.put(i == 0 ? "Start" : "N" + (i - 1), List.of("N" + i));
    }
    deps.put("N" + (jobs - 1), List.of("End"));
    return new Chain(deps, nodes(names));
  }

  private static void assertRefused(
      Map<String, List<String>> deps, Map<String, Topology.Node> nodes, String why) {
    assertThatThrownBy(() -> Topology.of(deps, nodes, TAGS))
        .isInstanceOf(WorkflowsException.InvalidWorkflow.class)
        .hasMessageContaining(why);
  }

  @Test
  void start_accepts_keys_by_prefix_and_extension() {
    var audioOnly =
        new Topology.Start(
            "p", "in/", new Topology.ExtFilter(true, true, false, false, false, List.of("RAW")));
    assertThat(audioOnly.accepts("in/a.MP3")).isTrue();
    assertThat(audioOnly.accepts("in/sub/a.wav")).isTrue();
    assertThat(audioOnly.accepts("in/a.raw")).isTrue();
    assertThat(audioOnly.accepts("in/a.mp4")).isFalse();
    assertThat(audioOnly.accepts("in/noext")).isFalse();
    assertThat(audioOnly.accepts("other/a.wav")).isFalse();
    assertThat(new Topology.Start("p", "", Topology.ExtFilter.OFF).accepts("anything")).isTrue();
  }

  @Test
  void output_names_expand_every_variable_without_stray_slashes() {
    String runId = "i0123";
    assertThat(
            OutputName.expand(
                "out/${InputPath}/${InputName}_nr.${ext}", "in/a/talk.mp3", null, runId, "w1"))
        .isEqualTo("out/in/a/talk_nr.wav");
    assertThat(
            OutputName.expand(
                "${InputPath}/${InputNameAndExt}.${InputExt}/${RunId}-${WorkflowId}.${ext}",
                "talk.mp3",
                "WAV",
                runId,
                "w1"))
        .isEqualTo("talk.mp3.mp3/i0123-w1.wav");
    assertThat(OutputName.expand("o/${InputName}", ".hidden", null, runId, "w1"))
        .isEqualTo("o/.hidden");
    OutputName.check("n", "a/${InputName}${ext}");
    assertThatThrownBy(() -> OutputName.check("n", "a/${Input}.wav"))
        .isInstanceOf(WorkflowsException.InvalidWorkflow.class)
        .hasMessageContaining("${Input}");
  }
}
