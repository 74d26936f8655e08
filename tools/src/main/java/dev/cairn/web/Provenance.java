package dev.cairn.web;

import dev.cairn.dataset.DatasetRecord;
import dev.cairn.id.ObjectId;
import dev.cairn.manifest.DiffEntry;
import dev.cairn.manifest.FileEntry;
import dev.cairn.manifest.Manifest;
import dev.cairn.manifest.NodeLoader;
import java.io.IOException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Where a file's content is stored: the version whose own change-set added or modified that path
 * with that content (ClearML's "location" column). A version's entry either differs from its
 * merged parents' (then the version introduced it) or came from the parent that holds the same
 * content at that path (the last such parent, as later parents win a merge), and so on up the
 * lineage. Each step is a couple of manifest lookups, one node per tree level, so resolving a page
 * of rows costs rows × depth lookups and never reads a whole manifest.
 *
 * <p>One instance serves one request: it caches the records it reads. Not thread-safe.
 */
final class Provenance {
  /** Longest chain of ancestors followed (a guard against a damaged catalog). */
  private static final int MAX_STEPS = 10_000;

  private final Site site;
  private final NodeLoader loader;
  private final Map<String, DatasetRecord> records = new HashMap<>();

  Provenance(Site site, NodeLoader loader) {
    this.site = site;
    this.loader = loader;
  }

  /**
   * The version that introduced {@code entry} as {@code version} holds it, or null if the trail
   * leads to a deleted version. Past {@link #MAX_STEPS} it stops at the furthest version reached,
   * which holds the content too.
   */
  DatasetRecord introducer(DatasetRecord version, FileEntry entry) throws IOException {
    DatasetRecord at = version;
    for (int step = 0; step < MAX_STEPS; step++) {
      if (!sameContent(lookup(at.base(), entry.path()), entry)) {
        return at;
      }
      DatasetRecord parent = parentHolding(at, entry);
      if (parent == null) {
        return null;
      }
      at = parent;
    }
    return at;
  }

  /**
   * Where the content of one change of {@code version}'s change-set is stored: the version itself
   * for additions and modifications, the ancestor that introduced the old content for removals.
   */
  DatasetRecord introducer(DatasetRecord version, DiffEntry change) throws IOException {
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
      if (p != null && sameContent(lookup(p.root(), entry.path()), entry)) {
        return p;
      }
    }
    return null;
  }

  private FileEntry lookup(ObjectId root, String path) throws IOException {
    return new Manifest(loader, root).lookup(path);
  }

  private DatasetRecord record(String id) throws IOException {
    if (!records.containsKey(id)) {
      records.put(id, site.recordOrNull(id));
    }
    return records.get(id);
  }

  private static boolean sameContent(FileEntry a, FileEntry b) {
    return a != null && a.kind() == b.kind() && a.digest().equals(b.digest());
  }
}
