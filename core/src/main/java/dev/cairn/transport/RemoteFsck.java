package dev.cairn.transport;

import dev.cairn.Repository;
import dev.cairn.dataset.DatasetRecord;
import dev.cairn.dataset.DatasetRepository;
import dev.cairn.dataset.Progress;
import dev.cairn.errors.CorruptObjectException;
import dev.cairn.gc.Fsck;
import dev.cairn.gc.PackCheck;
import dev.cairn.gc.Problem;
import dev.cairn.id.ObjectId;
import dev.cairn.internal.fs.AtomicFiles;
import dev.cairn.internal.fs.ExitCleanup;
import dev.cairn.internal.fs.Trees;
import dev.cairn.internal.io.Text;
import dev.cairn.internal.pack.BlockCodec;
import dev.cairn.internal.pack.PackEntry;
import dev.cairn.internal.pack.PackFile;
import dev.cairn.internal.pack.PackInfo;
import dev.cairn.internal.pack.PackWriter;
import dev.cairn.manifest.ChildRef;
import dev.cairn.manifest.EntryKind;
import dev.cairn.manifest.FileEntry;
import dev.cairn.manifest.TreeFormat;
import dev.cairn.manifest.TreeNode;
import dev.cairn.object.ChunkRef;
import dev.cairn.object.FileObjectFormat;
import dev.cairn.object.Version;
import dev.cairn.object.VersionFormat;
import dev.cairn.storage.RemoteFile;
import dev.cairn.storage.StorageException;
import dev.cairn.store.ObjectReader;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Checks a remote (spec/remote.md, "Checking and repairing a remote"), as {@code fsck} checks a
 * repository: every pack's index section, every version's newest record, and that every object a
 * version there reaches is in a pack, which is what lets a push trust a node for all it names;
 * with {@code readData}, every byte of every pack (each is copied to a temporary file and checked
 * as a local pack is).
 *
 * <p>{@link #repair} runs under the collection lock: it copies the intact objects of each damaged
 * pack into a new pack, keeps the damaged pack under {@code lost-found/}, deletes it from
 * {@code packs/}, and marks the remote {@link RemoteLocks#INCOMPLETE} while versions there lack
 * objects, so that pushes look up every object and an upload of such a version completes it.
 */
public final class RemoteFsck {
  /** In the map of incomplete versions: one whose newest record cannot be read. */
  private static final int UNREADABLE = -1;
  /** Missing objects listed one by one per version; the rest are counted. */
  private static final int LISTED_PER_VERSION = 10;

  private final Remote remote;
  private final Repository local;
  private final Progress progress;
  private final String uri;

  public RemoteFsck(Remote remote, Repository local, Progress progress) {
    this.remote = remote;
    this.local = local;
    this.progress = Progress.orNone(progress);
    this.uri = remote.storage().uri().toString();
  }

  /** What a check found; {@code incomplete}: the versions whose data the remote does not hold whole (or whose record it cannot read). */
  public record Outcome(Fsck.Report report, List<String> incomplete, List<String> repairs) {
    public Outcome {
      incomplete = List.copyOf(incomplete);
      repairs = List.copyOf(repairs);
    }
  }

  /** Checks the remote; with {@code readData}, reads every pack in full. */
  public Outcome check(boolean readData) throws IOException {
    remote.checkMarker();
    RemoteIndex index = freshIndex();
    List<Problem> problems = new ArrayList<>();
    indexDamage(index, problems);
    Set<ObjectId> damaged = new HashSet<>();
    if (readData) {
      readPacks(index, problems, null, damaged);
    }
    List<String> active = RemoteLocks.describeActive(remote.storage());
    for (String lock : active) {
      // Not damage; but one left by a process that died holds off collections for an hour.
      problems.add(new Problem(Problem.Severity.WARNING, null, uri, lock));
    }
    for (String lock : RemoteLocks.leftBehind(remote.storage(), false)) {
      problems.add(new Problem(Problem.Severity.WARNING, null, uri + "/" + lock, "lock left by a process of this host that ended:"
          + " passed over by uploads and collections; the next upload from this host, or cairn gc --storage " + uri + ", removes it"));
    }
    for (String lock : RemoteLocks.leftBehind(remote.storage(), true)) {
      problems.add(new Problem(Problem.Severity.WARNING, null, uri + "/" + lock, "lock taken over an hour ago by a process of another"
          + " host or container: passed over as stale; if that upload still runs, wait for it before a collection, then delete the"
          + " lock"));
    }
    if (remote.storage().size(RemoteLocks.SWEEPING) >= 0 && remote.storage().size(RemoteLocks.INCOMPLETE) < 0
        && active.stream().noneMatch(l -> l.startsWith("a collection"))) {
      problems.add(new Problem(Problem.Severity.WARNING, null, uri + "/" + RemoteLocks.SWEEPING, "packs were deleted without a"
          + " collection's end (a collection stopped part way, or a repair): uploads are refused until cairn gc --storage " + uri
          + " runs"));
    }
    List<Problem> beforeWalk = new ArrayList<>(problems);
    Outcome o = finish(index, problems, List.of(), damaged);
    if (!o.incomplete().isEmpty()) {
      // The packs were listed before the records: a version uploaded since (packs first, then its
      // record) lacks nothing but in that listing. Listed again, its packs are found.
      RemoteIndex now = freshIndex();
      if (!now.packs().keySet().equals(index.packs().keySet())) {
        o = finish(now, beforeWalk, List.of(), damaged);
      }
    }
    if (o.incomplete().isEmpty() && o.report().ok() && remote.storage().size(RemoteLocks.INCOMPLETE) >= 0) {
      // Completed by uploads since a repair marked it: only a repair, which checks again, lifts the mark.
      List<Problem> all = new ArrayList<>(o.report().problems());
      all.add(new Problem(Problem.Severity.WARNING, null, uri + "/" + RemoteLocks.INCOMPLETE, "the remote is still marked incomplete,"
          + " though no version there lacks anything now; cairn fsck --storage " + uri + " --repair lifts the mark, which"
          + " collections wait for"));
      Fsck.Report r = o.report();
      o = new Outcome(new Fsck.Report(all, r.packs(), r.objects(), r.versions(), r.bytes()), o.incomplete(), o.repairs());
    }
    return o;
  }

  /**
   * The remote's index read from the packs themselves, not from this repository's cache of their
   * sections: a check must see a section damaged since it was cached.
   */
  private RemoteIndex freshIndex() throws IOException {
    Path dir = local.tmpDirectory().resolve(AtomicFiles.tempName("remote-index-"));
    try (var atExit = ExitCleanup.register(dir)) {
      return RemoteIndex.load(remote.storage(), remote.objectFormat(), dir);
    } finally {
      Trees.deleteQuietly(dir);
    }
  }

  /** What a repair that deleted packs, or found objects lacking, says must follow. */
  private String collectionNeeded() {
    return "once the remote is whole (each version that lacks objects uploaded again, then a repair), a collection must run"
        + " (cairn gc --storage " + uri + "): until the repair, uploads look up every object they would reuse; after it, uploads"
        + " of new data wait for that collection";
  }

  /**
   * Reads every pack, replaces each damaged one by a pack of its intact objects (the damaged one
   * kept under {@code lost-found/}), then checks what every version reaches and marks the remote
   * incomplete, or whole again.
   */
  public Outcome repair() throws IOException {
    remote.checkMarker();
    List<String> actions = new ArrayList<>();
    try (RemoteLocks.Held lock = RemoteLocks.gc(remote.storage())) {
      RemoteIndex index = freshIndex();
      // What this repository cached of the packs' sections: where a damaged pack's objects lay.
      RemoteIndex cached = RemoteIndex.load(remote.storage(), remote.objectFormat(), remote.packIndexCache());
      List<Problem> found = new ArrayList<>();
      indexDamage(index, found);
      Path staging = local.tmpDirectory().resolve(AtomicFiles.tempName("remote-repair-"));
      Files.createDirectories(staging);
      try (var atExit = ExitCleanup.register(staging)) {
        readPacks(index, found, new Salvage(lock, staging, actions, index, cached), new HashSet<>());
      } finally {
        Trees.deleteQuietly(staging);
      }
      index = freshIndex();
      List<Problem> problems = new ArrayList<>();
      indexDamage(index, problems);
      repairReservations(actions);
      Outcome o = finish(index, problems, actions, Set.of());
      if (o.incomplete().isEmpty() && index.damaged().isEmpty()) {
        if (remote.storage().size(RemoteLocks.INCOMPLETE) >= 0) {
          remote.storage().delete(RemoteLocks.INCOMPLETE);
          actions.add(remote.storage().size(RemoteLocks.SWEEPING) >= 0
              ? "every version there is whole again; uploads of new data are refused until a collection runs (cairn gc --storage "
                  + uri + "), which the repair's deletions need"
              : "every version there is whole again: uploads trust what the remote holds once more");
        }
      } else {
        markIncomplete(actions);
        // Objects lost some other way (a pack deleted by hand) may be named by dead objects too.
        RemoteLocks.beginSweep(lock, remote.storage());
        String next = collectionNeeded();
        if (!actions.contains(next)) {
          actions.add(next);
        }
      }
      return new Outcome(o.report(), o.incomplete(), actions); // with what was done since the check
    }
  }

  /** Where damaged packs go: their intact objects into a new pack, the pack itself to lost-found. */
  private final class Salvage {
    final RemoteLocks.Held lock;
    final Path staging;
    final List<String> actions;
    final RemoteIndex index;
    final RemoteIndex cached;
    boolean sweeping;

    Salvage(RemoteLocks.Held lock, Path staging, List<String> actions, RemoteIndex index, RemoteIndex cached) {
      this.lock = lock;
      this.staging = staging;
      this.actions = actions;
      this.index = index;
      this.cached = cached;
    }

    void replace(String name, Path copy, List<PackEntry> checked) throws IOException {
      List<PackEntry> intact = checked;
      if (intact.isEmpty()) {
        // The pack did not open (a damaged magic or trailer): its objects are found where its index
        // section, as read now or as cached here, says they lie, each block's CRC and each hash checked.
        List<PackEntry> listed = index.entries(name).isEmpty() ? cached.entries(name) : index.entries(name);
        intact = verified(copy, listed);
      }
      PackInfo salvaged = intact.isEmpty() ? null : salvage(copy, intact);
      // Marked before the first deletion: from then on the remote lacks objects.
      markIncomplete(actions);
      if (!sweeping) {
        RemoteLocks.beginSweep(lock, remote.storage());
        sweeping = true;
      }
      String kept = RemoteLayout.LOST_FOUND + "pack-" + name + "-" + System.currentTimeMillis() + ".pack"; // never one kept before
      remote.storage().publish(kept, copy);
      boolean sameName = salvaged != null && salvaged.name().equals(name);
      if (salvaged != null && !sameName) {
        remote.storage().publish(RemoteLayout.pack(salvaged.name()), salvaged.path());
      }
      remote.storage().delete(RemoteLayout.pack(name));
      if (sameName) {
        // The intact objects, packed again as they were, make the very same name: published once
        // the damaged file is gone (publishing leaves an existing name alone).
        remote.storage().publish(RemoteLayout.pack(name), salvaged.path());
        if (remote.storage().size(RemoteLayout.pack(name)) != Files.size(salvaged.path())) {
          throw new IOException("Cannot replace pack " + name + " on " + uri + ": the copy published is not whole; its objects are in "
              + uri + "/" + kept + ", run the repair again");
        }
      }
      if (salvaged != null) {
        actions.add("copied " + Text.count(intact.size(), "intact object") + " of damaged pack " + name + " into pack " + salvaged.name());
      } else {
        actions.add("no object of damaged pack " + name + " could be saved");
      }
      actions.add("moved damaged pack " + name + " to " + uri + "/" + kept);
    }

    /** A new pack, in the staging folder, of the intact objects of the local copy of a damaged pack. */
    private PackInfo salvage(Path copy, List<PackEntry> intact) throws IOException {
      try (FileChannel pack = FileChannel.open(copy);
          PackWriter w = new PackWriter(local.objects().algorithm(), staging, staging)) {
        for (PackEntry e : intact) {
          byte[] raw = BlockCodec.local().decode(readRange(pack, e.blockOffset(), e.blockLength()));
          byte[] block = BlockCodec.local().encode(raw, e.offsetInBlock(), e.length(),
              local.config().pack().zstdLevel());
          w.appendBlock(block, List.of(new PackWriter.Member(e.id(), e.type(), 0, e.length())));
        }
        return w.finish();
      } catch (BlockCodec.BlockException e) {
        throw new CorruptObjectException(null, e.reason(), copy.toString(), e.getMessage()); // checked intact a moment ago
      }
    }

    /** The entries whose block decodes (its CRC checked) and whose bytes hash to their id. */
    private List<PackEntry> verified(Path copy, List<PackEntry> listed) throws IOException {
      List<PackEntry> out = new ArrayList<>();
      try (FileChannel pack = FileChannel.open(copy)) {
        for (PackEntry e : listed) {
          try {
            byte[] raw = BlockCodec.local().decode(readRange(pack, e.blockOffset(), e.blockLength()));
            if ((long) e.offsetInBlock() + e.length() <= raw.length
                && local.objects().algorithm().hash(raw, e.offsetInBlock(), e.length()).equals(e.id())) {
              out.add(e);
            }
          } catch (BlockCodec.BlockException | IOException unreadable) {
            // lost with the pack
          }
        }
      }
      return out;
    }

    /**
     * Leaves {@code locks/sweeping} in place: dead objects (of no version) may name what the
     * damaged packs held, and only a collection, which deletes them, makes trusting a node safe
     * again. Until then uploads run only while the remote is marked incomplete, looking up every
     * object.
     */
    void done() {
      if (sweeping) {
        actions.add(collectionNeeded());
      }
    }
  }

  /**
   * What is wrong with the reservation of a version's string on the remote ({@code
   * names/<key>/<version>} holding its id), or null.
   */
  private String reservationProblem(DatasetRecord r) throws IOException {
    String file = RemoteLayout.nameReservation(r.project(), r.name(), r.version());
    String what = DatasetRepository.label(r.project(), r.name()) + " " + r.version();
    long size = remote.storage().size(file);
    if (size < 0) {
      return "version string " + what + " is not reserved for it: another repository could take it (--repair reserves it)";
    }
    String holder = size > 64 ? "" : new String(remote.storage().read(file, 0, (int) size), StandardCharsets.US_ASCII).trim();
    if (holder.equals(r.id())) {
      return null;
    }
    if (holder.length() == 32 && ObjectId.isHex(holder)) {
      return "version string " + what + " is reserved for another version, " + holder + ": two versions there share it";
    }
    return "the reservation of " + what + " is damaged (--repair writes it again)";
  }

  /** Reserves again the strings of versions whose reservation is missing or damaged (not those another version holds). */
  private void repairReservations(List<String> actions) throws IOException {
    for (String id : remote.versionIds()) {
      DatasetRecord r;
      try {
        Remote.Latest l = remote.latest(id);
        if (l == null || l.record() == null || !l.record().id().equals(id)) {
          continue;
        }
        r = l.record();
      } catch (CorruptObjectException unreadable) {
        continue;
      }
      String problem = reservationProblem(r);
      if (problem == null || problem.contains("another version")) {
        continue;
      }
      String file = RemoteLayout.nameReservation(r.project(), r.name(), r.version());
      if (problem.contains("damaged")) {
        if (remote.storage().size(file) <= 0) {
          continue; // empty: perhaps another repository's create still being written; left alone
        }
        remote.storage().delete(file);
      }
      if (remote.storage().createIfAbsent(file, id.getBytes(StandardCharsets.US_ASCII))) {
        actions.add("reserved " + r.name() + " " + r.version() + " for " + id + " again");
      }
    }
  }

  /** Creates {@code locks/incomplete} unless it is there. */
  private void markIncomplete(List<String> actions) throws IOException {
    if (remote.storage().createIfAbsent(RemoteLocks.INCOMPLETE, (System.currentTimeMillis() + "\n").getBytes(StandardCharsets.US_ASCII))) {
      actions.add("marked the remote incomplete: until a repair finds it whole, uploads look up every object they send");
    }
  }

  /** {@code length} bytes at {@code offset} of a file; an IOException if the file ends first. */
  private static byte[] readRange(FileChannel ch, long offset, int length) throws IOException {
    ByteBuffer b = ByteBuffer.allocate(length);
    while (b.hasRemaining()) {
      if (ch.read(b, offset + b.position()) < 0) {
        throw new IOException("pack ends before its block at " + offset);
      }
    }
    return b.array();
  }

  private void indexDamage(RemoteIndex index, List<Problem> problems) throws IOException {
    index.damaged().forEach((name, why) -> problems.add(error(null, uri + "/" + RemoteLayout.pack(name), "pack index unreadable: " + why)));
    for (RemoteFile f : remote.storage().list(RemoteLayout.PACKS)) {
      if (RemoteLayout.packName(f.name()) == null) {
        problems.add(new Problem(Problem.Severity.WARNING, null, uri + "/" + f.name(), "file in packs/ that is not a pack (left alone)"));
      }
    }
  }

  /** Copies every pack to a temporary file and checks it in full; a salvage, if given, replaces damaged ones. */
  private void readPacks(RemoteIndex index, List<Problem> problems, Salvage salvage, Set<ObjectId> damaged) throws IOException {
    List<RemoteFile> packs = new ArrayList<>();
    long total = 0;
    for (RemoteFile f : remote.storage().list(RemoteLayout.PACKS)) {
      if (RemoteLayout.packName(f.name()) != null) {
        packs.add(f);
        total += f.size();
      }
    }
    progress.start("reading " + Text.count(packs.size(), "pack") + " from " + uri, total);
    Path dir = Files.createDirectories(local.tmpDirectory());
    try {
      for (RemoteFile f : packs) {
        String name = RemoteLayout.packName(f.name());
        Path copy = Files.createTempFile(dir, "remote-pack-", ".tmp");
        try {
          PackCheck.Result r;
          try {
            r = download(f, copy);
          } catch (IOException e) {
            if (salvage != null || remote.storage().size(f.name()) >= 0) {
              throw e; // a repair holds the collection lock: a pack gone under it is not a collection's doing
            }
            // Deleted since the listing: a collection ran meanwhile (its live objects are in new packs).
            problems.add(new Problem(Problem.Severity.WARNING, null, uri + "/" + f.name(), "removed while this check read it (a"
                + " collection ran meanwhile): not read"));
            progress.advance(f.size());
            continue;
          }
          if (!index.damaged().containsKey(name)) {
            problems.addAll(r.problems()); // a damaged index section is reported once, above
          }
          if (r.damaged()) {
            // Counted against the versions that need them: all the pack lists but what read back intact.
            Set<ObjectId> good = new HashSet<>();
            r.intact().forEach(e -> good.add(e.id()));
            index.entries(name).stream().map(PackEntry::id).filter(id -> !good.contains(id)).forEach(damaged::add);
            damaged.addAll(r.damagedObjects());
          }
          // Replaced only on the word of two downloads that agree: a read cut short must not cost a good pack.
          if (r.damaged() && salvage != null) {
            PackCheck.Result again = download(f, copy);
            if (again.damaged()) {
              salvage.replace(name, copy, again.intact());
            }
          }
        } finally {
          Files.deleteIfExists(copy);
        }
        progress.advance(f.size());
      }
      if (salvage != null) {
        salvage.done();
      }
    } finally {
      progress.finish();
    }
  }

  /**
   * Copies a pack into {@code copy} and checks it.
   *
   * @throws IOException if fewer or more bytes arrive than the listing gave
   */
  private PackCheck.Result download(RemoteFile f, Path copy) throws IOException {
    try (InputStream in = remote.storage().open(f.name())) {
      Files.copy(in, copy, StandardCopyOption.REPLACE_EXISTING);
    }
    if (Files.size(copy) != f.size()) {
      throw new IOException("Cannot check " + uri + "/" + f.name() + ": read " + Files.size(copy) + " bytes of the " + f.size()
          + " listed; nothing was changed, run the command again");
    }
    return PackCheck.run(copy, RemoteLayout.packName(f.name()), local.objects().algorithm(), uri + "/" + f.name());
  }

  /** Checks the records and what each version reaches; the report of it all. */
  private Outcome finish(RemoteIndex index, List<Problem> problems, List<String> actions, Set<ObjectId> damaged) throws IOException {
    Map<String, Integer> incomplete = new LinkedHashMap<>();
    Map<String, Integer> shown = new HashMap<>(); // of what each lacks, how many were listed for it
    int versions = 0;
    progress.start("checking what the remote's versions reach", -1);
    try (ObjectReader localReader = local.objects().newReader();
        RemoteObjectReader remoteReader = new RemoteObjectReader(remote.storage(), index, local.objects().algorithm())) {
      Walk walk = new Walk(index, localReader, remoteReader, problems, damaged);
      for (String id : remote.versionIds()) {
        DatasetRecord r;
        try {
          Remote.Latest l = remote.latest(id);
          if (l == null || l.record() == null) {
            continue; // deleted there (its log ends in a tombstone)
          }
          r = l.record();
        } catch (IOException e) { // damaged, or a file this user may not read
          if (!(e instanceof CorruptObjectException) && !StorageException.isAccessDenied(e)) {
            throw e;
          }
          String advice = e instanceof CorruptObjectException && newerFormat(id)
              ? "; a newer Cairn wrote it, not damage: check this remote with that Cairn (upgrade this one)"
              : "; upload the version again from a repository that holds it";
          problems.add(error(id, uri + "/" + RemoteLayout.VERSIONS + id, "newest record unreadable: " + e.getMessage() + advice));
          incomplete.put(id, UNREADABLE); // what it reaches is unknown: the remote is not whole
          continue;
        }
        if (!r.id().equals(id)) {
          problems.add(error(id, uri + "/" + RemoteLayout.VERSIONS + id, "the record names another version, " + r.id()
              + "; upload the version again from a repository that holds it"));
          incomplete.put(id, UNREADABLE);
          continue;
        }
        String reservation = reservationProblem(r);
        if (reservation != null) {
          problems.add(error(id, uri + "/" + RemoteLayout.nameReservation(r.project(), r.name(), r.version()), reservation));
        }
        versions++;
        int missing = walk.version(r);
        if (missing > 0) {
          incomplete.put(id, missing);
          shown.put(id, Math.min(walk.listed, LISTED_PER_VERSION));
        }
      }
    } finally {
      progress.finish();
    }
    for (Map.Entry<String, Integer> e : incomplete.entrySet()) {
      if (e.getValue() == UNREADABLE) {
        continue; // reported above
      }
      int listed = shown.get(e.getKey());
      problems.add(error(e.getKey(), uri, "version lacks " + Text.count(e.getValue(), "object") + " there"
          + (listed == e.getValue() ? "" : listed > 0 ? " (" + listed + " listed)" : " (listed for a version above: it shares them)")
          + " (" + (remote.storage().size(RemoteLocks.INCOMPLETE) >= 0 ? "" : "cairn fsck --storage " + uri + " --repair, then ")
          + "cairn upload --id " + DatasetRecord.shortId(e.getKey()) + " --storage " + uri + " from a repository that holds it,"
          + " sends it again)"));
    }
    long bytes = 0;
    int packs = 0;
    for (String p : index.packs().keySet()) {
      bytes += index.packSize(p);
      packs++;
    }
    for (String p : index.damaged().keySet()) {
      bytes += index.packSize(p); // checked too: counted with the rest
    }
    Fsck.Report report = new Fsck.Report(problems, packs + index.damaged().size(), index.size(), versions, bytes);
    return new Outcome(report, List.copyOf(incomplete.keySet()), actions);
  }

  /** Walks versions, each object once, counting per version what the remote lacks. */
  private final class Walk {
    final RemoteIndex index;
    final ObjectReader localReader;
    final RemoteObjectReader remoteReader;
    final List<Problem> problems;
    /** Tree nodes and file contents looked at, with the objects the remote lacks under each (mostly none). */
    final Map<ObjectId, Set<ObjectId>> lackingUnder = new HashMap<>();
    /** Objects found missing or damaged. */
    final Set<ObjectId> missing = new HashSet<>();
    /** Objects that reading the packs found damaged. */
    final Set<ObjectId> damaged;
    String version;
    /** What the version being walked lacks: each object once, whether reached by its root or its base. */
    Set<ObjectId> lacking;
    int listed;
    /** Whether the walk is under the version's base (its parents' files merged, for its change-set), not its own files. */
    boolean inBase;

    Walk(RemoteIndex index, ObjectReader localReader, RemoteObjectReader remoteReader, List<Problem> problems, Set<ObjectId> damaged) {
      this.damaged = damaged;
      this.index = index;
      this.localReader = localReader;
      this.remoteReader = remoteReader;
      this.problems = problems;
    }

    int version(DatasetRecord r) throws IOException {
      version = r.id();
      lacking = new HashSet<>();
      listed = 0;
      Set<ObjectId> below = new HashSet<>();
      if (r.versionObject() != null && present(r.versionObject(), "version object", below)) {
        try {
          Version v = VersionFormat.decode(read(r.versionObject()), r.versionObject());
          String mismatch = Remote.recordMismatch(r, v);
          if (mismatch != null) {
            recordDiffers(r, mismatch);
          }
          tree(v.root());
        } catch (CorruptObjectException e) {
          damaged(r.versionObject(), e, below);
        }
      }
      if (r.base() != null && index.has(r.base())) {
        inBase = true; // what is found missing here may be a file the version deleted: said so
        try {
          tree(r.base()); // sent with the version when its repository had it; whole if there at all
        } finally {
          inBase = false;
        }
      }
      return lacking.size();
    }

    /**
     * Counts against the version what the remote lacks under {@code node}, and returns it. What a
     * node lacks is remembered, so that another version sharing the node counts it too without
     * walking it again.
     */
    private Set<ObjectId> tree(ObjectId node) throws IOException {
      Set<ObjectId> known = lackingUnder.get(node);
      if (known != null) {
        lacking.addAll(known);
        return known;
      }
      Set<ObjectId> below = new HashSet<>();
      if (present(node, "tree node", below)) {
        try {
          TreeNode n = TreeFormat.decode(read(node), node);
          if (n instanceof TreeNode.Inner in) {
            for (ChildRef c : in.children()) {
              below.addAll(tree(c.id()));
            }
          } else {
            for (FileEntry e : ((TreeNode.Leaf) n).entries()) {
              below.addAll(file(e));
            }
          }
        } catch (CorruptObjectException e) {
          damaged(node, e, below);
        }
      }
      Set<ObjectId> result = below.isEmpty() ? Set.of() : Set.copyOf(below);
      lackingUnder.put(node, result);
      return result;
    }

    private Set<ObjectId> file(FileEntry e) throws IOException {
      if (e.kind() != EntryKind.FILE || e.size() == 0) {
        return Set.of();
      }
      Set<ObjectId> known = lackingUnder.get(e.content());
      if (known != null) {
        lacking.addAll(known);
        return known;
      }
      Set<ObjectId> below = new HashSet<>();
      if (present(e.content(), e.chunked() ? "file object of " + e.path() : "content of " + e.path(), below) && e.chunked()) {
        try {
          for (ChunkRef c : FileObjectFormat.decode(read(e.content()), e.content()).chunks()) {
            present(c.id(), "chunk of " + e.path(), below);
          }
        } catch (CorruptObjectException bad) {
          damaged(e.content(), bad, below);
        }
      }
      Set<ObjectId> result = below.isEmpty() ? Set.of() : Set.copyOf(below);
      lackingUnder.put(e.content(), result);
      return result;
    }

    /**
     * Whether the remote holds {@code id}; if not, counts it against the version and adds it to
     * {@code below} (and lists the first few).
     */
    private boolean present(ObjectId id, String what, Set<ObjectId> below) {
      boolean there = index.has(id);
      if (there && !missing.contains(id) && !damaged.contains(id)) {
        return true;
      }
      missing.add(id);
      below.add(id);
      if (lacking.add(id) && ++listed <= LISTED_PER_VERSION) {
        problems.add(error(id.hex(), where(), (there ? "damaged " : "missing ") + what));
      }
      return false;
    }

    private void damaged(ObjectId id, CorruptObjectException e, Set<ObjectId> below) {
      missing.add(id);
      below.add(id);
      if (lacking.add(id) && ++listed <= LISTED_PER_VERSION) {
        problems.add(error(id.hex(), where(), e.getMessage()));
      }
    }

    /** A record whose root or parents are not its version object's: rewritten there, and not to be trusted. */
    private void recordDiffers(DatasetRecord r, String what) {
      problems.add(error(r.id(), uri + "/" + RemoteLayout.VERSIONS + r.id(), "the record was changed there: " + what
          + "; a get refuses it: upload the version again from a repository that holds it"));
    }

    private String where() {
      return uri + " version " + DatasetRecord.shortId(version) + (inBase ? " (its parents' files, kept for its change-set)" : "");
    }

    /** An object's bytes: from the local repository when it holds them (the same bytes, by their id), else the remote. */
    private byte[] read(ObjectId id) throws IOException {
      return localReader.has(id) ? localReader.open(id).bytes() : remoteReader.open(id).bytes();
    }
  }

  /** Whether the newest record of {@code id} is of a newer format; false if that cannot be read either. */
  private boolean newerFormat(String id) {
    try {
      return remote.newestRecordIsNewerFormat(id);
    } catch (IOException | RuntimeException unreadable) {
      return false;
    }
  }

  private static Problem error(String what, String where, String message) {
    return new Problem(Problem.Severity.ERROR, what, where, message);
  }
}
