package dev.cairn.dataset;

import dev.cairn.id.ObjectId;
import dev.cairn.manifest.DatasetPaths;
import dev.cairn.manifest.DiffEntry;
import dev.cairn.manifest.FileEntry;
import dev.cairn.manifest.Manifest;
import dev.cairn.manifest.ManifestDiff;
import dev.cairn.manifest.ManifestEditor.Edit;
import dev.cairn.manifest.ManifestEditor;
import dev.cairn.manifest.NodeLoader;
import dev.cairn.manifest.TreeBuilder;
import dev.cairn.store.ObjectInserter;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * Merges parent manifests in order, each into the merge of those before it. Without a common
 * ancestor the result is the union of their files, where a later parent's entry replaces an
 * earlier one at the same path. With one (the <em>base</em>: spec/datasets.md, "Drafts and the
 * change-set"), the merge is three-way, as Git's: a path that only one side changed since the base
 * takes that side's change, a deletion included, and only paths both sides changed differently are
 * conflicts, which the later parent wins. Each merge step costs the size of the difference between
 * the two sides, not their size: shared subtrees are skipped by id.
 */
public final class ParentMerge {
  /** The merged root and the paths the parents disagreed on. */
  public record Result(ObjectId root, List<Conflict> conflicts) {}

  /**
   * The base of a step whose parent descends from every parent before it ({@link MergeBases}): the
   * merge so far. That parent's history holds all they hold, so the step gives that parent, as Git
   * fast-forwards; a path it deleted stays deleted. Told by identity, not by its bytes.
   */
  static final ObjectId MERGED_SO_FAR = ObjectId.fromBytes(new byte[32]);

  private ParentMerge() {}

  /**
   * @param parentIds version ids, in parent order
   * @param roots their manifest roots, in the same order
   */
  public static Result merge(List<String> parentIds, List<ObjectId> roots, NodeLoader loader, ObjectInserter inserter) throws IOException {
    return merge(parentIds, roots, Collections.nCopies(roots.size(), null), loader, inserter);
  }

  /**
   * @param bases for each step {@code i >= 1}, the manifest root of the nearest common ancestor of
   *     parent {@code i} and the parents before it, or null when they have none (a union); entry 0
   *     is ignored
   */
  public static Result merge(List<String> parentIds, List<ObjectId> roots, List<ObjectId> bases, NodeLoader loader,
      ObjectInserter inserter) throws IOException {
    if (roots.isEmpty()) {
      return new Result(new TreeBuilder(inserter).finish(), List.of());
    }
    ObjectId merged = roots.get(0);
    // Who provided each path that a later parent touched; all others come from the first parent.
    Map<String, String> provider = new HashMap<>();
    Clashes clashes = new Clashes();
    ManifestDiff differ = new ManifestDiff(loader);
    ManifestEditor editor = new ManifestEditor(loader, inserter);
    for (int i = 1; i < roots.size(); i++) {
      String parent = parentIds.get(i);
      List<Edit> edits = new ArrayList<>();
      List<String> added = new ArrayList<>();
      ObjectId baseRoot = bases.get(i) == MERGED_SO_FAR ? merged : bases.get(i);
      Manifest base = baseRoot == null ? null : new Manifest(loader, baseRoot);
      Map<String, String> providerBefore = new HashMap<>(provider); // who held each path before this step
      differ.diff(merged, roots.get(i), d -> {
        String path = d.path();
        FileEntry inBase = base == null ? null : base.lookup(path);
        if (d.type() == DiffEntry.ChangeType.REMOVED) {
          // Held by the merge so far, not by this parent. Without the base holding it, the earlier
          // side added it: it stays. Else this parent deleted it, which stands, a conflict if the
          // earlier side changed it too.
          if (inBase != null) {
            edits.add(Edit.remove(path));
            if (!inBase.sameContent(d.oldEntry())) {
              clashes.add(path, parent, provider.getOrDefault(path, parentIds.get(0)));
            }
            clashes.took(path, parent);
            provider.put(path, parent);
          }
          return;
        }
        if (inBase != null && inBase.sameContent(d.newEntry())) {
          return; // this parent left it as the base had it: the earlier side's change (or deletion) stands
        }
        // Both sides changed it since the base (or there is no base, or the earlier side deleted
        // what this parent changed): this parent wins, and it is a conflict.
        boolean conflict = d.type() == DiffEntry.ChangeType.MODIFIED
            ? inBase == null || !inBase.sameContent(d.oldEntry())
            : inBase != null;
        if (d.type() == DiffEntry.ChangeType.ADDED) {
          added.add(d.path());
        }
        edits.add(Edit.put(d.newEntry()));
        if (conflict) {
          clashes.add(path, parent, provider.getOrDefault(path, parentIds.get(0)));
        }
        clashes.took(path, parent);
        provider.put(path, parent);
      });
      Step step = new Step(parent, new Manifest(loader, merged), base, new Manifest(loader, roots.get(i)),
          p -> providerBefore.getOrDefault(p, parentIds.get(0)), new HashSet<>());
      for (String p : added) {
        resolveShapes(step, p, edits, clashes);
      }
      if (!edits.isEmpty()) {
        merged = editor.apply(merged, edits);
      }
    }
    return new Result(merged, clashes.conflicts());
  }

  /**
   * One step of a merge: {@code parent} (its manifest {@code theirs}) merged into {@code before},
   * the merge of the parents before it, against {@code base} (null: a union); {@code earlier}
   * names the parent that gave a path to the merge so far; {@code foldersSeen}, the folders of
   * added paths looked at so far (each is looked up once a step).
   */
  private record Step(String parent, Manifest before, Manifest base, Manifest theirs, Function<String, String> earlier,
      Set<String> foldersSeen) {}

  /**
   * Settles the shape of a path {@code p} that the step's parent added: a path that is a file in
   * one parent and a folder in another takes the later parent's shape, and is a conflict unless the
   * earlier side held it as the base did (then only this parent changed it); a file or folder whose
   * name differs from the merge's only by Unicode normalization replaces that one, a conflict too.
   */
  private static void resolveShapes(Step step, String p, List<Edit> edits, Clashes clashes) throws IOException {
    for (String twin : DatasetPaths.otherForms(p)) {
      FileEntry other = step.before().lookup(twin);
      if (other != null && (step.base() == null || step.base().lookup(twin) == null)) {
        // The same name in another Unicode form, which the earlier side added: the two would
        // collide on many systems, and no add lets a version hold both. This parent's wins, as
        // in any conflict.
        edits.add(0, Edit.remove(twin));
        clashes.add(p, step.parent(), step.earlier().apply(twin));
      }
    }
    for (int s = p.indexOf('/'); s > 0; s = p.indexOf('/', s + 1)) {
      String folder = p.substring(0, s);
      if (!step.foldersSeen().add(folder)) {
        continue;
      }
      takeFolderForm(step, folder, edits, clashes);
      FileEntry file = step.before().lookup(folder);
      if (file != null) {
        edits.add(0, Edit.remove(folder)); // the earlier parents' file gives way to this parent's folder
        if (!asInBase(step.base(), file)) {
          clashes.add(folder, step.parent(), step.earlier().apply(folder));
          // This parent's folder wins whole, with the files it kept as the base had them (the
          // earlier side's file had replaced them).
          for (Iterator<FileEntry> kept = step.theirs().iterator(folder + "/"); kept.hasNext(); ) {
            FileEntry k = kept.next();
            if (!DatasetPaths.isUnder(k.path(), folder)) {
              break;
            }
            edits.add(Edit.put(k));
          }
        }
      }
    }
    for (Iterator<FileEntry> under = step.before().iterator(p + "/"); under.hasNext(); ) {
      FileEntry inFolder = under.next();
      String q = inFolder.path();
      if (!DatasetPaths.isUnder(q, p)) {
        break;
      }
      edits.add(0, Edit.remove(q)); // the earlier parents' folder gives way to this parent's file
      // (p's own provider is this parent already: the folder came from whoever gave q)
      if (!asInBase(step.base(), inFolder)) {
        clashes.add(p, step.parent(), step.earlier().apply(q));
      }
    }
  }

  /**
   * Of a folder that the step's parent names in one Unicode form and the earlier side in another,
   * this parent's form wins, a conflict at {@code folder}: the files the earlier side added under
   * the other form move under this one, but where this parent holds the same path (those the base
   * held as they are go by the diff already, this parent having renamed the folder).
   */
  private static void takeFolderForm(Step step, String folder, List<Edit> edits, Clashes clashes) throws IOException {
    for (String twin : DatasetPaths.otherForms(folder)) {
      for (Iterator<FileEntry> under = step.before().iterator(twin + "/"); under.hasNext(); ) {
        FileEntry e = under.next();
        if (!DatasetPaths.isUnder(e.path(), twin)) {
          break;
        }
        if (!asInBase(step.base(), e)) {
          edits.add(0, Edit.remove(e.path()));
          String moved = folder + e.path().substring(twin.length());
          if (step.theirs().lookup(moved) == null) {
            edits.add(Edit.put(e.withPath(moved)));
          }
          clashes.add(folder, step.parent(), step.earlier().apply(e.path()));
        }
      }
    }
  }

  /** The paths the parents disagreed on, each with the parents that held it in turn. */
  private static final class Clashes {
    private final Map<String, List<String>> holders = new HashMap<>();
    private final List<String> order = new ArrayList<>();

    /** Records that {@code parent} replaced, at {@code path}, what parent {@code earlier} held there. */
    void add(String path, String parent, String earlier) {
      List<String> h = holders.get(path);
      if (h == null) {
        h = new ArrayList<>();
        h.add(earlier);
        holders.put(path, h);
        order.add(path);
      }
      if (!h.get(h.size() - 1).equals(parent)) {
        h.add(parent);
      }
    }

    /**
     * Records that the version takes {@code parent}'s side of {@code path}, if the parents
     * disagreed on it before: a later parent that changes it without a conflict of its own (one
     * unrelated to the others, which adds it back) is then the conflict's winner, the parent whose
     * content (or deletion) the version holds.
     */
    void took(String path, String parent) {
      List<String> h = holders.get(path);
      if (h != null && !h.get(h.size() - 1).equals(parent)) {
        h.add(parent);
      }
    }

    /** The conflicts, in path order. */
    List<Conflict> conflicts() {
      List<String> paths = new ArrayList<>(new LinkedHashSet<>(order));
      paths.sort(DatasetPaths::compare);
      List<Conflict> out = new ArrayList<>();
      for (String p : paths) {
        out.add(new Conflict(p, holders.get(p)));
      }
      return out;
    }
  }

  /** Whether {@code base} holds {@code e} as it is (the earlier side left that path alone). */
  private static boolean asInBase(Manifest base, FileEntry e) throws IOException {
    FileEntry b = base == null ? null : base.lookup(e.path());
    return b != null && b.sameContent(e);
  }
}
