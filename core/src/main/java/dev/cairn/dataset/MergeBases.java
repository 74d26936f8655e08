package dev.cairn.dataset;

import dev.cairn.errors.CairnException;
import dev.cairn.id.ObjectId;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The bases of a merge of parents (spec/datasets.md, "Drafts and the change-set"): for each parent
 * after the first, the nearest version that is an ancestor of it and of a parent before it, found
 * through the records' parents. Nearest is the least sum of the two distances (a parent is its own
 * ancestor at distance 0); ties go to the lower id, so that {@code fsck --repair} finds the same.
 */
final class MergeBases {
  /** Ancestors read per parent at most: past it, older ones are not considered. */
  static final int MAX_ANCESTORS = 100_000;

  private MergeBases() {}

  /** What the search keeps of a record: a long history's logs stay on disk. */
  private record Ancestor(List<String> parents, ObjectId root) {}

  /**
   * @return one entry per parent: null for the first, and for a parent with no common ancestor
   *     among those before it whose manifest is here; else that ancestor's manifest root
   */
  static List<ObjectId> of(DatasetRepository repo, List<String> parentIds) throws IOException {
    List<ObjectId> bases = new ArrayList<>();
    if (parentIds.size() < 2) {
      parentIds.forEach(p -> bases.add(null));
      return bases;
    }
    Map<String, Ancestor> records = new HashMap<>();
    List<Map<String, Integer>> distances = new ArrayList<>();
    for (String p : parentIds) {
      distances.add(ancestors(repo, p, records));
    }
    bases.add(null);
    for (int i = 1; i < parentIds.size(); i++) {
      String best = null;
      int bestDistance = Integer.MAX_VALUE;
      for (int j = 0; j < i; j++) {
        for (Map.Entry<String, Integer> a : distances.get(i).entrySet()) {
          Integer other = distances.get(j).get(a.getKey());
          if (other == null) {
            continue;
          }
          int d = a.getValue() + other;
          if (d < bestDistance || (d == bestDistance && a.getKey().compareTo(best) < 0)) {
            best = a.getKey();
            bestDistance = d;
          }
        }
      }
      ObjectId root = best == null ? null : records.get(best).root();
      bases.add(root != null && repo.repository().objects().has(root) ? root : null);
    }
    return bases;
  }

  /** {@code id} and its ancestors whose records are readable, with their distance from it. */
  private static Map<String, Integer> ancestors(DatasetRepository repo, String id, Map<String, Ancestor> records)
      throws IOException {
    Map<String, Integer> distance = new HashMap<>();
    ArrayDeque<String> queue = new ArrayDeque<>();
    distance.put(id, 0);
    queue.add(id);
    while (!queue.isEmpty() && distance.size() < MAX_ANCESTORS) {
      String next = queue.poll();
      Ancestor r = records.get(next);
      if (r == null) {
        if (!repo.catalog().exists(next)) {
          distance.remove(next); // deleted: neither a base nor a way to older ones
          continue;
        }
        try {
          DatasetRecord full = repo.catalog().read(next);
          r = new Ancestor(full.parents(), full.root());
        } catch (CairnException unreadable) {
          distance.remove(next);
          continue;
        }
        records.put(next, r);
      }
      int d = distance.get(next);
      for (String p : r.parents()) {
        if (distance.putIfAbsent(p, d + 1) == null) {
          queue.add(p);
        }
      }
    }
    queue.forEach(distance::remove); // past the limit: not read, so not known to be there
    return distance;
  }
}
