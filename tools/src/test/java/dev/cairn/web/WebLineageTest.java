package dev.cairn.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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
}
