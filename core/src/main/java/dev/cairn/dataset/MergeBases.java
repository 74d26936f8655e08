package dev.cairn.dataset;

import dev.cairn.errors.CairnException;
import dev.cairn.id.ObjectId;
import dev.cairn.object.Version;
import dev.cairn.store.ObjectReader;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The bases of a merge of parents (spec/datasets.md, "Drafts and the change-set"): for each parent
 * after the first, the nearest version that is an ancestor of it and of a parent before it, found
 * through the records' parents. Nearest is the least sum of the two distances (a parent is its own
 * ancestor at distance 0). Two as near (criss-cross merges) give no base: the merge is a union;
 * but a parent that descends from every parent before it takes the merge so far as its base
 * ({@link ParentMerge#MERGED_SO_FAR}), and so gives itself, and a parent in the history of a parent
 * before it is its own base, and so changes nothing.
 * A deleted version is followed through its version object, which a child's names ({@link
 * DeletedAncestors}): its parents and its manifest, as if its record were here. One whose version
 * object is not here ends its line of ancestry, but is still a base when a child that had it as its
 * only parent tells its manifest (that child's {@code base}).
 */
final class MergeBases {
  /** Ancestors read per parent at most: past it, older ones are not considered. */
  static final int MAX_ANCESTORS = 100_000;

  private MergeBases() {}

  /** What the search keeps of a record: a long history's logs stay on disk. */
  private record Ancestor(List<String> parents, ObjectId root) {}

  /**
   * The manifests of deleted versions, known from a child whose only parent each was: that child's
   * {@code base} (its parents merged) is the parent's manifest.
   */
  private static final class Orphans {
    final Map<String, ObjectId> roots = new HashMap<>();

    void noteChildOf(DatasetRecord child) {
      if (child.parents().size() == 1 && child.base() != null) {
        roots.putIfAbsent(child.parents().get(0), child.base());
      }
    }
  }

  /**
   * @return one entry per parent: null for the first, and for a parent with no common ancestor
   *     among those before it whose manifest is here; else that ancestor's manifest root
   */
  static List<ObjectId> of(DatasetRepository repo, List<String> parentIds) throws IOException {
    return find(repo, parentIds, new ArrayList<>());
  }

  /**
   * The versions that are the nearest common ancestors of a merge of {@code parentIds} but whose
   * manifests are not here (an ancestor of versions fetched from a remote, known by its record
   * alone): fetched, they make the merge three-way; left so, it is a union.
   */
  static List<String> basesNotHere(DatasetRepository repo, List<String> parentIds) throws IOException {
    List<String> notHere = new ArrayList<>();
    try (ObjectReader reader = repo.repository().objects().newReader()) {
      find(repo, parentIds, new ArrayList<>(), new DeletedAncestors(repo, reader), notHere);
    }
    return notHere;
  }

  /**
   * The parents (after the first) that share ancestors with the parents before them, but no single
   * nearest one (criss-cross merges): their step of the merge is a union, which brings back what
   * one side deleted since. Empty for most merges.
   */
  static List<String> tiedParents(DatasetRepository repo, List<String> parentIds) throws IOException {
    List<String> tied = new ArrayList<>();
    find(repo, parentIds, tied);
    return tied;
  }

  /** As {@link #of}, adding to {@code tiedOut} each parent whose nearest common ancestors tie. */
  private static List<ObjectId> find(DatasetRepository repo, List<String> parentIds, List<String> tiedOut) throws IOException {
    int n = parentIds.size();
    List<ObjectId> bases = new ArrayList<>();
    if (n < 2) {
      parentIds.forEach(p -> bases.add(null));
      return bases;
    }
    try (ObjectReader reader = repo.repository().objects().newReader()) {
      return find(repo, parentIds, tiedOut, new DeletedAncestors(repo, reader), new ArrayList<>());
    }
  }

  /** As above; adds to {@code notHereOut} each base found whose manifest is not here. */
  private static List<ObjectId> find(DatasetRepository repo, List<String> parentIds, List<String> tiedOut, DeletedAncestors deleted,
      List<String> notHereOut) throws IOException {
    int n = parentIds.size();
    List<ObjectId> bases = new ArrayList<>();
    // Breadth first from every parent at once, a level at a time: ancestor a is "reached" by
    // parent k at distance d once its record was read. Once level L is read, a common ancestor not
    // yet found is at least L + 1 from one side, so a parent whose best is below that is done: a
    // sibling's base costs two levels, not the whole history.
    Map<String, Ancestor> records = new HashMap<>();
    Orphans orphans = new Orphans();
    List<Map<String, Integer>> reached = new ArrayList<>();
    List<Map<String, Integer>> seen = new ArrayList<>();
    List<List<String>> frontier = new ArrayList<>();
    for (String p : parentIds) {
      reached.add(new HashMap<>());
      seen.add(new HashMap<>(Map.of(p, 0)));
      frontier.add(List.of(p));
    }
    String[] best = new String[n];
    boolean[] tied = new boolean[n];
    int[] bestDistance = new int[n];
    Arrays.fill(bestDistance, Integer.MAX_VALUE);
    boolean open = true;
    for (int level = 0; open; level++) {
      open = false;
      for (int k = 0; k < n; k++) {
        List<String> next = new ArrayList<>();
        for (String id : frontier.get(k)) {
          Ancestor a = read(repo, id, records, orphans, deleted);
          if (a == null) {
            continue; // deleted or unreadable, its manifest unknown: neither a base nor a way to older ones
          }
          reached.get(k).put(id, level);
          for (int m = 0; m < n; m++) { // found from both sides: a candidate for the later one
            Integer other = m == k ? null : reached.get(m).get(id);
            if (other != null) {
              offer(Math.max(k, m), id, level + other, best, bestDistance, tied);
            }
          }
          for (String p : a.parents()) {
            if (seen.get(k).size() < MAX_ANCESTORS && seen.get(k).putIfAbsent(p, level + 1) == null) {
              next.add(p);
            }
          }
        }
        frontier.set(k, next);
      }
      for (int i = 1; i < n; i++) {
        open |= bestDistance[i] >= level + 1 && !(frontier.get(i).isEmpty() && allEmpty(frontier, i));
      }
    }
    // A deleted version one side reached before the child that tells its manifest was read (on
    // the other side, say): a candidate too, at the distances each side first met it.
    // (Offered again when it was met as a candidate already: at the same distance, it stays what it was.)
    for (String id : orphans.roots.keySet()) {
      for (int k = 0; k < n; k++) {
        for (int m = k + 1; m < n; m++) {
          Integer dk = seen.get(k).get(id);
          Integer dm = seen.get(m).get(id);
          if (dk != null && dm != null) {
            offer(m, id, dk + dm, best, bestDistance, tied);
          }
        }
      }
    }
    bases.add(null);
    for (int i = 1; i < n; i++) {
      if (descendsFromAllBefore(i, parentIds, seen)) {
        // The earlier parents are in its history (a merge of them, gone on since): their nearest
        // common ancestors may tie, yet what it holds is what they came to.
        bases.add(ParentMerge.MERGED_SO_FAR);
        continue;
      }
      Ancestor self = records.get(parentIds.get(i));
      if (self != null && isAncestorOfOneBefore(i, parentIds, seen)) {
        // In the history of an earlier parent: it brings nothing that parent did not take (or
        // delete) since, whatever ancestors tie with it. Itself as the base: the step changes nothing.
        bases.add(repo.repository().objects().has(self.root()) ? self.root() : null);
        continue;
      }
      // Two bases as near (criss-cross merges): neither tells what both sides changed; a union.
      if (best[i] != null && tied[i]) {
        tiedOut.add(parentIds.get(i));
      }
      ObjectId root = best[i] == null || tied[i] ? null
          : records.containsKey(best[i]) ? records.get(best[i]).root() : orphans.roots.get(best[i]);
      boolean here = root != null && repo.repository().objects().has(root);
      if (root != null && !here && !notHereOut.contains(best[i])) {
        notHereOut.add(best[i]);
      }
      bases.add(here ? root : null);
    }
    return bases;
  }

  /** Whether the search from parent {@code i} met every parent before it among its ancestors. */
  private static boolean descendsFromAllBefore(int i, List<String> parentIds, List<Map<String, Integer>> seen) {
    for (int j = 0; j < i; j++) {
      Integer d = seen.get(i).get(parentIds.get(j));
      if (d == null || d == 0) {
        return false; // not met, or the same version given twice
      }
    }
    return true;
  }

  /** Whether the search from a parent before {@code i} met parent {@code i} among its ancestors. */
  private static boolean isAncestorOfOneBefore(int i, List<String> parentIds, List<Map<String, Integer>> seen) {
    for (int j = 0; j < i; j++) {
      Integer d = seen.get(j).get(parentIds.get(i));
      if (d != null && d > 0) {
        return true;
      }
    }
    return false;
  }

  /** Keeps {@code id} as parent {@code i}'s base if it is nearer; notes a tie with another as near. */
  private static void offer(int i, String id, int distance, String[] best, int[] bestDistance, boolean[] tied) {
    if (distance < bestDistance[i]) {
      best[i] = id;
      bestDistance[i] = distance;
      tied[i] = false;
    } else if (distance == bestDistance[i] && !id.equals(best[i])) {
      tied[i] = true;
    }
  }

  /** Whether no parent before {@code i} has ancestors left to read. */
  private static boolean allEmpty(List<List<String>> frontier, int i) {
    for (int j = 0; j < i; j++) {
      if (!frontier.get(j).isEmpty()) {
        return false;
      }
    }
    return true;
  }

  /**
   * The parents and root of version {@code id}; for a version deleted (or whose record is
   * unreadable), those its version object names, if a child's named it and it is here; else no
   * parents, and the root a child that had it as its only parent knows, if any; else null.
   */
  private static Ancestor read(DatasetRepository repo, String id, Map<String, Ancestor> records, Orphans orphans,
      DeletedAncestors deleted) throws IOException {
    if (records.containsKey(id)) {
      return records.get(id);
    }
    Ancestor a = null;
    if (repo.catalog().exists(id)) {
      try {
        DatasetRecord full = repo.catalog().read(id);
        orphans.noteChildOf(full);
        deleted.noteParentsOf(full);
        a = new Ancestor(full.parents(), full.root());
      } catch (CairnException unreadable) {
        // as if deleted
      }
    }
    Version v = a == null ? deleted.of(id) : null;
    if (v != null) {
      a = new Ancestor(deleted.parentsOf(v), v.root()); // deleted here: its line goes on through its version object
    }
    if (a == null && orphans.roots.containsKey(id)) {
      a = new Ancestor(List.of(), orphans.roots.get(id)); // the line of ancestry ends here
    }
    if (a != null) {
      records.put(id, a); // not a miss: a child read later may still tell a deleted version's manifest
    }
    return a;
  }
}
