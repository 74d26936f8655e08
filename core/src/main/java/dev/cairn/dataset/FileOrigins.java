package dev.cairn.dataset;

import dev.cairn.errors.CairnException;
import dev.cairn.id.ObjectId;
import dev.cairn.manifest.DiffEntry;
import dev.cairn.manifest.FileEntry;
import dev.cairn.manifest.Manifest;
import dev.cairn.manifest.ManifestDiff;
import dev.cairn.manifest.NodeLoader;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.Collection;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Which version brought each file of a version: the nearest one, walking the lineage back, whose
 * own change-set added or modified the path to the content it holds now, where that content is
 * stored (clearml's {@code parent_dataset_id}; spec/datasets.md, "Origins").
 *
 * <p>A version's entry either has other content than its merged parents' (then the version brought
 * it) or came from the last parent whose entry at that path has the same content (later parents
 * win a merge), and so on up the lineage; a lineage that reaches a deleted ancestor, or one whose
 * manifest is not here, ends without an answer. Two ways to the same answer: {@link #of} places
 * many paths at once, one comparison of two manifest roots per version on the way (equal subtrees
 * are skipped unread, so the work grows with the changes along the lineage, not with the files);
 * {@link #introducer(DatasetRecord, FileEntry)} follows one file, a couple of lookups per version,
 * for a page of rows.
 *
 * <p>The caller owns the reader behind the loader. Records read are kept for the instance's life.
 * Not thread-safe.
 */
public final class FileOrigins {
  /** Longest chain of ancestors one file is followed through (a guard against a damaged catalog). */
  private static final int MAX_STEPS = 100_000;

  private final DatasetRepository repo;
  private final NodeLoader loader;
  private final Map<String, DatasetRecord> records = new HashMap<>();

  public FileOrigins(DatasetRepository repo, NodeLoader loader) {
    this.repo = repo;
    this.loader = loader;
  }

  /** Paths still to place, and the version whose entries they hold. */
  private record Step(DatasetRecord version, Set<String> paths) {}

  /**
   * The origin of each of {@code paths} (files of {@code version}): a version id, or null where
   * the lineage cannot be followed (an ancestor deleted, or its manifest not fetched here).
   */
  public Map<String, String> of(DatasetRecord version, Collection<String> paths) throws IOException {
    Map<String, String> origin = new HashMap<>();
    Deque<Step> steps = new ArrayDeque<>();
    steps.add(new Step(version, new HashSet<>(paths)));
    ManifestDiff diff = new ManifestDiff(loader);
    try {
      while (!steps.isEmpty()) {
        DatasetRecord v = steps.peek().version();
        Set<String> pending = steps.poll().paths();
        // Its own change-set first: what it added or modified is its own, whatever its parents hold.
        boolean baseKnown = has(v.base());
        if (baseKnown) {
          Set<String> changed = new HashSet<>();
          Set<String> lookingFor = pending;
          diff.diff(v.base(), v.root(), d -> {
            if (d.type() != DiffEntry.ChangeType.REMOVED && !sameContent(d.oldEntry(), d.newEntry()) && lookingFor.contains(d.path())) {
              changed.add(d.path());
            }
          });
          pending.removeAll(changed);
          changed.forEach(p -> origin.put(p, v.id()));
        }
        boolean unknownParent = false;
        for (int i = v.parents().size() - 1; i >= 0 && !pending.isEmpty(); i--) {
          DatasetRecord parent = record(v.parents().get(i));
          if (parent == null || !has(parent.root())) {
            unknownParent = true;
            continue;
          }
          if (baseKnown && v.parents().size() == 1 && v.base().equals(parent.root())) {
            steps.add(new Step(parent, pending)); // the rest is the parent's as it was: no comparison needed
            pending = Set.of();
            break;
          }
          Set<String> differ = new HashSet<>();
          Set<String> lookingFor = pending;
          diff.diff(parent.root(), v.root(), d -> {
            if (!sameContent(d.oldEntry(), d.newEntry()) && lookingFor.contains(d.path())) {
              differ.add(d.path());
            }
          });
          // What the parent holds alike came from it; the rest is looked for in earlier parents.
          pending.removeAll(differ);
          if (!pending.isEmpty()) {
            steps.add(new Step(parent, pending));
          }
          pending = differ;
        }
        // Left: held by no parent alike (a merge's own making), or by a parent that cannot be read.
        String own = unknownParent ? null : v.id();
        pending.forEach(p -> origin.put(p, own));
      }
    } catch (java.io.UncheckedIOException nodeUnreadable) {
      throw nodeUnreadable.getCause();
    }
    return origin;
  }

  /**
   * The version that brought {@code entry} as {@code version} holds it, or null if the trail
   * leads to a deleted version (or one whose manifest is not here). Past {@link #MAX_STEPS} it
   * stops at the furthest version reached, which holds the content too.
   */
  public DatasetRecord introducer(DatasetRecord version, FileEntry entry) throws IOException {
    DatasetRecord at = version;
    for (int step = 0; step < MAX_STEPS; step++) {
      if (has(at.base()) && !sameContent(lookup(at.base(), entry.path()), entry)) {
        return at; // its own change-set brought it
      }
      DatasetRecord holder = null;
      boolean unknownParent = false;
      for (int i = at.parents().size() - 1; i >= 0 && holder == null; i--) {
        DatasetRecord p = record(at.parents().get(i));
        if (p == null || !has(p.root())) {
          unknownParent = true;
        } else if (sameContent(lookup(p.root(), entry.path()), entry)) {
          holder = p;
        }
      }
      if (holder == null) {
        return unknownParent ? null : at; // as of(): a merge's own making, or a trail that ends
      }
      at = holder;
    }
    return at;
  }

  /**
   * Where the content of one change of {@code version}'s change-set is stored: the version itself
   * for additions and modifications, the ancestor that brought the old content for removals.
   */
  public DatasetRecord introducer(DatasetRecord version, DiffEntry change) throws IOException {
    if (change.type() != DiffEntry.ChangeType.REMOVED) {
      return version;
    }
    DatasetRecord parent = parentHolding(version, change.oldEntry());
    return parent == null ? null : introducer(parent, change.oldEntry());
  }

  /** The last parent of {@code r} whose content holds {@code entry}, or null. */
  private DatasetRecord parentHolding(DatasetRecord r, FileEntry entry) throws IOException {
    List<String> parents = r.parents();
    for (int i = parents.size() - 1; i >= 0; i--) {
      DatasetRecord p = record(parents.get(i));
      if (p != null && has(p.root()) && sameContent(lookup(p.root(), entry.path()), entry)) {
        return p;
      }
    }
    return null;
  }

  private FileEntry lookup(ObjectId root, String path) throws IOException {
    return new Manifest(loader, root).lookup(path);
  }

  private boolean has(ObjectId id) throws IOException {
    return id != null && repo.repository().objects().has(id);
  }

  /** A version's record, or null if it was deleted or cannot be read ({@code fsck} reports it). */
  private DatasetRecord record(String id) throws IOException {
    if (!records.containsKey(id)) {
      DatasetRecord r = null;
      if (repo.catalog().exists(id)) {
        try {
          r = repo.catalog().read(id);
        } catch (CairnException unreadable) {
          // an end of the trail, like a deleted ancestor
        }
      }
      records.put(id, r);
    }
    return records.get(id);
  }

  /** Whether two entries hold the same content (an executable bit alone does not move where it is stored). */
  private static boolean sameContent(FileEntry a, FileEntry b) {
    return a != null && b != null && a.kind() == b.kind() && a.digest().equals(b.digest());
  }
}
