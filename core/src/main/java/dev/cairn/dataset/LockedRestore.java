package dev.cairn.dataset;

import dev.cairn.errors.DatasetNotFoundException;
import dev.cairn.errors.InvalidInputException;
import dev.cairn.errors.MissingObjectException;
import dev.cairn.id.ObjectId;
import dev.cairn.manifest.Manifest;
import dev.cairn.manifest.NodeLoader;
import dev.cairn.store.ObjectReader;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Restores what a lock file names ({@link Usage.Use}: a run's versions by manifest root), for
 * {@link DatasetRepository#restore} and {@link DatasetRepository#restoreAll}.
 */
final class LockedRestore {
  private final DatasetRepository repo;

  LockedRestore(DatasetRepository repo) {
    this.repo = repo;
  }

  /** See {@link DatasetRepository#restore}. */
  Path restore(Usage.Use use, Selection selection, Path copyTarget, boolean overwrite, Progress progress) throws IOException {
    progress = Progress.orNone(progress);
    requireLockedRootHere(use);
    if (copyTarget != null) {
      return LocalCopies.mutableCopy(repo, use.root(), copyTarget, overwrite, selection, progress);
    }
    String label = "root-" + use.root().hex();
    if (repo.catalog().exists(use.id())) {
      DatasetRecord r = repo.catalog().read(use.id());
      if (!r.isDraft() && r.root().equals(use.root())) {
        label = r.id();
      }
    }
    return repo.cache().materialize(label, use.root(), selection, progress);
  }

  /** See {@link DatasetRepository#restoreAll}. */
  List<Path> restoreAll(List<Usage.Use> uses, Selection selection, Path copyDir, boolean overwrite, Progress progress)
      throws IOException {
    Map<String, ObjectId> roots = new LinkedHashMap<>();
    for (Usage.Use use : uses) {
      requireLockedRootHere(use);
      roots.put(use.alias(), use.root());
    }
    LocalCopies.removeDeadCopies(copyDir); // what a killed copy left does not make it look taken
    if (LocalCopies.holdsEntries(copyDir)) {
      for (Usage.Use use : uses) {
        LocalCopies.mutableCopy(repo, use.root(), copyDir.resolve(use.alias()), overwrite, selection, Progress.orNone(progress));
      }
    } else {
      LocalCopies.mutableCopies(repo, roots, copyDir, overwrite, selection, Progress.orNone(progress));
    }
    return uses.stream().map(u -> copyDir.resolve(u.alias())).toList();
  }

  /**
   * As {@link #requireLockedRoot}, and refuses a use whose manifest is not here, saying whether its
   * version is (fetch it from the remote its record names) or not (name a remote that holds it).
   */
  private void requireLockedRootHere(Usage.Use use) throws IOException {
    requireLockedRoot(use);
    if (repo.repository().objects().has(use.root())) {
      return;
    }
    String what = "the manifest of " + use.alias() + " (" + use.project() + " / " + use.name() + " " + use.version() + ", " + use.id() + ")";
    if (!repo.catalog().exists(use.id())) {
      // Not damage: a version this repository never had.
      throw new DatasetNotFoundException("Cannot restore " + what + ": this repository does not hold that version; give --storage URI"
          + " of a remote that does");
    }
    String storage = repo.catalog().read(use.id()).storage();
    throw new MissingObjectException(use.root(), what + ": fetch it from its remote first"
        + (storage == null ? " (--storage URI)" : " (--storage " + storage + ")"));
  }

  /**
   * Refuses a use whose version is here, closed, with another root than the one the use names: a
   * closed version never changes, so the lock file was edited, or names another repository's
   * version.
   */
  private void requireLockedRoot(Usage.Use use) throws IOException {
    if (repo.catalog().exists(use.id())) {
      DatasetRecord r = repo.catalog().read(use.id());
      if (!r.isDraft() && !use.root().equals(r.root())) {
        throw new InvalidInputException("Cannot restore " + use.alias() + ": its lock names version " + use.id()
            + " with root " + use.root().hex().substring(0, 12) + ", but that version's root is " + r.root().hex().substring(0, 12)
            + " (the lock file was edited, or written for another version)");
      }
    }
  }

  /** See {@link DatasetRepository#anyFileMatches}. */
  boolean anyFileMatches(Usage.Use use, Selection selection) throws IOException {
    if (selection.filters().isEmpty() || !repo.repository().objects().has(use.root())) {
      return true;
    }
    Selection filtersOnly = new Selection(0, 1, selection.filters());
    boolean[] found = {false};
    try (ObjectReader reader = repo.repository().objects().newReader()) {
      filtersOnly.forEach(new Manifest(new NodeLoader(reader), use.root()), e -> {
        found[0] = true;
        return false;
      });
    }
    return found[0];
  }
}
