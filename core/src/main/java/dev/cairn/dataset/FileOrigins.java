package dev.cairn.dataset;

import dev.cairn.errors.CairnException;
import dev.cairn.id.ObjectId;
import dev.cairn.manifest.DiffEntry;
import dev.cairn.manifest.FileEntry;
import dev.cairn.manifest.Manifest;
import dev.cairn.manifest.ManifestDiff;
import dev.cairn.manifest.NodeLoader;
import java.io.IOException;
import java.io.UncheckedIOException;
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
 * win a merge), and so on up the lineage; a deleted ancestor is passed through its version object
 * (the answer may be it: its content stays stored with it), and a lineage that reaches one whose
 * version object or manifest is not here ends without an answer. Two ways to the same answer: {@link #of} places
 * many paths at once, one comparison of two manifest roots per version on the way (equal subtrees
 * are skipped unread, so the work grows with the changes along the lineage, not with the files);
 * {@link #introducer(DatasetRecord, FileEntry)} follows one file, a couple of lookups per version,
 * for a page of rows.
 *
 * <p>The caller owns the reader behind the loader. Records read are kept for the instance's life.
 * Not thread-safe.
 */
public final class FileOrigins {
  private final DatasetRepository repo;
  private final NodeLoader loader;
  private final Map<String, DatasetRecord> records = new HashMap<>();

  public FileOrigins(DatasetRepository repo, NodeLoader loader) {
    this.repo = repo;
    this.loader = loader;
    this.deleted = new DeletedAncestors(repo, loader.reader());
  }

  /** Deleted ancestors, walked through their version objects. */
  private final DeletedAncestors deleted;

  /** Versions whose deleted parents' version objects were looked up. */
  private final Set<String> noted = new HashSet<>();

  /** Notes where the version objects of {@code r}'s deleted parents are, once for each version. */
  private void note(DatasetRecord r) throws IOException {
    if (noted.add(r.id())) {
      deleted.noteParentsOf(r);
    }
  }


  /**
   * The origin of each of {@code paths} (files of {@code version}): a version id (perhaps of a
   * version deleted here, passed through its version object), or null where the lineage cannot be
   * followed (an ancestor's manifest not fetched here, or one deleted whose version object is gone).
   *
   * <p>The versions of the lineage are visited children first (Kahn's order over the lineage's
   * records), each once with every path its children passed on to it, so that a version reached
   * by two routes is compared with its parents once; a version that is its own ancestor (a
   * damaged catalog) is never reached, and the paths waiting at it have no answer.
   */
  public Map<String, String> of(DatasetRecord version, Collection<String> paths) throws IOException {
    note(version);
    Map<String, Integer> children = null; // read when a path first goes past the version itself
    Map<String, String> origin = new HashMap<>();
    Map<String, Set<String>> waiting = new HashMap<>();
    waiting.put(version.id(), new HashSet<>(paths));
    Deque<DatasetRecord> ready = new ArrayDeque<>(List.of(version));
    ManifestDiff diff = new ManifestDiff(loader);
    try {
      while (!ready.isEmpty()) {
        DatasetRecord v = ready.poll();
        Set<String> pending = waiting.remove(v.id());
        pending = pending == null ? new HashSet<>() : pending;
        // Its own change-set first: what it added or modified is its own, whatever its parents hold.
        boolean baseKnown = has(v.base());
        if (baseKnown && !pending.isEmpty()) {
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
        if (pending.isEmpty() && waiting.isEmpty()) {
          break; // every path placed: the rest of the lineage is not read
        }
        if (children == null) {
          children = childCounts(version);
        }
        boolean unknownParent = false;
        for (int i = v.parents().size() - 1; i >= 0; i--) {
          DatasetRecord parent = readableWithManifest(v.parents().get(i));
          if (parent == null) {
            unknownParent = true;
            continue;
          }
          if (!pending.isEmpty()) {
            Set<String> alike;
            if (baseKnown && v.parents().size() == 1 && v.base().equals(parent.root())) {
              alike = pending; // the rest is the parent's as it was: no comparison needed
              pending = new HashSet<>();
            } else {
              Set<String> differ = new HashSet<>();
              Set<String> lookingFor = pending;
              diff.diff(parent.root(), v.root(), d -> {
                if (!sameContent(d.oldEntry(), d.newEntry()) && lookingFor.contains(d.path())) {
                  differ.add(d.path());
                }
              });
              // What the parent holds alike came from it; the rest is looked for in earlier parents.
              pending.removeAll(differ);
              alike = pending;
              pending = differ;
            }
            if (!alike.isEmpty()) {
              waiting.merge(parent.id(), alike, (a, b) -> {
                a.addAll(b);
                return a;
              });
            }
          }
          if (children.merge(parent.id(), -1, Integer::sum) == 0) {
            ready.add(parent); // every child has passed on its paths
          }
        }
        // Left: held by no parent alike (a merge's own making), or by a parent that cannot be read.
        String own = unknownParent ? null : v.id();
        pending.forEach(p -> origin.put(p, own));
      }
    } catch (UncheckedIOException nodeUnreadable) {
      throw nodeUnreadable.getCause();
    }
    // Paths waiting at versions never reached: a cycle in a damaged catalog.
    waiting.values().forEach(left -> left.forEach(p -> origin.put(p, null)));
    return origin;
  }

  /** The readable versions of {@code version}'s lineage, each with how many of its children are in it. */
  private Map<String, Integer> childCounts(DatasetRecord version) throws IOException {
    Map<String, Integer> children = new HashMap<>();
    Deque<DatasetRecord> walk = new ArrayDeque<>(List.of(version));
    Set<String> seen = new HashSet<>(Set.of(version.id()));
    while (!walk.isEmpty()) {
      for (String p : walk.poll().parents()) {
        DatasetRecord parent = readableWithManifest(p);
        if (parent != null) {
          children.merge(p, 1, Integer::sum);
          if (seen.add(p)) {
            walk.add(parent);
          }
        }
      }
    }
    return children;
  }

  /** A version's record if it is here and readable and its manifest is stored here, else null. */
  private DatasetRecord readableWithManifest(String id) throws IOException {
    DatasetRecord r = record(id);
    return r != null && has(r.root()) ? r : null;
  }

  /**
   * The version that brought {@code entry} as {@code version} holds it (a version deleted here is
   * given as a record standing in for it, whose id has no record in the catalog), or null if the trail leads to a
   * version whose manifest is not here, or a deleted one whose version object is gone, or round a
   * cycle of a damaged catalog.
   */
  public DatasetRecord introducer(DatasetRecord version, FileEntry entry) throws IOException {
    note(version);
    DatasetRecord at = version;
    Set<String> passed = new HashSet<>();
    while (passed.add(at.id())) { // a version met again: a damaged catalog's cycle, no answer
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
    return null;
  }

  /**
   * Where the content of one change of {@code version}'s change-set is stored: the version itself
   * for additions and modifications, the ancestor that brought the old content for removals.
   */
  public DatasetRecord introducer(DatasetRecord version, DiffEntry change) throws IOException {
    if (change.type() == DiffEntry.ChangeType.MODIFIED && sameContent(change.oldEntry(), change.newEntry())) {
      return introducer(version, change.newEntry()); // its executable bit alone: the bytes stay where they were
    }
    if (change.type() != DiffEntry.ChangeType.REMOVED) {
      return version;
    }
    DatasetRecord parent = parentHolding(version, change.oldEntry());
    return parent == null ? null : introducer(parent, change.oldEntry());
  }

  /** The last parent of {@code r} whose content holds {@code entry}, or null. */
  private DatasetRecord parentHolding(DatasetRecord r, FileEntry entry) throws IOException {
    note(r);
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

  /**
   * The record of an origin that {@link #of} gave: the version's own, or for one deleted here the
   * record standing in for it, read from its version object.
   */
  DatasetRecord recordOf(String id) throws IOException {
    return record(id);
  }

  /**
   * A version's record; for one deleted here, a record standing in for it, read from its version
   * object, which its child's names (so the trail goes on past it); null if it cannot be read
   * ({@code fsck} reports it) or its version object is not here.
   */
  private DatasetRecord record(String id) throws IOException {
    if (!records.containsKey(id)) {
      DatasetRecord r = null;
      if (repo.catalog().exists(id)) {
        try {
          r = repo.catalog().read(id);
          note(r);
        } catch (CairnException unreadable) {
          // an end of the trail
        }
      } else {
        r = deleted.standIn(id);
        if (r == null && !deleted.noted(id)) {
          return null; // not kept: a child met later may still name its version object
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
