package dev.cairn.gc;

import dev.cairn.dataset.DatasetRecord;
import dev.cairn.dataset.DatasetRepository;
import dev.cairn.dataset.Progress;
import dev.cairn.dataset.RecordFormat;
import dev.cairn.dataset.RecordRecovery;
import dev.cairn.dataset.Selection;
import dev.cairn.dataset.Usage;
import dev.cairn.dataset.VersionListing;
import dev.cairn.errors.CairnException;
import dev.cairn.errors.MissingObjectException;
import dev.cairn.errors.UnsupportedFormatVersionException;
import dev.cairn.id.ObjectId;
import dev.cairn.internal.fs.AtomicFiles;
import dev.cairn.internal.fs.Trees;
import dev.cairn.internal.fs.WholeFileLock;
import dev.cairn.internal.index.ObjectLocation;
import dev.cairn.internal.pack.BlockCodec;
import dev.cairn.internal.pack.BlockCopier;
import dev.cairn.internal.pack.PackAssembler;
import dev.cairn.internal.pack.PackEntry;
import dev.cairn.internal.pack.PackFile;
import dev.cairn.internal.pack.PackFormat;
import dev.cairn.internal.pack.PackInfo;
import dev.cairn.internal.pack.PackObjectDatabase;
import dev.cairn.internal.pack.PackRemovalLock;
import dev.cairn.internal.pack.UnusedSpace;
import dev.cairn.manifest.ChildRef;
import dev.cairn.manifest.EntryKind;
import dev.cairn.manifest.FileEntry;
import dev.cairn.manifest.NodeLoader;
import dev.cairn.manifest.TreeNode;
import dev.cairn.object.ChunkRef;
import dev.cairn.object.FileObjectFormat;
import dev.cairn.object.ObjectType;
import dev.cairn.object.Version;
import dev.cairn.object.VersionFormat;
import dev.cairn.store.ObjectReader;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Deletes what no version needs and repacks small packs, safely while other processes write
 * (spec/guarantees.md, "Garbage collection"):
 * <ol>
 *   <li><b>mark</b>: every object reachable from any record (drafts included: root, base,
 *       version object and its parents) or from a run's lock roots is live;
 *   <li>packs younger than the grace period are left alone: they may hold objects a running
 *       command wrote and has not referenced yet;
 *   <li>older packs holding only dead objects go; of those also holding live ones, the ones
 *       {@link UnusedSpace} chooses ({@link #maxUnused(double)}), and small packs, are rewritten:
 *       live objects go to new packs, published and indexed first; then the old packs leave the
 *       index in one transaction;
 *   <li>after a pause, an old pack whose modification time moved (an inserter reused one of its
 *       objects and refreshed it) is put back in the index instead of being deleted; the others are
 *       deleted. Inserters also check at flush that what they reused is still indexed.
 * </ol>
 * Also removes leftovers: temporary files and cached folders of deleted versions.
 */
public final class GarbageCollector {
  /** A pack set aside in tmp/ before deletion: gc-NAME-TIME_WHEN_CHOSEN-NANOS.pack. */
  private static final Pattern ASIDE = Pattern.compile("gc-([0-9a-f]+)-(\\d+)-\\d+\\.pack");
  /** Packs smaller than this fraction of the target size are merged. */
  private static final int SMALL_FRACTION = 8;

  private final DatasetRepository repo;
  private final long graceMillis;
  private final long settleMillis;
  private final Progress progress;
  /** Packs that failed to open when the candidates were read. */
  private final Set<String> unreadable = new HashSet<>();

  /**
   * @param graceMillis packs and temporary files younger than this are kept
   * @param settleMillis pause between taking packs out of the index and deleting them
   */
  public GarbageCollector(DatasetRepository repo, long graceMillis, long settleMillis, Progress progress) {
    this.repo = repo;
    this.graceMillis = graceMillis;
    this.settleMillis = settleMillis;
    this.progress = Progress.orNone(progress);
  }

  /**
   * What a collection did.
   *
   * @param objectsKept the live objects the repository holds, each counted once (whether or not
   *     their packs were rewritten)
   * @param youngPacks packs left alone because they are younger than the grace period, or were
   *     written since a running command took its lock ({@code heldForCommand}), though they hold
   *     objects no version needs (a delete just made frees nothing until its packs are that old)
   * @param youngBytes their size
   * @param heldForCommand whether a running command's lock kept packs the grace alone would not
   * @param unusedBytesKept about how many bytes objects no version needs keep in packs mostly live,
   *     left as they are ({@link #maxUnused(double)})
   */
  public record Result(int packsDeleted, int packsWritten, long objectsKept, long objectsDeleted, long bytesFreed, int leftoversRemoved,
      int youngPacks, long youngBytes, boolean heldForCommand, long unusedBytesKept) {}

  /** Packs {@link #candidates} left alone as young, and their bytes. */
  private int youngPacks;
  private long youngBytes;
  /** The share of the packs' bytes that may stay unused in packs not rewritten ({@link #maxUnused(double)}). */
  private double maxUnused = UnusedSpace.DEFAULT_MAX_UNUSED;
  /** The dead bytes {@link #candidates} left in packs mostly live. */
  private long unusedBytesKept;

  /**
   * Sets the share of all packs' bytes that objects no version needs may keep in packs that also
   * hold live ones, left as they are rather than rewritten ({@link UnusedSpace}; default
   * {@value UnusedSpace#DEFAULT_MAX_UNUSED}). 0 rewrites every such pack: nothing a deleted
   * version alone held stays stored.
   *
   * @param share from 0 to 1
   */
  public GarbageCollector maxUnused(double share) {
    this.maxUnused = UnusedSpace.requireShare(share);
    return this;
  }

  /**
   * How many of {@code live} the repository holds: marking also takes in what a version fetched in
   * part names but did not bring. Looked up in batches, one read transaction each.
   */
  private static long held(PackObjectDatabase db, Set<ObjectId> live) throws IOException {
    long n = 0;
    List<ObjectId> batch = new ArrayList<>(HELD_BATCH);
    java.util.Iterator<ObjectId> it = live.iterator();
    while (it.hasNext()) {
      batch.add(it.next());
      if (batch.size() == HELD_BATCH || !it.hasNext()) {
        for (boolean h : db.index().containsEach(batch)) {
          n += h ? 1 : 0;
        }
        batch.clear();
      }
    }
    return n;
  }

  private static final int HELD_BATCH = 4096;

  /**
   * Collects once (see the class comment for the steps): what no version reaches, and is older
   * than the grace and than the oldest lock a running command holds, is deleted (but for what
   * packs mostly live keep, within {@link #maxUnused(double)}); small packs and packs holding dead
   * objects are rewritten. An instance runs once.
   *
   * @throws IOException if a record the marks need cannot be read, or a pack not yet indexed
   *     cannot be opened: nothing is deleted then
   */
  public Result run() throws IOException {
    // One collection at a time: two would each copy the same live objects into new packs.
    boolean[] waited = new boolean[1];
    try (WholeFileLock one = WholeFileLock.take(repo.repository().tmpDirectory().resolve(DatasetRepository.COLLECTION_LOCK_FILE),
        (String holder) -> {
          waited[0] = true;
          progress.warn("waiting for another collection (gc) of this repository, by " + holder + ", to end");
          progress.start("waiting for another collection (gc) of this repository to end", -1);
        })) {
      if (waited[0]) {
        progress.finish();
      }
      return collect();
    }
  }

  private Result collect() throws IOException {
    // What is younger than the grace period is kept, and so is whatever was written since the
    // oldest lock a live command holds on a version: it may not be referenced yet.
    long now = fileSystemNow();
    long graceCountedFrom = graceCountedFrom(now, repo.catalog().oldestLiveLockMillis());
    boolean heldForCommand = graceCountedFrom < now;
    PackObjectDatabase db = repo.repository().packs();
    int leftovers = recoverSetAside(db) + removeLeftovers(graceCountedFrom);
    Set<ObjectId> live = mark(db);
    long liveObjects = held(db, live); // counted first: the set shrinks as the rewrite below takes its objects
    // A command whose record the marks missed held its lock from before its first write: if it took
    // it before the locks were read, the lock's time keeps what it wrote; if after, all it wrote is
    // younger than now.
    List<Candidate> candidates = candidates(db, live, graceCountedFrom);
    if (candidates.isEmpty()) {
      return new Result(0, 0, liveObjects, 0, 0, leftovers, youngPacks, youngBytes, heldForCommand, unusedBytesKept);
    }
    requireNoLostRecords(db, live, candidates);
    Rewrite rewrite = rewriteLive(db, candidates, live);
    Set<String> dropped = new HashSet<>();
    candidates.forEach(c -> dropped.add(c.name()));
    dropped.removeAll(rewrite.replacements().keySet());
    int deletedPacks = 0;
    long deletedObjects = 0;
    long freed = 0;
    // From the drop to the last deletion, no index is rebuilt from a listing of packs/ (PackRemovalLock).
    try (PackRemovalLock removing = takeRemovalLock(db, progress, "a repair (fsck --repair)")) {
      db.index().dropPacks(dropped, rewrite.replacements());
      settle();
      for (Candidate c : candidates) {
        if (dropped.contains(c.name())) {
          long size = deleteUnlessRefreshed(db, c);
          if (size >= 0) { // a pack kept for a command that reused it keeps its objects too
            deletedPacks++;
            deletedObjects += rewrite.leftBehind().getOrDefault(c.name(), 0L);
            freed += size;
          }
        }
      }
    }
    // Freed: what the deleted packs held, less the live objects written again.
    long rewritten = 0;
    for (String name : rewrite.replacements().keySet()) {
      rewritten += Files.size(db.packDirectory().resolve(PackFormat.fileName(name)));
    }
    return new Result(deletedPacks, rewrite.replacements().size(), liveObjects, deletedObjects, Math.max(0, freed - rewritten),
        leftovers, youngPacks, youngBytes, heldForCommand, unusedBytesKept);
  }

  /**
   * {@link PackObjectDatabase#lockPackRemoval}, saying on {@code progress} what it waits for, if it
   * waits ({@code other}: the holder it would be).
   */
  static PackRemovalLock takeRemovalLock(PackObjectDatabase db, Progress progress, String other) throws IOException {
    boolean[] waited = new boolean[1];
    PackRemovalLock lock = db.lockPackRemoval(() -> {
      waited[0] = true;
      progress.start("waiting for " + other + " of this repository to end", -1);
    });
    if (waited[0]) {
      progress.finish();
    }
    return lock;
  }

  /**
   * The new packs of a rewrite, with their entries, and how many stored objects it left behind in
   * each candidate (dead ones, and copies another pack holds): gone once that candidate is deleted.
   */
  private record Rewrite(Map<String, List<PackEntry>> replacements, Map<String, Long> leftBehind) {}

  /**
   * Writes the live objects of the candidates into new packs, published and indexed. Blocks whose
   * every object is live (all of a small pack's) are copied as they are stored; a pack's entries are
   * taken in block order, so that each block's objects come together. An object is taken off
   * {@code live} once copied: a second stored copy of it is dropped.
   */
  private Rewrite rewriteLive(PackObjectDatabase db, List<Candidate> candidates, Set<ObjectId> live) throws IOException {
    Map<String, List<PackEntry>> replacements = new LinkedHashMap<>();
    Map<String, Long> leftBehind = new HashMap<>();
    try (ObjectReader reader = db.newReader();
        PackAssembler out = new PackAssembler(db.algorithm(), db.packDirectory(), repo.repository().tmpDirectory(),
            repo.repository().config().pack())) {
      BlockCopier copier = new BlockCopier(db, reader, out, true);
      Set<String> candidateNames = new HashSet<>();
      candidates.forEach(c -> candidateNames.add(c.name()));
      for (Candidate c : candidates) {
        // In the order they are stored, blocks and objects within a block: those re-encoded keep
        // their neighbours, which files read in path order (verify, get) find in the block just read.
        List<PackEntry> byBlock = new ArrayList<>(c.entries());
        byBlock.sort(PackEntry.STORED_ORDER);
        ObjectLocation[] indexed = db.index().lookupEach(byBlock.stream().map(PackEntry::id).toList());
        for (int i = 0; i < indexed.length; i++) {
          PackEntry e = byBlock.get(i);
          // A live object the index finds in a pack that stays needs no copy: this one is spare.
          if (live.contains(e.id()) && !elsewhere(db, indexed[i], candidateNames) && live.remove(e.id())) {
            copier.add(e.id());
          } else {
            leftBehind.merge(c.name(), 1L, Long::sum);
          }
        }
      }
      copier.finish();
      for (PackInfo info : out.finish()) {
        db.publish(info);
        replacements.put(info.name(), info.entries());
      }
    }
    return new Rewrite(replacements, leftBehind);
  }

  /**
   * Deletes a candidate pack the index dropped, unless a writer published it again or refreshed it
   * since it was chosen (then it goes back in the index); returns its size, or -1 if it was kept.
   */
  private long deleteUnlessRefreshed(PackObjectDatabase db, Candidate c) throws IOException {
    Path file = db.packDirectory().resolve(PackFormat.fileName(c.name()));
    // Taken out of packs/ by an atomic rename before its time is checked: a writer that
    // publishes the same pack again (a new file, newer) either does so before the rename, and
    // the check sees it, or after, and its file is not the one deleted.
    Path doomed = repo.repository().tmpDirectory().resolve("gc-" + c.name() + "-" + c.mtime() + "-" + System.nanoTime() + ".pack");
    if (newerThan(file, c.mtime()) || !moveAside(file, doomed)) {
      keep(db, c.name(), file);
      return -1;
    }
    if (newerThan(doomed, c.mtime())) {
      putBack(db, c.name(), doomed, file); // published again between the check and the rename
      return -1;
    }
    db.closePack(c.name());
    long size = Files.size(doomed);
    Files.delete(doomed);
    return size;
  }

  /**
   * Now, on the clock of the file system that holds the packs: the modification time of a file
   * written for the purpose. Its times are coarse (a kernel tick: a pack written a few
   * milliseconds after {@link System#currentTimeMillis} may carry an earlier time); a pack written
   * since has a time at least this one, and a pack of the same tick counts as young.
   */
  private long fileSystemNow() throws IOException {
    Path marker = AtomicFiles.tempPath(repo.repository().tmpDirectory(), "gc-start-");
    Files.write(marker, new byte[0]);
    try {
      return Files.getLastModifiedTime(marker).toMillis();
    } finally {
      Files.delete(marker);
    }
  }

  /** How far apart a file's time and the clock it was read against may be: file times are coarse. */
  private static final long FILE_TIME_SLACK_MILLIS = 1_000;

  /**
   * The time from which the grace period is counted back, so that what was written after it minus
   * the grace is kept: now, or, if earlier, the oldest lock a live command holds (less the slack of
   * file times) plus the grace.
   */
  private long graceCountedFrom(long now, long oldestLock) {
    return oldestLock == Long.MAX_VALUE ? now : Math.min(now, oldestLock - FILE_TIME_SLACK_MILLIS + graceMillis);
  }

  /** Whether {@code file} was modified after {@code millis}; false if it is gone. */
  private static boolean newerThan(Path file, long millis) throws IOException {
    try {
      return Files.getLastModifiedTime(file).toMillis() > millis;
    } catch (NoSuchFileException e) {
      return false;
    }
  }

  /**
   * Packs a collection that stopped midway left set aside in {@code tmp/} (named {@code
   * gc-<name>-<time when chosen>-<nanos>.pack}): one published again since it was chosen (newer)
   * goes back into {@code packs/} and the index, unless a copy is there; the others were dead and
   * are deleted.
   */
  private int recoverSetAside(PackObjectDatabase db) throws IOException {
    int n = 0;
    try (Stream<Path> s = Files.list(repo.repository().tmpDirectory())) {
      for (Path p : s.toList()) {
        Matcher m = ASIDE.matcher(p.getFileName().toString());
        if (!m.matches()) {
          continue;
        }
        Path file = db.packDirectory().resolve(PackFormat.fileName(m.group(1)));
        if (newerThan(p, Long.parseLong(m.group(2)))) {
          putBack(db, m.group(1), p, file);
        } else {
          Files.deleteIfExists(p);
        }
        n++;
      }
    }
    return n;
  }

  /**
   * Puts a pack set aside at {@code aside} back at {@code file}, unless another copy (the same
   * bytes, as the name says) took its place meanwhile, and indexes it as before.
   */
  private static void putBack(PackObjectDatabase db, String name, Path aside, Path file) throws IOException {
    if (Files.exists(file)) {
      Files.delete(aside);
    } else {
      AtomicFiles.move(aside, file, true);
    }
    keep(db, name, file);
  }

  /** A dropped pack that a writer reused or published again: indexed as before. */
  private static void keep(PackObjectDatabase db, String name, Path file) throws IOException {
    if (Files.exists(file)) {
      try (PackFile p = PackFile.open(file)) {
        db.index().register(name, p.entries());
      }
    }
  }

  /** Renames {@code from} to the new name {@code to} atomically; false if {@code from} is gone. */
  private static boolean moveAside(Path from, Path to) throws IOException {
    try {
      Files.move(from, to, StandardCopyOption.ATOMIC_MOVE);
      return true;
    } catch (NoSuchFileException e) {
      return false;
    }
  }

  private void settle() throws IOException {
    try {
      Thread.sleep(settleMillis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("gc interrupted");
    }
  }

  private record Candidate(String name, List<PackEntry> entries, long mtime, long size) {}

  /** Counts a young pack left alone that holds objects no version needs (what a later gc frees). */
  private void countIfDead(Path file, Set<ObjectId> live) {
    try (PackFile p = PackFile.open(file)) {
      if (p.entries().stream().anyMatch(e -> !live.contains(e.id()))) {
        youngPacks++;
        youngBytes += Files.size(file);
      }
    } catch (IOException damagedOrGone) {
      // damaged, or taken by another gc: fsck reports the one, the other is gone
    }
  }

  private List<Candidate> candidates(PackObjectDatabase db, Set<ObjectId> live, long graceCountedFrom) throws IOException {
    List<Candidate> out = new ArrayList<>();
    List<Candidate> small = new ArrayList<>();
    long smallLimit = repo.repository().config().pack().packTargetBytes() / SMALL_FRACTION;
    // Every old pack opened first: whether a copy elsewhere can stand for one depends on them all.
    List<Candidate> opened = new ArrayList<>();
    long totalBytes = 0;
    for (Path file : db.packFiles()) {
      long mtime = Files.getLastModifiedTime(file).toMillis();
      totalBytes += Files.size(file);
      if (graceCountedFrom - mtime <= graceMillis) {
        countIfDead(file, live);
        continue; // young: written since that time, or within the grace before it
      }
      try (PackFile p = PackFile.open(file)) {
        opened.add(new Candidate(PackFormat.nameOf(file.getFileName().toString()), p.entries(), mtime, Files.size(file)));
      } catch (IOException damaged) {
        unreadable.add(PackFormat.nameOf(file.getFileName().toString())); // fsck reports it; gc does not touch it
      }
    }
    // Packs of dead objects only go whole; those that also hold live ones are rewritten only as far
    // as --max-unused asks (UnusedSpace): a pack mostly live costs more to copy than it frees.
    List<UnusedSpace.Pack> mixed = new ArrayList<>();
    Set<String> goes = new HashSet<>(); // packs of dead objects only, then those rewritten
    for (Candidate c : opened) {
      long dead = c.entries().stream().filter(e -> !live.contains(e.id())).count();
      if (dead > 0 && dead == c.entries().size()) {
        goes.add(c.name());
        totalBytes -= c.size();
      } else if (dead > 0) {
        mixed.add(UnusedSpace.of(c.name(), c.size(), c.entries(), live::contains));
      }
    }
    goes.addAll(UnusedSpace.toRewrite(mixed, totalBytes, maxUnused));
    for (Candidate c : opened) {
      if (goes.contains(c.name()) || holdsSpareCopies(db, c)) {
        out.add(c);
      } else if (c.size() < smallLimit) {
        small.add(c); // a small pack left with its few dead objects is merged with the others, and they go then
      }
    }
    if (small.size() > 1) {
      out.addAll(small);
    }
    unusedBytesKept = UnusedSpace.left(mixed, out.stream().map(Candidate::name).collect(java.util.stream.Collectors.toSet()));
    return out;
  }

  /**
   * Whether the index finds some of the pack's objects in another pack: copies a collection that
   * was killed after publishing its new packs, and before deleting the old ones, left behind.
   */
  private boolean holdsSpareCopies(PackObjectDatabase db, Candidate c) throws IOException {
    Set<String> itself = Set.of(c.name());
    for (ObjectLocation at : db.index().lookupEach(c.entries().stream().map(PackEntry::id).toList())) {
      if (elsewhere(db, at, itself)) {
        return true;
      }
    }
    return false;
  }

  /**
   * Whether {@code at} is a place outside the packs {@code excluded} that can stand for the
   * object: a pack file that is there and opened cleanly when the candidates were read (or is too
   * young to have been read). Never a damaged pack: its copy may be the one that is lost.
   */
  private boolean elsewhere(PackObjectDatabase db, ObjectLocation at, Set<String> excluded) {
    return at != null && !excluded.contains(at.packName()) && !unreadable.contains(at.packName())
        && Files.isRegularFile(db.packDirectory().resolve(PackFormat.fileName(at.packName())));
  }

  /**
   * Refuses to delete the version object of a closed version whose record file is missing while
   * its data and version string are here: {@code fsck --repair} brings such a record back from
   * that object (a fetch that stopped part way leaves objects without data or string: those go).
   */
  private void requireNoLostRecords(PackObjectDatabase db, Set<ObjectId> live, List<Candidate> candidates) throws IOException {
    try (ObjectReader reader = db.newReader()) {
      for (Candidate c : candidates) {
        for (PackEntry e : c.entries()) {
          if (e.type() != ObjectType.VERSION || live.contains(e.id())) {
            continue;
          }
          Version v;
          try {
            v = VersionFormat.decode(readFromCandidate(db, c, e), e.id());
          } catch (IOException | BlockCodec.BlockException damagedOrNotAVersion) {
            continue; // fsck reports damage; bytes another type shares are not a version's
          }
          String id = RecordRecovery.datasetId(v);
          if (id != null && !repo.catalog().exists(id) && RecordRecovery.isLost(repo, v)
              && RecordRecovery.stillReserved(repo, v) && RecordRecovery.dataHere(reader, v.root())) {
            throw new CairnException("Cannot collect garbage: the record of " + id + " is missing while its version"
                + " object and data are here, which gc would delete; recover it first with cairn fsck --repair");
          }
        }
      }
    }
  }

  /**
   * An object of a candidate pack, read from that pack's file: not through the index, which a
   * collection stopped after taking the pack out of it no longer lists it in, so that a reader
   * would look for it by registering the packs it does not know, and so freshen their times,
   * which would then keep them from being deleted as packs in use.
   */
  private static byte[] readFromCandidate(PackObjectDatabase db, Candidate c, PackEntry e)
      throws IOException, BlockCodec.BlockException {
    try (PackFile pack = PackFile.open(db.packDirectory().resolve(PackFormat.fileName(c.name())))) {
      byte[] raw = BlockCodec.local().decode(pack.readBlock(e.blockOffset(), e.blockLength()));
      if (e.offsetInBlock() < 0 || e.offsetInBlock() + e.length() > raw.length) {
        throw new IOException("entry outside its block");
      }
      return Arrays.copyOfRange(raw, (int) e.offsetInBlock(), (int) (e.offsetInBlock() + e.length()));
    }
  }

  /**
   * Every object reachable from records and run lock roots. A node or version object the index
   * lacks may be in a pack no index lists yet: one a command wrote and named in its record, then
   * ended (or was killed) before its index write, its version lock released. Unseen, all it reaches
   * would look unused; so a mark that misses objects indexes such packs (as any reader that misses
   * one does) and marks again.
   */
  private Set<ObjectId> mark(PackObjectDatabase db) throws IOException {
    Set<String> packsBefore = new HashSet<>(db.index().packNames());
    Marks marks;
    try {
      marks = markOnce(db);
    } catch (MissingObjectException lostHere) {
      // A pack lost here (deleted by hand, a disk), which the read that met it took out of the
      // index: marked again, its objects are missing, as those of a version fetched in part are.
      marks = markOnce(db);
    }
    // Marked again only if the index now knows other packs: ones this refresh registered, or
    // that another process registered while this one marked (the packs it had registered for
    // itself only, which the refresh's listing then finds known).
    if (marks.missed() && db.refresh() && !packsBefore.equals(new HashSet<>(db.index().packNames()))) {
      marks = markOnce(db);
    }
    requireReadablePendingPacks(db);
    requireLocalVersionsWhole(db, marks.missing());
    return marks.live();
  }

  /**
   * Refuses to collect while a version that no remote holds (neither it nor an ancestor was
   * uploaded or fetched) lacks objects the mark reached: nothing could have been left unfetched,
   * so its data here is damaged or lost (a pack deleted by hand, a disk), and what is left of it
   * would look unused. Collected, it could not be made whole again by putting back what was lost.
   */
  private void requireLocalVersionsWhole(PackObjectDatabase db, Set<ObjectId> missing) throws IOException {
    if (missing.isEmpty()) {
      return;
    }
    dev.cairn.dataset.RemoteAncestors remotes = new dev.cairn.dataset.RemoteAncestors(repo.catalog());
    try (ObjectReader reader = db.newReader()) {
      for (DatasetRecord r : repo.catalog().readAll().records()) {
        if (remotes.of(r) == null && ancestorsHere(r) && lacksObjects(reader, r, missing)) {
          throw new CairnException("Cannot collect garbage: version " + r.id() + " (" + DatasetRepository.label(r.project(), r.name())
              + " " + r.version() + ") is on no remote and lacks objects here (damaged or lost: cairn fsck says which), so what is"
              + " left of it would look unused; put back what was lost, or delete it (cairn delete --id " + r.shortId()
              + " --force), then collect (should fsck find nothing lost, a command was writing it meanwhile: run gc again)");
        }
      }
    }
  }

  /**
   * Whether every ancestor of {@code r} is here: one deleted here may have been fetched in part,
   * and what {@code r} lacks of it may be unfetched, not lost (the check then cannot tell).
   */
  private boolean ancestorsHere(DatasetRecord r) throws IOException {
    Set<String> seen = new HashSet<>();
    java.util.ArrayDeque<String> todo = new java.util.ArrayDeque<>(r.parents());
    while (!todo.isEmpty()) {
      String p = todo.pop();
      if (!seen.add(p)) {
        continue;
      }
      if (!repo.catalog().exists(p)) {
        return false;
      }
      todo.addAll(repo.catalog().read(p).parents());
    }
    return true;
  }

  /** Whether the version object, a manifest node or a file object of {@code r} is among {@code missing}. */
  private static boolean lacksObjects(ObjectReader reader, DatasetRecord r, Set<ObjectId> missing) {
    if (r.versionObject() != null && missing.contains(r.versionObject())) {
      return true;
    }
    Set<ObjectId> seen = new HashSet<>();
    java.util.ArrayDeque<ObjectId> nodes = new java.util.ArrayDeque<>();
    if (r.root() != null) {
      nodes.push(r.root());
    }
    NodeLoader loader = new NodeLoader(reader, 256);
    while (!nodes.isEmpty()) {
      ObjectId id = nodes.pop();
      if (!seen.add(id)) {
        continue;
      }
      if (missing.contains(id)) {
        return true;
      }
      TreeNode n;
      try {
        n = loader.load(id);
      } catch (IOException unreadable) {
        return true; // the mark read it; gone since, or damaged: not whole either way
      }
      if (n instanceof TreeNode.Inner in) {
        in.children().forEach(c -> nodes.push(c.id()));
      } else {
        for (FileEntry e : ((TreeNode.Leaf) n).entries()) {
          if (e.kind() == EntryKind.FILE && e.size() > 0 && e.chunked() && missing.contains(e.content())) {
            return true;
          }
        }
      }
    }
    return false;
  }

  /**
   * Refuses to collect while a pack not yet in the index cannot be read (damaged, unreadable to this
   * user, or of a newer format): its objects would look missing, and all they reach unused, so the
   * collection would delete data that {@code fsck --repair} could still have salvaged with it.
   */
  private static void requireReadablePendingPacks(PackObjectDatabase db) throws IOException {
    for (Map.Entry<String, String> u : new java.util.TreeMap<>(db.index().unreadablePendingPacks()).entrySet()) {
      Path file = db.packDirectory().resolve(PackFormat.fileName(u.getKey()));
      if (Files.exists(file)) { // one gone since it was listed was collected meanwhile: nothing of it to lose
        boolean newer = UnsupportedFormatVersionException.isMessageOf(u.getValue());
        throw new CairnException("Cannot collect garbage: pack " + file + " cannot be read (" + u.getValue()
            + "), and what its objects reach would look unused; " + (newer
                ? "a newer Cairn wrote it: collect with that release"
                : "cairn fsck checks it, cairn fsck --repair salvages what it holds"));
      }
    }
  }

  /** What a mark reached, and which of the objects it reached are not here (not fetched, or lost). */
  private record Marks(Set<ObjectId> live, Set<ObjectId> missing) {
    boolean missed() {
      return !missing.isEmpty();
    }
  }

  private Marks markOnce(PackObjectDatabase db) throws IOException {
    Set<ObjectId> live = new HashSet<>();
    Set<ObjectId> missed = new HashSet<>();
    List<ObjectId> roots = new ArrayList<>();
    // Manifests kept for their shape alone: a base (the parents merged, for a change-set) and the
    // roots of the lineage's version objects. Their files' data is kept by the versions that hold
    // those files; a deleted ancestor's own data goes.
    List<ObjectId> shapes = new ArrayList<>();
    List<ObjectId> versions = new ArrayList<>();
    VersionListing listing = repo.catalog().readAll();
    if (!listing.unreadable().isEmpty()) {
      // Its version's objects would look dead, and with them what fsck --repair recovers it from.
      List<String> ids = listing.unreadable();
      Path file = repo.catalog().recordFile(ids.get(0));
      String text;
      try {
        text = Files.readString(file);
      } catch (IOException | RuntimeException unreadableText) {
        text = "";
      }
      String what = "the record of " + ids.get(0) + (ids.size() > 1 ? " (and " + (ids.size() - 1) + " more)" : "");
      throw new CairnException("Cannot collect garbage: " + what + (RecordFormat.isNewerFormat(text)
          ? " was written by a newer Cairn; collect with that one"
          : " cannot be read, so what it needs would look unused; cairn fsck --repair brings back a closed version's record from"
              + " its version object (a draft's cannot be: move " + file + " away to collect without that draft)"));
    }
    for (DatasetRecord r : listing.records()) {
      roots.add(r.root());
      shapes.add(r.base());
      if (r.versionObject() != null) {
        versions.add(r.versionObject());
      }
    }
    for (Usage.Use u : repo.usage().allUses()) {
      roots.add(u.root());
      if (u.versionObject() != null) {
        versions.add(u.versionObject());
      }
    }
    progress.start("marking reachable objects", -1);
    try (ObjectReader reader = db.newReader()) {
      NodeLoader loader = new NodeLoader(reader, 256);
      while (!versions.isEmpty()) {
        ObjectId v = versions.remove(versions.size() - 1);
        if (!live.add(v)) {
          continue;
        }
        if (!reader.has(v)) {
          missed.add(v);
          continue;
        }
        var version = VersionFormat.decode(reader.open(v).bytes(), v);
        shapes.add(version.root());
        versions.addAll(version.parents());
      }
      // Whole trees first: a node a whole tree shares with a shape is then marked with its data.
      for (ObjectId root : roots) {
        markTree(loader, reader, root, live, missed, true);
      }
      for (ObjectId shape : shapes) {
        markTree(loader, reader, shape, live, missed, false);
      }
    } finally {
      progress.finish();
    }
    return new Marks(live, missed);
  }

  /** Marks the manifest under {@code node}, and with {@code withData} its files' objects. */
  private static void markTree(NodeLoader loader, ObjectReader reader, ObjectId node, Set<ObjectId> live, Set<ObjectId> missed,
      boolean withData) throws IOException {
    if (node == null || !live.add(node)) {
      return;
    }
    if (!reader.has(node)) {
      missed.add(node);
      return;
    }
    TreeNode n = loader.load(node);
    if (n instanceof TreeNode.Inner in) {
      for (ChildRef c : in.children()) {
        markTree(loader, reader, c.id(), live, missed, withData);
      }
      return;
    }
    if (!withData) {
      return;
    }
    for (FileEntry e : ((TreeNode.Leaf) n).entries()) {
      if (e.kind() != EntryKind.FILE || e.size() == 0 || !live.add(e.content())) {
        continue;
      }
      if (!e.chunked()) {
        continue;
      }
      if (!reader.has(e.content())) {
        missed.add(e.content()); // or not fetched: a version got in part has no other file objects
        continue;
      }
      for (ChunkRef c : FileObjectFormat.decode(reader.open(e.content()).bytes(), e.content()).chunks()) {
        live.add(c.id());
      }
    }
  }

  private static final Pattern DAMAGED_INDEX = Pattern.compile("index\\.damaged-(\\d{1,18})-\\d+");

  /**
   * Indexes set aside as damaged ({@code index.damaged-<time>-<pid>}) once older than the grace:
   * a process that still has one open keeps reading its files after they are unlinked.
   */
  private int removeDamagedIndexes(long now) throws IOException {
    int removed = 0;
    try (Stream<Path> s = Files.list(repo.repository().directory())) {
      for (Path p : s.toList()) {
        Matcher m = DAMAGED_INDEX.matcher(p.getFileName().toString());
        if (m.matches() && now - Long.parseLong(m.group(1)) >= graceMillis) {
          Trees.delete(p);
          removed++;
        }
      }
    }
    return removed;
  }

  /** Temporary files older than the grace period, damaged indexes set aside, and cached folders of versions that are gone. */
  private int removeLeftovers(long now) throws IOException {
    int removed = 0;
    try (Stream<Path> s = Files.list(repo.repository().tmpDirectory())) {
      for (Path p : s.toList()) {
        if (AtomicFiles.ownerAlive(p.getFileName().toString()) || DatasetRepository.isLockFileOfTmp(p.getFileName().toString())) {
          continue; // a running command's, whatever its age; or the fetches' lock, which stays
        }
        if (now - Files.getLastModifiedTime(p).toMillis() >= graceMillis) {
          Trees.delete(p);
          removed++;
        }
      }
    }
    removed += removeDamagedIndexes(now);
    Path versions = repo.repository().directory().resolve("cache").resolve("versions");
    if (Files.isDirectory(versions)) {
      Map<String, Boolean> known = new HashMap<>();
      try (Stream<Path> s = Files.list(versions)) {
        for (Path p : s.toList()) {
          String name = p.getFileName().toString();
          if (name.startsWith("root-")) {
            continue;
          }
          String id = name.length() >= 32 ? name.substring(0, 32) : name;
          if (!known.computeIfAbsent(id, repo.catalog()::exists) || Selection.isKeyOfEarlierParts(name.substring(id.length()))) {
            // A deleted version's, or a part cut by the rule of an earlier release (its name is not
            // asked for any more): with its stamp.
            Trees.delete(p);
            Files.deleteIfExists(versions.resolveSibling("stamps").resolve(name));
            removed++;
          }
        }
      }
    }
    return removed;
  }
}
