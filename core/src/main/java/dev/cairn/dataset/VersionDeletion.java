package dev.cairn.dataset;

import dev.cairn.errors.CairnException;
import dev.cairn.errors.DatasetNotFoundException;
import dev.cairn.errors.DatasetStateException;
import dev.cairn.errors.Remedy;
import dev.cairn.internal.io.Text;
import dev.cairn.transport.Remote;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Deleting versions here: one ({@link Dataset#delete}) or every version of a dataset
 * ({@link Dataset#deleteDataset}). A version never uploaded gives back the version string it
 * reserved on its remote; one uploaded stays there, and the deletion says where.
 */
final class VersionDeletion {
  private VersionDeletion() {}

  static Dataset.Deletion delete(Dataset ds, DatasetRepository repo, boolean force) throws IOException {
    Map<String, Remote> remotes = new HashMap<>();
    // The string goes back under the version's lock, as an upload publishes a record under it
    // (Pusher): an upload running meanwhile either finds the version gone or its record is seen.
    try (VersionLocks.Lock lock = repo.catalog().lock(ds.id())) {
      DatasetRecord r = deleteLocally(ds, repo, force);
      return releaseRemoteString(repo, r, remotes);
    } finally {
      for (Remote remote : remotes.values()) {
        remote.close();
      }
    }
  }

  /**
   * What a deleted version's remote does with the version string it reserved there (see
   * {@link Dataset.Deletion}); remotes are opened once into {@code remotes}, which the caller closes.
   */
  private static Dataset.Deletion releaseRemoteString(DatasetRepository repo, DatasetRecord r, Map<String, Remote> remotes) {
    boolean uploaded = r.wasUploaded();
    if (r.storage() == null || uploaded) {
      return new Dataset.Deletion(r.id(), r.version(), null, false, null, Dataset.uploadedRemotes(r));
    }
    // Its version string was reserved on its remote when it was created there; never uploaded,
    // it would leave a gap in that dataset's versions for good.
    try {
      Remote remote = remotes.get(r.storage());
      if (remote == null) {
        remote = repo.openRemote(r.storage());
        remotes.put(r.storage(), remote);
      }
      // A remote moved away (a share not mounted) holds no reservation to release: said, not taken for released.
      remote.checkMarker();
      boolean released = false;
      for (List<String> dataset : namesHeld(repo, r)) {
        released |= remote.releaseName(dataset.get(0), dataset.get(1), r.version(), r.id());
      }
      return new Dataset.Deletion(r.id(), r.version(), r.storage(), released, null, List.of());
    } catch (IOException | RuntimeException e) {
      return new Dataset.Deletion(r.id(), r.version(), r.storage(), false, e.getMessage(), List.of());
    }
  }

  /**
   * The datasets, as [project, name], under which a version may hold its string on its remote:
   * the one it was made in (where {@code create} or {@code sync --storage} reserved it: the
   * project and name its first log entry was given, or its parents' project when it named none)
   * and each one a rename or move gave it since, crossed, since a log entry names only what it
   * changed. Releasing under a dataset that holds no reservation of the version does nothing.
   */
  private static Set<List<String>> namesHeld(DatasetRepository repo, DatasetRecord r) throws IOException {
    Set<String> projects = new LinkedHashSet<>();
    Set<String> names = new LinkedHashSet<>();
    for (LogEntry e : r.log()) {
      List<String> a = e.arguments();
      if (e == r.log().get(0) && (e.command().equals("create") || e.command().equals("sync"))) {
        String p = option(a, "--project");
        String n = option(a, "--name");
        if (p != null) {
          projects.add(p);
        } else {
          projects.add("");
          for (String parent : r.parents()) {
            try {
              projects.add(repo.catalog().read(parent).project());
            } catch (CairnException goneOrUnreadable) {
              // its own project, and the moves', are tried still
            }
          }
        }
        if (n != null) {
          names.add(n);
        }
      } else if (e.renamedTo() != null) {
        projects.add(e.renamedTo().get(0));
        names.add(e.renamedTo().get(1));
      }
    }
    projects.add(r.project());
    names.add(r.name());
    Set<List<String>> out = new LinkedHashSet<>();
    for (String p : projects) {
      for (String n : names) {
        out.add(List.of(p, n));
      }
    }
    return out;
  }

  /** The value of {@code --name V} or {@code --name=V} in a command's arguments, or null. */
  private static String option(List<String> args, String name) {
    for (int i = 0; i < args.size(); i++) {
      if (args.get(i).equals(name) && i + 1 < args.size()) {
        return args.get(i + 1);
      }
      if (args.get(i).startsWith(name + "=")) {
        return args.get(i).substring(name.length() + 1);
      }
    }
    return null;
  }

  /**
   * Deletes every version of {@code project}/{@code name}, newest first (children before their
   * parents), after checking that no draft of another dataset has one as a parent: nothing is
   * deleted when one does.
   */
  static List<Dataset.Deletion> deleteDataset(DatasetRepository repo, String project, String name, boolean force) throws IOException {
    String shown = DatasetRepository.label(project, name);
    List<String> ids = repo.catalog().all().stream().filter(r -> r.project().equals(project) && r.name().equals(name))
        .map(DatasetRecord::id).toList();
    if (ids.isEmpty()) {
      throw new DatasetNotFoundException("Cannot find dataset " + shown);
    }
    if (!force) {
      throw new DatasetStateException("Cannot delete every version of " + shown + " (" + Text.count(ids.size(), "version")
          + ") without force: ", Remedy.FORCE_ENTIRE_DATASET, "");
    }
    List<DatasetRecord> deleted = new ArrayList<>();
    // Under every version's lock, which create takes on its parents: a draft made on one of them
    // meanwhile is seen here, and a lock that cannot be had stops the delete before it begins.
    try (VersionLockSet locks = VersionLockSet.take(repo.catalog(), ids)) {
      Set<String> set = new HashSet<>(ids);
      List<DatasetRecord> versions = new ArrayList<>();
      for (DatasetRecord r : repo.catalog().all()) {
        if (set.contains(r.id())) {
          versions.add(r); // as it is now: renamed or renumbered meanwhile, it goes under its present name
        } else if (r.isDraft() && r.parents().stream().anyMatch(set::contains)) {
          throw new DatasetStateException("Cannot delete " + shown + ": the draft " + r.id() + " (" + r.name() + ") has one of its"
              + " versions as a parent and could not be closed without it; close or delete that draft first");
        }
      }
      versions.sort(Comparator.comparingLong(DatasetRecord::createdMillis).thenComparing(DatasetRecord::id).reversed());
      for (DatasetRecord v : versions) {
        removeRecord(repo, v);
        deleted.add(v);
      }
      // Version strings reserved on remotes are given back once all is deleted here, each remote
      // opened once, and under the locks, as delete gives one back (an upload publishes under them).
      Map<String, Remote> remotes = new HashMap<>();
      try {
        List<Dataset.Deletion> out = new ArrayList<>();
        for (DatasetRecord v : deleted) {
          out.add(releaseRemoteString(repo, v, remotes));
        }
        return out;
      } finally {
        for (Remote r : remotes.values()) {
          try {
            r.close();
          } catch (IOException ignored) {
            // nothing was written through it that a close would lose
          }
        }
      }
    }
  }

  /** Deletes the record here, refusing as {@link Dataset#delete} says; returns the record deleted. */
  private static DatasetRecord deleteLocally(Dataset ds, DatasetRepository repo, boolean force) throws IOException {
    DatasetRecord r = ds.record();
    List<String> children = new ArrayList<>();
    String draftChild = null;
    VersionListing listing = repo.catalog().readAll();
    if (!listing.unreadable().isEmpty() && !force) {
      // Its children would lose their parent without a word, as on a remote (Remote.delete).
      throw new DatasetStateException("Cannot delete " + r.id() + ": the record of version " + listing.unreadable().get(0)
          + " here cannot be read, so whether it has " + r.id() + " as a parent is unknown; recover it with cairn fsck --repair,"
          + " or ", Remedy.FORCE_DELETE, "");
    }
    for (DatasetRecord other : listing.records()) {
      if (other.parents().contains(r.id())) {
        children.add(other.id());
        if (other.isDraft()) {
          draftChild = other.id();
        }
      }
    }
    if (draftChild != null) {
      // Closing a draft writes its parents' version objects into its own: it needs them.
      throw new DatasetStateException("Cannot delete " + r.id() + ": the draft " + draftChild
          + " has it as a parent and could not be closed without it; close or delete that draft first");
    }
    if (r.state() == DatasetState.PUBLISHED && !force) {
      throw new DatasetStateException("Cannot delete " + r.id() + ": it is published (others may rely on it); ", Remedy.FORCE_DELETE, "");
    }
    if (!children.isEmpty() && !force) {
      throw new DatasetStateException("Cannot delete " + r.id() + ": " + Text.count(children.size(), "version")
          + (children.size() == 1 ? " uses" : " use") + " it as a parent (" + String.join(", ", children.subList(0, Math.min(4, children.size())))
          + (children.size() > 4 ? ", ..." : "") + "); ", Remedy.FORCE_DELETE, "");
    }
    removeRecord(repo, r);
    return r;
  }

  /** Deletes {@code r} here: its record, its version string, its cached folders. */
  private static void removeRecord(DatasetRepository repo, DatasetRecord r) throws IOException {
    repo.catalog().delete(r.id(), Dataset.uploadedRemotes(r));
    repo.catalog().releaseVersion(r.project(), r.name(), r.version(), r.id());
    repo.cache().dropVersion(r.id());
  }
}
