package dev.cairn.dataset;

import dev.cairn.errors.BadStorageLocationException;
import dev.cairn.errors.CairnException;
import dev.cairn.errors.DatasetNotFoundException;
import dev.cairn.errors.DatasetStateException;
import dev.cairn.errors.InvalidConfigException;
import dev.cairn.errors.InvalidInputException;
import dev.cairn.errors.Remedy;
import dev.cairn.internal.fs.WholeFileLock;
import dev.cairn.internal.io.Text;
import dev.cairn.storage.Storages;
import dev.cairn.transport.Remote;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Renaming a dataset, moving it to another project ({@link Dataset#rename},
 * {@link Dataset#moveToProject}) and giving a version another version string
 * ({@link Dataset#setVersion}): record changes under which the versions' objects stay as they
 * are. A remote that holds the dataset has the new name reserved first; its records take it at
 * each version's next upload.
 */
final class DatasetRename {
  /** Run by a rename once it has listed the versions to rename: where a test makes a version meanwhile. */
  static volatile Runnable afterListing = () -> {};

  private DatasetRename() {}

  /**
   * Renames or moves every version of r's dataset; returns how many (0 when nothing changes). One
   * at a time in a repository: two of one dataset at once would each rename some of its versions.
   *
   * @throws DatasetStateException if another rename or move changed r's dataset since r was read
   */
  static int rename(DatasetRepository repo, DatasetRecord r, String newProject, String newName) throws IOException {
    try (WholeFileLock one = WholeFileLock.take(repo.repository().tmpDirectory().resolve(DatasetRepository.RENAME_LOCK_FILE),
        (String holder) -> Progress.LOGGED.warn("waiting for another rename or move in this repository, by " + holder + ", to end"))) {
      DatasetRecord now;
      try {
        now = repo.catalog().read(r.id());
      } catch (DatasetNotFoundException deleted) {
        throw new DatasetNotFoundException("Cannot rename " + DatasetRepository.label(r.project(), r.name()) + ": version " + r.id()
            + " was deleted meanwhile; nothing changed");
      }
      if (!now.project().equals(r.project()) || !now.name().equals(r.name())) {
        throw new DatasetStateException("Cannot " + (newProject != null ? "move " : "rename ") + DatasetRepository.label(r.project(), r.name())
            + ": another command made it " + DatasetRepository.label(now.project(), now.name()) + " meanwhile; nothing changed");
      }
      return renameAlone(repo, now, newProject, newName);
    }
  }

  private static int renameAlone(DatasetRepository repo, DatasetRecord r, String newProject, String newName) throws IOException {
    String project = newProject != null ? newProject : r.project();
    String name = newName != null ? newName : r.name();
    // What changes is checked: a dataset an older release named otherwise can still be renamed or moved.
    if (!name.equals(r.name())) {
      VersionLifecycle.checkName("name", name, false);
    }
    if (!project.equals(r.project())) {
      VersionLifecycle.checkName("project", project, true);
    }
    if (project.equals(r.project()) && name.equals(r.name())) {
      return 0;
    }
    VersionLifecycle.requireNoLookalikeDataset(repo, project, name, r, "Cannot " + (name.equals(r.name()) ? "move " + r.name()
        : "rename " + r.name() + " to " + name));
    // Listed by exact project: list("") means any project, and the unnamed one is a project of its own here.
    List<DatasetRecord> all = repo.list(null, null, null);
    List<DatasetRecord> versions = all.stream().filter(x -> x.project().equals(r.project()) && x.name().equals(r.name())).toList();
    afterListing.run();
    String verb = name.equals(r.name()) ? "move " + r.name() + " to " + (project.isEmpty() ? "no project" : "project " + project)
        : "rename " + r.name() + " to " + name;
    List<DatasetRecord> under = all.stream().filter(x -> x.project().equals(project) && x.name().equals(name)).toList();
    // A rename reserves every version's string under the new name before it renames any record:
    // a version of the old name holding one, beside versions under the new name that were all
    // renamed to it last, is the mark of the same rename stopped midway (a kill). Run again, it
    // goes on. A version made under the new name since (its last entry not that rename) is
    // another dataset's: refused, as any.
    boolean marked = false;
    for (DatasetRecord v : versions) {
      marked |= v.id().equals(repo.catalog().reservationHolder(project, name, v.version()));
    }
    boolean resumed = marked && !under.isEmpty() && under.stream().allMatch(x -> renamedLastTo(x, project, name));
    if (!under.isEmpty() && !resumed) {
      // (The marks of the stopped rename stay; it can be finished once that dataset is gone.)
      String finish = interruptedTowards(repo, under, r, newProject != null);
      // As git branch -m refuses an existing branch: the two lineages would become one dataset.
      throw new InvalidInputException("Cannot " + verb + ": " + DatasetRepository.label(project, name) + (finish != null
          ? " holds " + Text.count(under.size(), "version") + " that a " + (newProject != null ? "move" : "rename") + " to "
              + DatasetRepository.label(r.project(), r.name()) + " left when it was stopped midway; finish it instead: " + finish
          : " is another dataset (" + Text.count(under.size(), "version") + "); pick a name no dataset uses, or delete that one first"));
    }
    List<DatasetRecord> done = new ArrayList<>();
    try {
      // Here first (a refusal here is undone without a trace), then on the remotes, which check
      // every string before they reserve any.
      for (DatasetRecord v : versions) {
        if (v.id().equals(repo.catalog().reservationHolder(project, name, v.version()))) {
          continue; // reserved by the run this one resumes
        }
        if (!repo.catalog().reserveVersion(project, name, v.version(), v.id())) {
          throw new InvalidInputException("Cannot " + verb + ": " + DatasetRepository.label(project, name) + " already has version "
              + v.version());
        }
        done.add(v);
      }
      reserveOnRemotes(repo, versions, resumed ? under : List.of(), project, name, verb);
    } catch (IOException e) {
      for (DatasetRecord v : done) {
        repo.catalog().releaseVersion(project, name, v.version(), v.id());
      }
      throw e;
    }
    String command = newProject != null ? "move" : "rename";
    int renamed = 0;
    Set<String> renamedIds = new HashSet<>();
    for (DatasetRecord v : versions) {
      try (VersionLocks.Lock lock = repo.catalog().lock(v.id())) {
        DatasetRecord cur;
        try {
          cur = repo.catalog().read(v.id());
        } catch (DatasetNotFoundException deleted) {
          cur = null;
        }
        if (cur == null || !cur.project().equals(v.project()) || !cur.name().equals(v.name()) || !cur.version().equals(v.version())) {
          // Deleted, renamed, moved or given another version string since it was listed: left as
          // it is now, and the string reserved for it under the new name given back. Renamed with
          // its string now, it could share it with another version; the other's release would
          // free a string still in use.
          repo.catalog().releaseVersion(project, name, v.version(), v.id());
          continue;
        }
        repo.catalog().agreed().keepBefore(cur); // for a remote where a teammate changes the record before this reaches it
        repo.catalog().write(named(cur, project, name, cur.version(), command));
        repo.catalog().releaseVersion(v.project(), v.name(), v.version(), v.id());
        renamedIds.add(v.id());
        renamed++;
      }
    }
    renamed += renameStragglers(repo, r.project(), r.name(), project, name, renamedIds,
        versions.stream().map(DatasetRecord::id).collect(java.util.stream.Collectors.toSet()));
    if (resumed) {
      // The run stopped midway may have renamed a record and not yet given back its old string.
      for (DatasetRecord x : under) {
        repo.catalog().releaseVersion(r.project(), r.name(), x.version(), x.id());
      }
    }
    return renamed;
  }

  /**
   * Renames the versions made under the old name while the rename ran, from a version it renamed:
   * a sync that took its parent by the old name before the versions were listed, and made its
   * version after. Until none is left, since one may be the parent of another. The sync does its
   * share ({@link #follow}): one made after this listing finds its parent renamed.
   *
   * @param renamed the versions renamed, which grows with those this renames
   * @param listed the versions the rename listed (each renamed, or left as it was for a reason)
   * @return how many it renamed
   */
  private static int renameStragglers(DatasetRepository repo, String oldProject, String oldName, String project, String name,
      Set<String> renamed, Set<String> listed) throws IOException {
    Set<String> seen = new HashSet<>(listed);
    int count = 0;
    for (boolean more = true; more; ) {
      more = false;
      for (DatasetRecord v : repo.list(null, null, null)) {
        if (!v.project().equals(oldProject) || !v.name().equals(oldName) || v.parents().stream().noneMatch(renamed::contains)
            || !seen.add(v.id())) {
          continue;
        }
        try (VersionLocks.Lock lock = repo.catalog().lock(v.id())) { // after the create that makes it, which holds it
          DatasetRecord cur;
          try {
            cur = repo.catalog().read(v.id());
          } catch (DatasetNotFoundException deleted) {
            continue;
          }
          if (cur.project().equals(oldProject) && cur.name().equals(oldName)) {
            follow(repo, cur, project, name);
            renamed.add(cur.id());
            count++;
            more = true;
          }
        }
      }
    }
    return count;
  }

  /**
   * Gives version {@code r}, made under its dataset's old name, the name a rename or move gave its
   * lineage meanwhile: its version string under the new name if free there, else the next one;
   * logged as the rename or move. The caller holds the version's lock. A remote it was created
   * against reserves the new string at its upload.
   */
  static void follow(DatasetRepository repo, DatasetRecord r, String project, String name) throws IOException {
    String version = r.version();
    if (!repo.catalog().reserveVersion(project, name, version, r.id())) {
      version = repo.catalog().reserveNextVersion(project, name, r.id());
    }
    repo.catalog().write(named(r, project, name, version, project.equals(r.project()) ? "rename" : "move"));
    repo.catalog().releaseVersion(r.project(), r.name(), r.version(), r.id());
  }

  /** {@code r} under {@code project}, {@code name} and {@code version}, its log saying which {@code command} made it so. */
  private static DatasetRecord named(DatasetRecord r, String project, String name, String version, String command) {
    return r.toBuilder().project(project).name(name).version(version)
        .appendLog(new LogEntry(System.currentTimeMillis(), command, List.of(project, name), ChangeSummary.EMPTY, 0)).build();
  }

  /** Whether the last entry of {@code r}'s log is a rename or move that gave it {@code project} and {@code name}. */
  private static boolean renamedLastTo(DatasetRecord r, String project, String name) {
    List<LogEntry> log = r.log();
    List<String> to = log.isEmpty() ? null : log.get(log.size() - 1).renamedTo();
    return to != null && to.equals(List.of(project, name));
  }

  /**
   * When the versions of the other dataset, {@code under} the new name, hold strings reserved
   * under the old one: the mark of a rename (or move) of theirs to the old name, stopped midway.
   * The command that finishes it; else null.
   */
  private static String interruptedTowards(DatasetRepository repo, List<DatasetRecord> under, DatasetRecord r, boolean move)
      throws IOException {
    for (DatasetRecord x : under) {
      if (x.id().equals(repo.catalog().reservationHolder(r.project(), r.name(), x.version()))) {
        return move ? "cairn move --project " + Text.shellQuoted(x.project()) + " --name " + Text.shellQuoted(x.name()) + " --new-project "
            + Text.shellQuoted(r.project()) : "cairn rename --project " + Text.shellQuoted(x.project()) + " --name "
            + Text.shellQuoted(x.name()) + " --new-name " + Text.shellQuoted(r.name());
      }
    }
    return null;
  }

  /**
   * Takes the versions' strings under the new name on every remote they were uploaded to (or
   * created against), before anything changes here: a name another dataset uses there would
   * otherwise merge the two there once uploaded, and leave this one's versions refused. Every
   * string on every remote is checked first, and a refusal met while reserving (a string taken
   * meanwhile, a remote gone) takes back what this call reserved: a refused rename reserves nothing.
   */
  private static void reserveOnRemotes(DatasetRepository repo, List<DatasetRecord> versions, List<DatasetRecord> renamedBefore,
      String project, String name, String verb) throws IOException {
    // Its own remote, and every remote a copy was uploaded to: each would keep the old name, and
    // a name another dataset uses there would refuse the version's next upload for good.
    Map<String, List<DatasetRecord>> byStorage = new LinkedHashMap<>();
    for (DatasetRecord v : versions) {
      List<String> remotes = new ArrayList<>(v.uploadedTo());
      if (v.storage() != null && remotes.stream().noneMatch(u -> Storages.same(u, v.storage()))) {
        remotes.add(0, v.storage()); // created against it, not yet uploaded
      }
      for (String remote : remotes) {
        byStorage.computeIfAbsent(remote, k -> new ArrayList<>()).add(v);
      }
    }
    List<Target> targets = new ArrayList<>();
    List<Map.Entry<Target, DatasetRecord>> taken = new ArrayList<>();
    String at = null;
    try {
      for (Map.Entry<String, List<DatasetRecord>> e : byStorage.entrySet()) {
        at = e.getKey();
        Remote remote = repo.openRemote(at);
        targets.add(new Target(at, remote, new ArrayList<>()));
        try {
          remote.checkMarker();
        } catch (InvalidConfigException noneThere) {
          // No Cairn data there (any more): no name to collide with, unless it is a share not
          // mounted, which is said (the upload that finds it back reserves the strings).
          Progress.LOGGED.warn(at + " holds no Cairn data now (moved away, or not mounted?), so the new name could not be checked there;"
              + " its versions' next upload there reserves it");
          continue;
        }
        // The versions a stopped run of this rename renamed here still carry the old name there.
        requireAllHere(remote, at, versions, renamedBefore, verb, repo.catalog());
        for (DatasetRecord v : e.getValue()) {
          String holder = remote.nameHolderId(project, name, v.version());
          if (holder == null) {
            targets.get(targets.size() - 1).free().add(v);
          } else if (!holder.equals(v.id())) {
            throw new InvalidInputException("Cannot " + verb + ": " + DatasetRepository.label(project, name) + " already has version "
                + v.version() + " on " + at + " (" + remote.describeNameHolder(project, name, v.version())
                + "); pick a name no dataset there uses");
          }
        }
      }
      for (Target t : targets) {
        at = t.storage();
        for (DatasetRecord v : t.free()) {
          if (!t.remote().reserveName(project, name, v.version(), v.id())) {
            throw new InvalidInputException("Cannot " + verb + ": version " + v.version() + " of " + name + " was taken on " + at
                + " meanwhile; pick another name");
          }
          taken.add(Map.entry(t, v));
        }
      }
    } catch (InvalidInputException refused) {
      takeBack(taken, project, name);
      if (refused instanceof BadStorageLocationException notUsableNow) { // a folder remote not mounted: a file or nothing there
        throw new CairnException("Cannot " + verb + ": its versions are on " + at + ", where the new name could not be checked ("
            + notUsableNow.getMessage() + "); try again when it can be reached", notUsableNow);
      }
      throw refused;
    } catch (IOException unreachable) { // a remote out of reach, or not usable as one now (a folder not mounted)
      takeBack(taken, project, name);
      throw new CairnException("Cannot " + verb + ": its versions are on " + at
          + ", where the new name could not be checked (" + unreachable.getMessage() + "); try again when it can be reached", unreachable);
    } finally {
      for (Target t : targets) {
        try {
          t.remote().close();
        } catch (IOException ignored) {
          // nothing of the rename depends on it
        }
      }
    }
  }

  static void setVersion(DatasetRepository repo, String id, String newVersion) throws IOException {
    try {
      VersionStrings.check(newVersion);
    } catch (IllegalArgumentException e) {
      throw new InvalidInputException("Cannot set the version: " + e.getMessage());
    }
    try (VersionLocks.Lock lock = repo.catalog().lock(id)) {
      DatasetRecord r = repo.catalog().read(id);
      if (r.version().equals(newVersion)) {
        return;
      }
      Optional<LogEntry> upload = r.log().stream().filter(e -> e.command().equals("upload")).findFirst();
      if (upload.isPresent() || r.storage() != null && reachedRemote(repo, r)) {
        // Its string is on a remote (uploaded, or there as a parent of one): it stays what it is.
        throw new DatasetStateException("Cannot set the version of " + id + ": it is " + r.version() + " on "
            + (r.storage() != null ? r.storage() : "the remote it was uploaded to") + ", where that string is reserved for it, and a"
            + " version keeps the string it reached a remote with; to have its files under " + newVersion + ", make a child of it with"
            + " that string (", new Remedy("CreateOptions.of(project, name).parents(\"" + r.shortId() + "\").version(\"" + newVersion
                + "\")", "cairn create" + (r.project().isEmpty() ? "" : " --project " + Text.shellQuoted(r.project())) + " --name "
                + Text.shellQuoted(r.name()) + " --parents " + r.shortId() + " --version " + Text.shellQuoted(newVersion)), ", then close it)");
      }
      if (!repo.catalog().reserveVersion(r.project(), r.name(), newVersion, id)
          && !id.equals(repo.catalog().reservationHolder(r.project(), r.name(), newVersion))) { // ours: a run that stopped
        throw new InvalidInputException("Cannot set the version of " + id + ": " + r.name() + " already has version " + newVersion);
      }
      repo.catalog().write(r.toBuilder().version(newVersion)
          .appendLog(new LogEntry(System.currentTimeMillis(), "set-version", List.of(r.version(), newVersion), ChangeSummary.EMPTY, 0))
          .build());
      repo.catalog().releaseVersion(r.project(), r.name(), r.version(), id);
      if (r.storage() != null) {
        // The old string, reserved there by the create, is given back (its upload reserves the new one).
        try (Remote remote = repo.openRemote(r.storage())) {
          remote.releaseName(r.project(), r.name(), r.version(), id);
        } catch (IOException | RuntimeException stays) {
          // it stays reserved there for a version that no longer carries it, as a refused rename leaves one
        }
      }
    }
  }

  /**
   * Whether version {@code r}, created against its remote, reached it (a record there, or one
   * deleted there); true when the remote cannot be asked. A string only reserved there by the
   * create (the version's upload failed, its name's string taken there since) can still change.
   */
  private static boolean reachedRemote(DatasetRepository repo, DatasetRecord r) {
    try (Remote remote = repo.openRemote(r.storage())) {
      return remote.record(r.id()) != null || remote.wasDeleted(r.id());
    } catch (IOException | RuntimeException unknown) {
      return true;
    }
  }

  /**
   * Refuses a rename or move while {@code remote} holds versions of the dataset that this
   * repository does not (another repository uploaded them): only the versions here change, so
   * theirs would keep the old name there and the dataset would be split in two.
   */
  private static void requireAllHere(Remote remote, String at, List<DatasetRecord> versions, List<DatasetRecord> renamedBefore,
      String verb, Catalog catalog) throws IOException {
    DatasetRecord any = versions.get(0);
    Set<String> here = new HashSet<>();
    versions.forEach(v -> here.add(v.id()));
    renamedBefore.forEach(v -> here.add(v.id()));
    List<String> elsewhere = new ArrayList<>();
    Map<String, String> deletedHere = new java.util.TreeMap<>(VersionStrings.ORDER); // version string → id
    remote.liveVersions(any.project(), any.name(), here::contains).forEach((id, r) -> {
      if (catalog.wasDeleted(id)) {
        deletedHere.put(r.version(), id);
      } else {
        elsewhere.add(r.version());
      }
    });
    if (!deletedHere.isEmpty()) {
      // Deleted here on purpose, not there: getting it back is not what was meant.
      Map.Entry<String, String> first = deletedHere.entrySet().iterator().next();
      throw new InvalidInputException("Cannot " + verb + ": " + at + " still holds " + Text.count(deletedHere.size(), "version") + " of "
          + DatasetRepository.label(any.project(), any.name()) + " deleted here (" + String.join(", ", deletedHere.keySet())
          + "), which would keep the old name there: delete " + (deletedHere.size() == 1 ? "it" : "each") + " there first (cairn delete"
          + " --id " + DatasetRecord.shortId(first.getValue()) + " --storage '" + at + "' --force), or get it back (cairn get --id "
          + DatasetRecord.shortId(first.getValue()) + " --storage '" + at + "')");
    }
    if (!elsewhere.isEmpty()) {
      elsewhere.sort(VersionStrings.ORDER);
      throw new InvalidInputException("Cannot " + verb + ": " + at + " holds " + Text.count(elsewhere.size(), "version") + " of "
          + DatasetRepository.label(any.project(), any.name()) + " that this repository does not (" + String.join(", ",
              elsewhere.subList(0, Math.min(5, elsewhere.size()))) + (elsewhere.size() > 5 ? ", ..." : "") + "), which would keep"
          + " the old name there: get them first (for each, cairn get --storage '" + at + "'" + (any.project().isEmpty() ? ""
              : " --project '" + any.project() + "'") + " --name '" + any.name() + "' --version " + elsewhere.get(0)
          + "), so that every version changes");
    }
  }

  /** A remote a rename reserves on, and the versions whose strings are free there under the new name. */
  private record Target(String storage, Remote remote, List<DatasetRecord> free) {}

  /** Gives back the reservations a refused rename made (best effort: one that stays blocks only that string). */
  private static void takeBack(List<Map.Entry<Target, DatasetRecord>> taken, String project, String name) {
    for (Map.Entry<Target, DatasetRecord> e : taken) {
      try {
        e.getKey().remote().takeBackName(project, name, e.getValue().version(), e.getValue().id());
      } catch (IOException stays) {
        // the string stays taken there for a version that does not carry the name
      }
    }
  }
}
