package dev.cairn.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** Layout of lineage DAGs: parents above children, the version last, edges drawn between nodes. */
class WebLineageTest {
  static Lineage layout(String focus, Map<String, List<String>> graph) throws IOException {
    return Lineage.of(focus, graph, id -> null);
  }

  static Map<String, List<String>> graph(String... idThenParents) {
    Map<String, List<String>> g = new LinkedHashMap<>();
    for (String spec : idThenParents) {
      String[] parts = spec.split(":");
      g.put(parts[0], parts.length > 1 ? List.of(parts[1].split(",")) : List.of());
    }
    return g;
  }

  @Test
  void everyParentSitsAboveItsChildrenAndTheVersionIsLast() throws IOException {
    // m merges b and x; b's parent is a; x has no parent; a also feeds m directly.
    Lineage l = layout("m", graph("m:b,x,a", "b:a", "x", "a"));
    assertThat(l.nodes()).hasSize(4);
    assertThat(l.nodes().get(l.nodes().size() - 1).id()).isEqualTo("m");
    for (Lineage.Node n : l.nodes()) {
      for (String p : n.parents()) {
        assertThat(l.node(p).layer()).as(p + " above " + n.id()).isLessThan(n.layer());
      }
    }
    assertThat(l.node("x").layer()).as("a root sits just above its only child").isEqualTo(l.node("m").layer() - 1);
    assertThat(l.node("a").layer()).isEqualTo(0);
    assertThat(l.layers()).isEqualTo(3);
    assertThat(l.width()).isEqualTo(2);
  }

  @Test
  void aLongHistoryIsCutToTheNearestVersions() throws IOException {
    // d's parents are c and x; c's is b; b's is a: the nearest three are d, c and x.
    Map<String, List<String>> g = graph("d:c,x", "c:b", "x", "b:a", "a");
    Map<String, List<String>> near = LineagePage.nearest(g, "d", 3);
    assertThat(near).containsOnlyKeys("d", "c", "x");
    assertThat(near.get("c")).as("a parent left out is not drawn").isEmpty();
    assertThat(layout("d", near).nodes()).hasSize(3);
    assertThat(LineagePage.nearest(g, "d", 5)).isSameAs(g);
  }

  @Test
  void aVersionWithoutParentsIsALoneNode() throws IOException {
    Lineage l = layout("a", graph("a"));
    assertThat(l.nodes()).singleElement().satisfies(n -> assertThat(n.layer()).isZero());
    assertThat(LineageSvg.render(l).toString()).contains("class=\"dag-node focus deleted\"");
  }

  @Test
  void deletedAncestorsAreShownButNotFollowed() throws IOException {
    // "gone" was deleted: the graph names it but the catalog has no record.
    Lineage l = layout("b", graph("b:gone", "gone"));
    String svg = LineageSvg.render(l).toString();
    assertThat(svg).contains("deleted version").contains("<path class=\"dag-edge\"");
  }

  @Test
  void aCycleIsReportedNotLooped() {
    assertThatThrownBy(() -> layout("a", graph("a:b", "b:a"))).isInstanceOf(IllegalStateException.class).hasMessageContaining("cycle");
  }

  @Test
  void anEdgeThatSkipsLayersCrossesNoBox() throws IOException {
    // g3's parent is g0 (not g1); g5's parents are g4, o and g3: both skip layers of boxes.
    Lineage l = layout("g5", graph("g5:g4,o,g3", "g4:g3", "g3:g2,g0", "g2:g1", "g1:g0", "g0", "o"));
    String svg = LineageSvg.render(l).toString();
    List<int[]> boxes = new ArrayList<>();
    Matcher rect = Pattern.compile("<rect x=\"(\\d+)\" y=\"(\\d+)\" width=\"(\\d+)\" height=\"(\\d+)\"")
        .matcher(svg);
    while (rect.find()) {
      boxes.add(new int[] {Integer.parseInt(rect.group(1)), Integer.parseInt(rect.group(2)), Integer.parseInt(rect.group(3)),
          Integer.parseInt(rect.group(4))});
    }
    assertThat(boxes).hasSize(7);
    Matcher path = Pattern.compile("class=\"dag-edge\"[^>]* d=\"([^\"]+)\"").matcher(svg);
    int edges = 0;
    int lanes = 0;
    while (path.find()) {
      edges++;
      lanes += path.group(1).contains(" L ") ? 1 : 0;
      for (int[] p : sample(path.group(1))) {
        for (int[] b : boxes) {
          assertThat(p[0] > b[0] && p[0] < b[0] + b[2] && p[1] > b[1] && p[1] < b[1] + b[3])
              .as("edge %s passes through the box at %d,%d", path.group(1), b[0], b[1]).isFalse();
        }
      }
    }
    assertThat(edges).isEqualTo(8);
    assertThat(lanes).as("g0 -> g3 and g3 -> g5 skip layers").isEqualTo(2);
  }

  /** Points along an SVG path of M, C and L commands, every twentieth of each segment. */
  private static List<int[]> sample(String d) {
    String[] t = d.replace(",", " ").trim().split("\\s+");
    List<int[]> out = new ArrayList<>();
    double x = 0;
    double y = 0;
    for (int k = 0; k < t.length; ) {
      String cmd = t[k++];
      if (cmd.equals("M")) {
        x = Double.parseDouble(t[k++]);
        y = Double.parseDouble(t[k++]);
        continue;
      }
      double[] c = new double[cmd.equals("C") ? 6 : 2];
      for (int n = 0; n < c.length; n++) {
        c[n] = Double.parseDouble(t[k++]);
      }
      for (int step = 1; step < 20; step++) {
        double u = step / 20.0;
        if (cmd.equals("L")) {
          out.add(new int[] {(int) (x + (c[0] - x) * u), (int) (y + (c[1] - y) * u)});
        } else {
          double a = (1 - u) * (1 - u) * (1 - u);
          double b = 3 * (1 - u) * (1 - u) * u;
          double e = 3 * (1 - u) * u * u;
          double f = u * u * u;
          out.add(new int[] {(int) (a * x + b * c[0] + e * c[2] + f * c[4]), (int) (a * y + b * c[1] + e * c[3] + f * c[5])});
        }
      }
      x = c[c.length - 2];
      y = c[c.length - 1];
    }
    return out;
  }
  @Test
  void aMergesParentsSitInMergeOrderAndTheirEdgesAreNumbered() throws IOException {
    // Five roots merged in the order e, d, c, b, a: whatever their ids or times, drawn left to right so.
    Lineage l = layout("m", graph("m:e,d,c,b,a", "a", "b", "c", "d", "e"));
    assertThat(List.of("e", "d", "c", "b", "a")).extracting(id -> l.node(id).slot()).containsExactly(0, 1, 2, 3, 4);
    String svg = LineageSvg.render(l).toString();
    assertThat(svg.split("class=\"dag-order\"", -1)).hasSize(6);
    // Two branches of one version: the later (winning) parent on the right.
    Lineage branches = layout("m", graph("m:z,y", "z:v", "y:v", "v"));
    assertThat(branches.node("z").slot()).isLessThan(branches.node("y").slot());
  }

  @Test
  void aLongNameIsCutBetweenCharactersNotInsideASurrogatePair() throws IOException {
    String name = "\uD83D\uDE00".repeat(30);
    String cut = LineageSvg.cut(name);
    assertThat(cut).endsWith("…").doesNotContain("\uFFFD");
    assertThat(Character.isHighSurrogate(cut.charAt(cut.length() - 2))).isFalse();
    assertThat(cut.codePointCount(0, cut.length())).isEqualTo(26);
    assertThat(BarChart.cut("10.20.300")).isEqualTo("…20.300");
    assertThat(BarChart.cut("10.20.301")).isNotEqualTo(BarChart.cut("10.20.300"));
    assertThat(BarChart.cut("1.0.0")).isEqualTo("1.0.0");
  }
}
