package dev.cairn.dataset;

import dev.cairn.id.ObjectId;
import dev.cairn.manifest.DiffEntry;
import dev.cairn.manifest.Manifest;
import dev.cairn.manifest.ManifestDiff;
import dev.cairn.manifest.ManifestEditor;
import dev.cairn.manifest.ManifestEditor.Edit;
import dev.cairn.manifest.NodeLoader;
import dev.cairn.manifest.TreeBuilder;
import dev.cairn.store.ObjectInserter;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Merges parent manifests in order: the union of their files, where a later parent's entry
 * replaces an earlier one at the same path. Each merge step costs the size of the difference
 * between the parents, not their size: shared subtrees are skipped by id.
 */
public final class ParentMerge {
  /** The merged root and the paths the parents disagreed on. */
  public record Result(ObjectId root, List<Conflict> conflicts) {}

  private ParentMerge() {}

  /**
   * @param parentIds version ids, in parent order
   * @param roots their manifest roots, in the same order
   */
  public static Result merge(List<String> parentIds, List<ObjectId> roots, NodeLoader loader, ObjectInserter inserter) throws IOException {
    if (roots.isEmpty()) {
      return new Result(new TreeBuilder(inserter).finish(), List.of());
    }
    ObjectId merged = roots.get(0);
    // Who provided each path that a later parent touched; all others come from the first parent.
    Map<String, List<String>> holders = new HashMap<>();
    Map<String, String> provider = new HashMap<>();
    List<String> conflictOrder = new ArrayList<>();
    ManifestDiff differ = new ManifestDiff(loader);
    ManifestEditor editor = new ManifestEditor(loader, inserter);
    for (int i = 1; i < roots.size(); i++) {
      String parent = parentIds.get(i);
      List<Edit> edits = new ArrayList<>();
      List<String> added = new ArrayList<>();
      differ.diff(merged, roots.get(i), d -> {
        if (d.type() == DiffEntry.ChangeType.REMOVED) {
          return;
        }
        if (d.type() == DiffEntry.ChangeType.ADDED) {
          added.add(d.path());
        }
        edits.add(Edit.put(d.newEntry()));
        String path = d.path();
        if (d.type() == DiffEntry.ChangeType.MODIFIED) {
          List<String> h = holders.get(path);
          if (h == null) {
            h = new ArrayList<>();
            h.add(provider.getOrDefault(path, parentIds.get(0)));
            holders.put(path, h);
            conflictOrder.add(path);
          }
          h.add(parent);
        }
        provider.put(path, parent);
      });
      // A path that is a file in one parent and a folder in another: the later parent wins here
      // too, and the path is a conflict.
      Manifest before = new Manifest(loader, merged);
      java.util.Set<String> folders = new java.util.HashSet<>();
      for (String p : added) {
        for (int s = p.indexOf('/'); s > 0; s = p.indexOf('/', s + 1)) {
          String folder = p.substring(0, s);
          if (folders.add(folder) && before.lookup(folder) != null) {
            edits.add(0, Edit.remove(folder)); // the earlier parents' file gives way to this parent's folder
            clash(folder, parent, provider.getOrDefault(folder, parentIds.get(0)), holders, conflictOrder);
          }
        }
        for (java.util.Iterator<dev.cairn.manifest.FileEntry> under = before.iterator(p + "/"); under.hasNext(); ) {
          String q = under.next().path();
          if (!dev.cairn.manifest.DatasetPaths.isUnder(q, p)) {
            break;
          }
          edits.add(0, Edit.remove(q)); // the earlier parents' folder gives way to this parent's file
          // (p's own provider is this parent already: the folder came from whoever gave q)
          clash(p, parent, provider.getOrDefault(q, parentIds.get(0)), holders, conflictOrder);
        }
      }
      if (!edits.isEmpty()) {
        merged = editor.apply(merged, edits);
      }
    }
    conflictOrder.sort(dev.cairn.manifest.DatasetPaths::compare);
    List<Conflict> conflicts = new ArrayList<>();
    for (String p : new java.util.LinkedHashSet<>(conflictOrder)) {
      conflicts.add(new Conflict(p, holders.get(p)));
    }
    return new Result(merged, conflicts);
  }

  /** Records that {@code parent} replaced, at {@code path}, what parent {@code earlier} held there. */
  private static void clash(String path, String parent, String earlier, Map<String, List<String>> holders, List<String> conflictOrder) {
    List<String> h = holders.get(path);
    if (h == null) {
      h = new ArrayList<>();
      h.add(earlier);
      holders.put(path, h);
      conflictOrder.add(path);
    }
    if (!h.get(h.size() - 1).equals(parent)) {
      h.add(parent);
    }
  }
}
