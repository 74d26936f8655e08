package dev.cairn.gc;

import dev.cairn.dataset.CacheCheck;
import dev.cairn.dataset.Catalog;
import dev.cairn.dataset.DatasetRecord;
import dev.cairn.dataset.DatasetRepository;
import dev.cairn.dataset.Progress;
import dev.cairn.dataset.RecordRecovery;
import dev.cairn.dataset.VersionLocks;
import dev.cairn.dataset.VersionObjectRecovery;
import dev.cairn.errors.InvalidConfigException;
import dev.cairn.id.HashAlgorithm;
import dev.cairn.id.ObjectId;
import dev.cairn.internal.fs.AtomicFiles;
import dev.cairn.internal.fs.WholeFileLock;
import dev.cairn.internal.io.Text;
import dev.cairn.internal.pack.BlockCodec;
import dev.cairn.internal.pack.PackEntry;
import dev.cairn.internal.pack.PackFormat;
import dev.cairn.internal.pack.PackInfo;
import dev.cairn.internal.pack.PackRemovalLock;
import dev.cairn.internal.pack.PackWriter;
import dev.cairn.object.Version;
import dev.cairn.store.ObjectLoader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * {@code fsck --repair}: rebuilds what is derived. Intact objects of damaged packs are copied into a
 * new pack and the damaged pack is moved to {@code lost-found/}; the index is rebuilt from the packs;
 * records of closed versions that are lost or unreadable are recovered from their version objects,
 * and lost version objects from their records;
 * locks left by dead processes are removed. Primary data that is damaged everywhere cannot be
 * repaired here: fetch it again from a remote.
 */
public final class Repair {
  private final DatasetRepository repo;
  private final Progress progress;

  public Repair(DatasetRepository repo, Progress progress) {
    this.repo = repo;
    this.progress = Progress.orNone(progress);
  }

  /** Repairs and returns what was done, one line per action. */
  public List<String> run() throws IOException {
    // The index opened first: a damaged one is rebuilt as it opens, under the repository's monitor
    // and then this lock, which taken in the other order here could meet that open on another thread.
    repo.repository().indexEnvironment();
    // No collection deletes packs meanwhile: the scans and the index rebuilt from them see one packs/.
    try (PackRemovalLock noRemoval = GarbageCollector.takeRemovalLock(repo.repository().packs(), progress, "a collection (gc)")) {
      return repair();
    }
  }

  private List<String> repair() throws IOException {
    List<String> actions = new ArrayList<>();
    Path packDir = repo.repository().packs().packDirectory();
    PackScan scan = new Fsck(repo, progress).scan();
    requireConfigMatchesPacks(scan);
    try (ScanReader reader = new ScanReader(scan, packDir)) {
      salvage(scan, reader, packDir, actions);
      List<Path> skipped = repo.repository().rebuildIndex();
      actions.add("rebuilt the index from " + Text.count(scan.packs - scan.damagedPacks.size(), "pack")
          + (skipped.isEmpty() ? "" : " (" + Text.count(skipped.size(), "unreadable pack") + " left out)"));
      recoverRecords(scan, reader, actions);
      rebuildVersionObjects(actions);
      releaseOrphanReservations(Fsck.closedVersions(scan, reader), actions);
      releaseStringsUnderOtherNames(actions);
      restoreReservations(actions); // after the release: a string a deleted version still held is free again
    }
    removeStaleLocks(actions);
    Path current = repo.catalog().damagedCurrent();
    if (current != null) {
      try {
        Files.deleteIfExists(current);
        actions.add("deleted damaged " + current + " (it named no version)");
      } catch (IOException notDeleted) { // a folder holding files, say
        actions.add("could not delete damaged " + current + ": " + notDeleted.getMessage());
      }
    }
    for (Path run : repo.usage().damagedRecords().keySet()) {
      Path aside = repo.usage().setAside(run);
      if (aside != null) {
        actions.add("set damaged run record " + run + " aside as " + aside.getFileName());
      }
    }
    CacheCheck cache = new CacheCheck(repo, progress);
    List<CacheCheck.Damage> damaged = cache.run();
    cache.dropDamaged(damaged);
    damaged.forEach(d -> actions.add("deleted damaged cached copy " + d.path() + " (" + d.what() + ")"));
    return actions;
  }

  /**
   * Refuses to repair when every pack is of another object format than the config names: the
   * config is what is wrong (edited by hand, or copied from another repository), and moving every
   * pack aside would leave no data here.
   */
  private static void requireConfigMatchesPacks(PackScan scan) throws InvalidConfigException {
    if (scan.packs == 0 || scan.foreignPacks.size() != scan.packs) {
      return;
    }
    Set<HashAlgorithm> formats = new TreeSet<>(scan.foreignPacks.values());
    String theirs = formats.stream().map(HashAlgorithm::configName).collect(Collectors.joining(" and "));
    String fix = formats.size() == 1 ? ": set core.objectFormat = " + theirs + " in it and check again" : "";
    throw new InvalidConfigException("Cannot repair: every pack here (" + scan.packs + ") is of object format " + theirs + ", and the config"
        + " says " + scan.algorithm.configName() + "; the config is wrong, not the packs" + fix + " (nothing was changed)");
  }

  /** How old a reservation without a record must be to be released: a create writes its record at once. */
  static final long ORPHAN_RESERVATION_AGE_MILLIS = 3_600_000;

  /** Reserves again the version strings of records whose reservations were lost (refs/versions deleted, say). */
  private void restoreReservations(List<String> actions) throws IOException {
    for (DatasetRecord r : repo.catalog().readAll().records()) {
      if (r.version() != null && repo.catalog().holderOfVersionOf(r) == null && repo.catalog().restoreReservation(r)) {
        actions.add("reserved version string " + r.version() + " of " + DatasetRepository.label(r.project(), r.name()) + " for "
            + r.id() + " again (its reservation was lost)");
      }
    }
  }

  /**
   * Releases the version strings a version holds under a project and name no version here has: a
   * rename or move killed before it renamed any version to it reserved them (run again, it reserves
   * them again). Those under a name some version has are the mark of a rename to finish, and stay.
   * Under the renames' lock, so that none runs meanwhile.
   */
  private void releaseStringsUnderOtherNames(List<String> actions) throws IOException {
    Path renames = repo.repository().tmpDirectory().resolve(DatasetRepository.RENAME_LOCK_FILE);
    try (WholeFileLock noRename = WholeFileLock.take(renames, (String holder) -> progress.warn("waiting for a rename or move in this"
        + " repository, by " + holder + ", to end"))) {
      for (Catalog.Reservation r : repo.catalog().reservationsUnderUnusedNames()) {
        repo.catalog().releaseUnderOtherName(r);
        actions.add("released version string " + r.file().getFileName() + " that " + r.holder() + " held under a name no version has"
            + " (a rename or move stopped before renaming any version to it)");
      }
    }
  }

  private void releaseOrphanReservations(Set<String> closed, List<String> actions) throws IOException {
    long now = System.currentTimeMillis();
    for (Catalog.Reservation r : repo.catalog().orphanReservations()) {
      long age;
      try {
        age = now - Files.getLastModifiedTime(r.file()).toMillis();
      } catch (NoSuchFileException released) {
        continue;
      }
      if (closed.contains(r.holder())) {
        continue;
      }
      if (age > ORPHAN_RESERVATION_AGE_MILLIS) {
        repo.catalog().release(r);
        actions.add("released version string " + r.file().getFileName() + " reserved for " + r.holder() + ", which has no record");
        continue;
      }
      // Younger: a create holds the lock of the id it reserves for until its record is written, so
      // one whose lock is free (its process killed) is not about to write it.
      try (VersionLocks.Lock free = repo.catalog().tryLock(r.holder())) {
        if (free != null && !repo.catalog().exists(r.holder())) {
          repo.catalog().release(r);
          actions.add("released version string " + r.file().getFileName() + " reserved for " + r.holder() + ", which has no record"
              + " and whose create no longer runs");
        }
      }
    }
    for (Catalog.Reservation r : repo.catalog().reservationsOfDeleted()) {
      repo.catalog().release(r); // the delete meant to give it back
      actions.add("released version string " + r.file().getFileName() + " of deleted version " + r.holder());
    }
  }

  private void salvage(PackScan scan, ScanReader reader, Path packDir, List<String> actions) throws IOException {
    Path lostFound = repo.repository().directory().resolve("lost-found");
    for (Map.Entry<String, List<PackEntry>> d : scan.damagedPacks.entrySet()) {
      List<PackEntry> good = d.getValue();
      Path damaged = packDir.resolve(PackFormat.fileName(d.getKey()));
      Path keptAside = lostFound.resolve(damaged.getFileName());
      // Set aside before the salvage is written: a pack of one object per block (a version object's,
      // say) salvages into the same bytes' index, hence the same name, and is published over it.
      boolean setAside = Files.exists(damaged);
      if (setAside) {
        Files.createDirectories(lostFound);
        Files.deleteIfExists(keptAside);
        try {
          Files.createLink(keptAside, damaged);
        } catch (UnsupportedOperationException | java.nio.file.FileSystemException noLinks) {
          Files.copy(damaged, keptAside, StandardCopyOption.REPLACE_EXISTING);
          try (var ch = java.nio.channels.FileChannel.open(keptAside, java.nio.file.StandardOpenOption.WRITE)) {
            ch.force(true); // on disk before the original is deleted below
          }
        }
        AtomicFiles.fsyncDirectory(lostFound);
      }
      String salvagedInto = null;
      if (!good.isEmpty()) {
        try (PackWriter w = repo.repository().packs().newPackWriter()) {
          for (PackEntry e : good) {
            ObjectLoader o = reader.open(e.id());
            byte[] block = BlockCodec.local().encode(o.bytes(), 0, o.size(), repo.repository().config().pack().zstdLevel());
            w.appendBlock(block, List.of(new PackWriter.Member(e.id(), e.type(), 0, o.size())));
          }
          PackInfo info = w.finish();
          salvagedInto = info.name();
          actions.add("copied " + Text.count(good.size(), "intact object") + " of damaged pack " + d.getKey() + " into pack " + info.name()
              + (info.name().equals(d.getKey()) ? " (the same name: the new file replaced the damaged one)" : ""));
        }
      }
      if (setAside) {
        if (!d.getKey().equals(salvagedInto)) {
          Files.deleteIfExists(damaged);
          AtomicFiles.fsyncDirectory(packDir);
        }
        actions.add("moved damaged pack " + d.getKey() + " to " + lostFound);
      }
    }
  }

  private void recoverRecords(PackScan scan, ScanReader reader, List<String> actions) throws IOException {
    for (Map.Entry<ObjectId, Version> e : scan.versions(reader).entrySet()) {
      Version v = e.getValue();
      try (var r = repo.repository().objects().newReader()) {
        if (RecordRecovery.recover(repo, e.getKey(), v, r)) {
          actions.add("recovered the record of version " + RecordRecovery.datasetId(v) + " from its version object");
        }
      } catch (IOException failed) {
        actions.add("could not recover the record of " + RecordRecovery.datasetId(v) + ": " + failed.getMessage());
      }
    }
  }

  /** The inverse of {@link #recoverRecords}: version objects lost with their pack, made again from their records. */
  private void rebuildVersionObjects(List<String> actions) throws IOException {
    for (DatasetRecord r : repo.catalog().all()) {
      if (VersionObjectRecovery.rebuild(repo, r)) {
        actions.add("rebuilt the version object of " + r.id() + " from its record");
      }
    }
  }

  /** Stale locks go as a command breaks them: never one that a live process took meanwhile. */
  private void removeStaleLocks(List<String> actions) {
    for (String lock : repo.catalog().breakStaleLocks()) {
      actions.add("removed lock " + lock + " left by a process that died");
    }
  }

}
