package dev.cairn.web;

import dev.cairn.dataset.Dataset;
import dev.cairn.dataset.DatasetRecord;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * The lineage DAG of a version laid out in layers: the version itself in the last layer and every
 * ancestor as close above its children as it can be (its layer is set by its longest path down to
 * the version), so edges stay short. Within a layer, nodes are ordered by the mean position of
 * their parents (which keeps crossings few), then as their children list them (a merge's parents
 * left to right in merge order), then by creation time.
 */
final class Lineage {
  /**
   * One version of the lineage.
   *
   * @param record its record, or null when the version was deleted or its record is unreadable
   * @param unreadable whether its record is there but cannot be read
   * @param deletedAs for a version deleted here, its name and version string as its version object
   *     keeps them ("pets 1.0.2"), or null when they are not known
   * @param layer 0 at the top; the focus version is in the last layer
   * @param slot position within its layer, from 0
   */
  record Node(String id, DatasetRecord record, boolean unreadable, String deletedAs, List<String> parents, int layer, int slot) {
    Node {
      parents = List.copyOf(parents);
    }

    /** What a node without a record is shown as. */
    String missingLabel() {
      return unreadable ? "unreadable record" : deletedAs != null ? deletedAs + " (deleted)" : "deleted version";
    }
  }

  private final String focus;
  private final List<Node> nodes;
  private final Map<String, Node> byId = new HashMap<>();
  private final int[] layerSizes;

  private Lineage(String focus, List<Node> nodes) {
    this.focus = focus;
    this.nodes = List.copyOf(nodes);
    this.layerSizes = new int[nodes.isEmpty() ? 0 : nodes.get(nodes.size() - 1).layer() + 1];
    nodes.forEach(n -> {
      byId.put(n.id(), n);
      layerSizes[n.layer()]++;
    });
  }

  /** Records by id; returns null for deleted versions. */
  @FunctionalInterface
  interface Records {
    DatasetRecord get(String id) throws IOException;
  }

  /**
   * Lays out {@code graph} (version id → parent ids, as {@link Dataset#dependencyGraph}
   * returns it, the focus version first).
   */
  static Lineage of(String focus, Map<String, List<String>> graph, Records records) throws IOException {
    return of(focus, graph, records, id -> false, Map.of());
  }

  /**
   * As above; {@code unreadable} tells a version whose record cannot be read from a deleted one,
   * and {@code deleted} holds records standing in for deleted ones ({@link Dataset.Ancestry#deleted}).
   */
  static Lineage of(String focus, Map<String, List<String>> graph, Records records, Predicate<String> unreadable,
      Map<String, DatasetRecord> deleted) throws IOException {
    Map<String, Integer> ranks = ranks(focus, graph);
    int depth = ranks.values().stream().mapToInt(Integer::intValue).max().orElse(0);
    List<List<String>> rows = new ArrayList<>();
    for (int i = 0; i <= depth; i++) {
      rows.add(new ArrayList<>());
    }
    ranks.forEach((id, rank) -> rows.get(depth - rank).add(id));
    Map<String, DatasetRecord> recs = new HashMap<>();
    for (String id : ranks.keySet()) {
      recs.put(id, records.get(id));
    }
    Map<String, Integer> slots = new HashMap<>();
    Map<String, Integer> order = parentOrder(focus, graph);
    List<Node> nodes = new ArrayList<>();
    for (int layer = 0; layer <= depth; layer++) {
      List<String> row = rows.get(layer);
      row.sort(Comparator.comparingDouble((String id) -> meanSlot(graph.get(id), slots))
          .thenComparingInt(id -> order.getOrDefault(id, Integer.MAX_VALUE))
          .thenComparingLong(id -> recs.get(id) == null ? Long.MAX_VALUE : recs.get(id).createdMillis())
          .thenComparing(id -> id));
      for (int slot = 0; slot < row.size(); slot++) {
        String id = row.get(slot);
        slots.put(id, slot);
        boolean unread = recs.get(id) == null && unreadable.test(id);
        DatasetRecord standIn = recs.get(id) == null && !unread ? deleted.get(id) : null;
        String deletedAs = standIn == null ? null : standIn.name() + " " + standIn.version();
        nodes.add(new Node(id, recs.get(id), unread, deletedAs, graph.get(id), layer, slot));
      }
    }
    return new Lineage(focus, nodes);
  }

  /**
   * Each version's longest distance from the focus along parent links, so that it sits above every
   * one of its children. Children are settled before their parents (Kahn's order).
   *
   * @throws IllegalStateException if parent links form a cycle (a damaged catalog)
   */
  private static Map<String, Integer> ranks(String focus, Map<String, List<String>> graph) {
    Map<String, Integer> pendingChildren = new HashMap<>();
    graph.forEach((id, parents) -> parents.stream().filter(graph::containsKey).forEach(p -> pendingChildren.merge(p, 1, Integer::sum)));
    Map<String, Integer> ranks = new HashMap<>();
    ranks.put(focus, 0);
    int settled = 0;
    Deque<String> ready = new ArrayDeque<>();
    if (!pendingChildren.containsKey(focus)) {
      ready.add(focus);
    }
    while (!ready.isEmpty()) {
      String child = ready.poll();
      settled++;
      for (String p : graph.getOrDefault(child, List.of())) {
        if (!graph.containsKey(p)) {
          continue;
        }
        ranks.merge(p, ranks.get(child) + 1, Math::max);
        if (pendingChildren.merge(p, -1, Integer::sum) == 0) {
          ready.add(p);
        }
      }
    }
    if (settled < graph.size()) {
      throw new IllegalStateException("Cannot lay out the lineage of " + focus + ": its parent links form a cycle");
    }
    return ranks;
  }

  /**
   * Each version's place in a walk from the focus that visits every version's parents in the order
   * they are listed: parents of one merge then sit left to right in merge order (the last one
   * wins), where their own parents do not decide.
   */
  private static Map<String, Integer> parentOrder(String focus, Map<String, List<String>> graph) {
    Map<String, Integer> order = new HashMap<>();
    Deque<String> queue = new ArrayDeque<>(List.of(focus));
    order.put(focus, 0);
    while (!queue.isEmpty()) {
      for (String p : graph.getOrDefault(queue.poll(), List.of())) {
        if (graph.containsKey(p) && order.putIfAbsent(p, order.size()) == null) {
          queue.add(p);
        }
      }
    }
    return order;
  }

  private static double meanSlot(List<String> parents, Map<String, Integer> slots) {
    return parents.stream().filter(slots::containsKey).mapToInt(slots::get).average().orElse(0);
  }

  /** The version whose lineage this is. */
  String focus() {
    return focus;
  }

  /** Nodes by layer, then slot: ancestors first, the focus version last. */
  List<Node> nodes() {
    return nodes;
  }

  Node node(String id) {
    return byId.get(id);
  }

  int layers() {
    return layerSizes.length;
  }

  /** Nodes in one layer. */
  int layerSize(int layer) {
    return layerSizes[layer];
  }

  /** Nodes in the widest layer. */
  int width() {
    int w = 0;
    for (int c : layerSizes) {
      w = Math.max(w, c);
    }
    return w;
  }
}
