package io.jobhook.console;

import io.jobhook.workflow.Topology;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A workflow's topology drawn as SVG on the server: nodes in columns by their distance from Start,
 * edges as arrows; a run's node states colour them. A list beside it says the same in words.
 */
final class Graphs {
  private static final int BOX_W = 130;
  private static final int BOX_H = 40;
  private static final int COL = 170;
  private static final int ROW = 60;
  private static final int PAD = 10;

  private Graphs() {}

  /** {@code states}: a node name to its state in a run (absent: not started), or empty. */
  static String topology(Topology topology, Map<String, String> states) {
    Map<String, Integer> level = levels(topology);
    Map<Integer, List<String>> columns = new java.util.TreeMap<>();
    level.forEach((node, l) -> columns.computeIfAbsent(l, k -> new ArrayList<>()).add(node));
    Map<String, int[]> at = new HashMap<>();
    int rows = 1;
    for (var column : columns.entrySet()) {
      List<String> nodes = column.getValue();
      nodes.sort(String::compareTo);
      rows = Math.max(rows, nodes.size());
      for (int i = 0; i < nodes.size(); i++) {
        at.put(nodes.get(i), new int[] {PAD + column.getKey() * COL, PAD + i * ROW});
      }
    }
    int width = PAD * 2 + columns.size() * COL - (COL - BOX_W);
    int height = PAD * 2 + rows * ROW - (ROW - BOX_H);
    StringBuilder words = new StringBuilder();
    StringBuilder svg = new StringBuilder(4096);
    svg.append("<figure><svg id=\"topology\" viewBox=\"0 0 ")
        .append(width)
        .append(' ')
        .append(height)
        .append("\" width=\"")
        .append(width)
        .append("\" role=\"img\" aria-labelledby=\"topology-words\">")
        .append("<defs><marker id=\"arrow\" viewBox=\"0 0 10 10\" refX=\"10\" refY=\"5\"")
        .append(" markerWidth=\"8\" markerHeight=\"8\" orient=\"auto-start-reverse\">")
        .append("<path d=\"M 0 0 L 10 5 L 0 10 z\" fill=\"currentColor\"></path></marker></defs>");
    topology
        .dependencies()
        .forEach(
            (from, tos) -> {
              int[] a = at.get(from);
              for (String to : tos) {
                int[] b = at.get(to);
                if (a == null || b == null) {
                  continue;
                }
                svg.append(
                    String.format(
                        Locale.ROOT,
                        "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"currentColor\""
                            + " marker-end=\"url(#arrow)\"></line>",
                        a[0] + BOX_W,
                        a[1] + BOX_H / 2,
                        b[0] - 2,
                        b[1] + BOX_H / 2));
              }
            });
    for (var node : topology.nodes().entrySet()) {
      int[] p = at.get(node.getKey());
      if (p == null) {
        continue;
      }
      String state = states.get(node.getKey());
      String fill =
          state == null
              ? "none"
              : switch (state) {
                case "Success" -> "#1b7f3b33";
                case "Failed", "Cancel" -> "#b3261e33";
                default -> "#0b62c433";
              };
      svg.append(
              String.format(
                  Locale.ROOT,
                  "<g class=\"node\" data-node=\"%s\" data-state=\"%s\"><rect x=\"%d\" y=\"%d\""
                      + " width=\"%d\" height=\"%d\" rx=\"6\" fill=\"%s\" stroke=\"currentColor\">"
                      + "</rect>",
                  Html.esc(node.getKey()),
                  Html.esc(state == null ? "" : state),
                  p[0],
                  p[1],
                  BOX_W,
                  BOX_H,
                  fill))
          .append(label(p[0] + 8, p[1] + 16, node.getKey()))
          .append(
              label(
                  p[0] + 8,
                  p[1] + 31,
                  node.getValue().type() + (state == null ? "" : ": " + state)))
          .append("</g>");
      List<String> after = new ArrayList<>();
      topology
          .dependencies()
          .forEach(
              (from, tos) -> {
                if (tos.contains(node.getKey())) {
                  after.add(from);
                }
              });
      words
          .append("<li>")
          .append(Html.esc(node.getKey()))
          .append(" (")
          .append(Html.esc(node.getValue().type()))
          .append(')')
          .append(after.isEmpty() ? "" : ", after " + Html.esc(String.join(", ", after)))
          .append(state == null ? "" : ": " + Html.esc(state))
          .append("</li>");
    }
    svg.append("</svg><figcaption><ul id=\"topology-words\">")
        .append(words)
        .append("</ul></figcaption></figure>");
    return svg.toString();
  }

  private static String label(int x, int y, String text) {
    String shown = text.length() > 18 ? text.substring(0, 17) + "…" : text;
    return "<text x=\"" + x + "\" y=\"" + y + "\" font-size=\"12\">" + Html.esc(shown) + "</text>";
  }

  /** Each node's column: the longest path to it from a node nothing points at. */
  private static Map<String, Integer> levels(Topology topology) {
    Map<String, Integer> level = new LinkedHashMap<>();
    topology.nodes().keySet().forEach(n -> level.put(n, 0));
    // a DAG of at most MAX_NODES: relaxing every edge once per node settles every level
    for (int pass = 0; pass < level.size(); pass++) {
      boolean changed = false;
      for (var edge : topology.dependencies().entrySet()) {
        Integer from = level.get(edge.getKey());
        if (from == null) {
          continue;
        }
        for (String to : edge.getValue()) {
          if (level.containsKey(to) && level.get(to) < from + 1) {
            level.put(to, from + 1);
            changed = true;
          }
        }
      }
      if (!changed) {
        break;
      }
    }
    return level;
  }
}
