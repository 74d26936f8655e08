package dev.cairn.transport;

import dev.cairn.Repository;
import dev.cairn.dataset.DatasetRecord;
import dev.cairn.dataset.Progress;
import dev.cairn.dataset.VersionListing;
import dev.cairn.errors.CairnException;
import dev.cairn.id.ObjectId;
import dev.cairn.internal.fs.AtomicFiles;
import dev.cairn.internal.fs.Trees;
import dev.cairn.internal.pack.PackAssembler;
import dev.cairn.internal.pack.PackEntry;
import dev.cairn.internal.pack.PackInfo;
import dev.cairn.internal.pack.UnusedSpace;
import dev.cairn.manifest.ChildRef;
import dev.cairn.manifest.EntryKind;
import dev.cairn.manifest.FileEntry;
import dev.cairn.manifest.TreeFormat;
import dev.cairn.manifest.TreeNode;
import dev.cairn.object.ChunkRef;
import dev.cairn.object.FileObjectFormat;
import dev.cairn.object.Version;
import dev.cairn.object.VersionFormat;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Deletes from a remote the packs and objects no version there needs (spec/remote.md, "Garbage
 * collection"). Runs alone: it holds the remote's collection lock, which uploads respect, so no
 * upload can reuse an object it is deleting. Live objects of packs that also hold dead ones are
 * copied into new packs, uploaded before the old packs are deleted. The deletions are bracketed by
 * {@link RemoteLocks#SWEEPING}, so that pushes do not trust what a collection that died left.
 */
public final class RemoteGarbageCollector {
  private final Remote remote;
  private final Repository local;
  private final long temporaryGraceMillis;
  private final Progress progress;

  /**
   * Temporary files younger than this are kept whatever the grace asked for: an upload that started
   * as the collection ran writes one to take its lock (through Hadoop, where a name tells no
   * writer's process), and would fail if it went.
   */
  static final long MIN_TEMPORARY_AGE_MILLIS = 60_000;

  /** A collection that leaves temporary files alone for an hour (see {@link RemoteLocks#STALE_MILLIS}). */
  public RemoteGarbageCollector(Remote remote, Repository local, Progress progress) {
    this(remote, local, RemoteLocks.STALE_MILLIS, progress);
  }

  /**
   * @param temporaryGraceMillis temporary files of the store (left by writers that died) younger
   *     than this, or than {@link #MIN_TEMPORARY_AGE_MILLIS}, are kept
   */
  public RemoteGarbageCollector(Remote remote, Repository local, long temporaryGraceMillis, Progress progress) {
    this.remote = remote;
    this.local = local;
    this.temporaryGraceMillis = temporaryGraceMillis;
    this.progress = Progress.orNone(progress);
  }

  /**
   * What a collection did; {@code objectsKept}: the live objects the remote's packs hold, each
   * counted once; {@code unusedBytesKept}: about how many bytes objects no version needs keep in
   * packs mostly live, left as they are ({@link #maxUnused(double)}).
   */
  public record Result(int packsDeleted, int packsWritten, long objectsKept, long objectsDeleted, long bytesFreed,
      int temporaryFilesRemoved, long unusedBytesKept) {}

  /** The share of the packs' bytes that may stay unused in packs not rewritten. */
  private double maxUnused = UnusedSpace.DEFAULT_MAX_UNUSED;

  /**
   * Sets the share of all the remote's pack bytes that objects no version needs may keep in packs
   * that also hold live ones, left as they are rather than rewritten ({@link UnusedSpace}; default
   * {@value UnusedSpace#DEFAULT_MAX_UNUSED}). 0 rewrites every such pack: nothing a deleted version
   * alone held stays on the remote.
   *
   * @param share from 0 to 1
   */
  public RemoteGarbageCollector maxUnused(double share) {
    this.maxUnused = UnusedSpace.requireShare(share);
    return this;
  }

  public Result run() throws IOException {
    remote.checkMarker();
    try (RemoteLocks.Held lock = RemoteLocks.gc(remote.storage())) {
      RemoteIndex index = RemoteIndex.load(remote.storage(), remote.objectFormat(), remote.packIndexCache());
      String uri = remote.storage().uri().toString();
      if (!index.damaged().isEmpty()) {
        // Its objects are unknown: whatever a live object in it names could look dead.
        throw new CairnException("Cannot collect " + uri + ": " + index.describeDamage()
            + "; repair it first with cairn fsck --storage " + uri + " --repair");
      }
      if (remote.storage().size(RemoteLocks.INCOMPLETE) >= 0) {
        // What a lost node named looks dead, and repositories that hold the node could restore it cheaply.
        throw new CairnException("Cannot collect " + uri + ": versions there lack objects (locks/incomplete);"
            + " upload them again, then cairn fsck --storage " + uri + " --repair finds the remote whole and allows it");
      }
      // One listing, for the check and the marks: a record unreadable on a second reading would
      // make its version look deleted.
      VersionListing listing = remote.readRecords();
      List<String> unreadable = listing.unreadable();
      if (!unreadable.isEmpty()) {
        // Its version would look deleted, and everything only it needs dead.
        throw new CairnException("Cannot collect " + uri + ": the newest record of " + unreadable.get(0)
            + (unreadable.size() > 1 ? " (and " + (unreadable.size() - 1) + " more)" : "") + " cannot be read (damaged, or"
            + " written by a newer Cairn, or not readable by this user); upload the version again, or check with cairn fsck --storage " + uri);
      }
      return sweep(lock, index, mark(index, listing.records()));
    }
  }

  /**
   * The objects the remote's versions need. An object of a recorded version's own tree that the
   * remote lacks (a pack deleted by hand or by a lifecycle rule) stops the collection: what only it
   * named would look dead. What is there of the rest is marked, and what is not is passed over: a
   * record's base (optional, for its change-set) and the trees of parents reached only through a
   * version's lineage (their own records gone) are needed by no version's files.
   */
  private Set<ObjectId> mark(RemoteIndex index, List<DatasetRecord> records) throws IOException {
    Set<ObjectId> live = new HashSet<>();
    progress.start("marking what the remote's versions need", -1);
    try (RemoteObjectReader reader = new RemoteObjectReader(remote.storage(), index, local.objects().algorithm())) {
      // The records' own trees first, every one: a node reached first by a lenient walk would not
      // be walked strictly again.
      List<ObjectId> versions = new ArrayList<>();
      for (DatasetRecord r : records) {
        if (r.versionObject() != null) {
          require(index, r.versionObject(), r);
          if (live.add(r.versionObject())) {
            Version version = VersionFormat.decode(reader.open(r.versionObject()).bytes(), r.versionObject());
            versions.addAll(version.parents());
            markTree(reader, index, version.root(), live, r);
          }
        }
      }
      for (DatasetRecord r : records) {
        if (r.base() != null) {
          markTree(reader, index, r.base(), live, null); // for the change-set; mostly the parents' nodes
        }
      }
      while (!versions.isEmpty()) {
        ObjectId v = versions.remove(versions.size() - 1);
        if (!live.add(v) || !index.has(v)) {
          continue; // a parent the remote does not hold: its own record, if any, was checked above
        }
        Version version = VersionFormat.decode(reader.open(v).bytes(), v);
        versions.addAll(version.parents());
        markTree(reader, index, version.root(), live, null);
      }
    } finally {
      progress.finish();
    }
    return live;
  }

  private void require(RemoteIndex index, ObjectId id, DatasetRecord r) throws IOException {
    if (!index.has(id)) {
      String uri = remote.storage().uri().toString();
      throw new CairnException("Cannot collect " + uri + ": it lacks object " + id.hex()
          + " of version " + r.id() + " (" + r.name() + " " + r.version() + ")"
          + " (a pack deleted or lost?): what only it named would look unused; check with cairn fsck --storage " + uri
          + ", and upload the versions again from a repository that holds them");
    }
  }

  /**
   * Marks what is under {@code node}. With {@code r}, the tree of that record's version: a lacking
   * object stops the collection; without, what is lacking is passed over.
   */
  private void markTree(RemoteObjectReader reader, RemoteIndex index, ObjectId node, Set<ObjectId> live, DatasetRecord r) throws IOException {
    if (r != null) {
      require(index, node, r);
    } else if (!index.has(node)) {
      return;
    }
    if (!live.add(node)) {
      return;
    }
    TreeNode n = TreeFormat.decode(reader.open(node).bytes(), node);
    if (n instanceof TreeNode.Inner in) {
      for (ChildRef c : in.children()) {
        markTree(reader, index, c.id(), live, r);
      }
      return;
    }
    for (FileEntry e : ((TreeNode.Leaf) n).entries()) {
      if (e.kind() != EntryKind.FILE || e.size() == 0 || !live.add(e.content())) {
        continue;
      }
      if (e.chunked()) {
        if (r != null) {
          require(index, e.content(), r);
        } else if (!index.has(e.content())) {
          continue;
        }
        for (ChunkRef c : FileObjectFormat.decode(reader.open(e.content()).bytes(), e.content()).chunks()) {
          live.add(c.id());
        }
      }
    }
  }

  private Result sweep(RemoteLocks.Held lock, RemoteIndex index, Set<ObjectId> live) throws IOException {
    Map<String, List<PackEntry>> packs = index.packs();
    List<String> dead = new ArrayList<>();
    List<UnusedSpace.Pack> partly = new ArrayList<>();
    long deleted = 0;
    long totalBytes = 0;
    for (Map.Entry<String, List<PackEntry>> p : packs.entrySet()) {
      long liveHere = p.getValue().stream().filter(e -> live.contains(e.id())).count();
      if (liveHere == 0) {
        dead.add(p.getKey());
        deleted += p.getValue().size();
        continue;
      }
      totalBytes += index.packSize(p.getKey());
      if (liveHere < p.getValue().size()) {
        partly.add(UnusedSpace.of(p.getKey(), index.packSize(p.getKey()), p.getValue(), live::contains));
      }
    }
    // Rewritten only as far as maxUnused asks: a pack mostly live costs a download and an upload
    // of what it keeps to free a little.
    Set<String> chosen = UnusedSpace.toRewrite(partly, totalBytes, maxUnused);
    long unusedKept = UnusedSpace.left(partly, chosen);
    List<String> mixed = partly.stream().map(UnusedSpace.Pack::name).filter(chosen::contains).sorted().toList();
    for (String pack : mixed) {
      deleted += packs.get(pack).stream().filter(e -> !live.contains(e.id())).count();
    }
    int written = 0;
    long writtenBytes = 0;
    if (!mixed.isEmpty()) {
      Path staging = local.tmpDirectory().resolve(AtomicFiles.tempName("remote-gc-"));
      Files.createDirectories(staging);
      try (RemoteObjectReader reader = new RemoteObjectReader(remote.storage(), index, local.objects().algorithm());
          PackAssembler out = new PackAssembler(local.objects().algorithm(), staging, staging, local.config().pack())) {
        Set<ObjectId> copied = new HashSet<>();
        for (String pack : mixed) {
          // In the order they are stored: a fetch of a folder's files then reads few blocks, as before.
          for (PackEntry e : packs.get(pack).stream().sorted(PackEntry.STORED_ORDER).toList()) {
            if (live.contains(e.id()) && copied.add(e.id())) {
              out.add(e.id(), e.type(), reader.open(e.id()).bytes());
            }
          }
        }
        for (PackInfo info : out.finish()) {
          remote.storage().publish(RemoteLayout.pack(info.name()), info.path());
          written++;
          writtenBytes += info.sizeBytes();
        }
      } finally {
        Trees.deleteQuietly(staging);
      }
    }
    long freed = 0;
    if (!dead.isEmpty() || !mixed.isEmpty()) {
      RemoteLocks.beginSweep(lock, remote.storage());
    }
    for (String pack : dead) {
      freed += index.packSize(pack);
      remote.storage().delete(RemoteLayout.pack(pack));
    }
    for (String pack : mixed) {
      freed += index.packSize(pack);
      remote.storage().delete(RemoteLayout.pack(pack));
    }
    // Cached pack indexes of deleted packs are dropped; new ones are read on next use.
    for (String pack : dead) {
      Files.deleteIfExists(remote.packIndexCache().resolve(pack + ".idx"));
    }
    for (String pack : mixed) {
      Files.deleteIfExists(remote.packIndexCache().resolve(pack + ".idx"));
    }
    RemoteLocks.endSweep(remote.storage());
    int temporary = remote.storage().removeStaleTemporaryFiles(Math.max(temporaryGraceMillis, MIN_TEMPORARY_AGE_MILLIS));
    for (String ended : RemoteLocks.leftBehind(remote.storage(), false)) {
      remote.storage().delete(ended); // its process ended here (kill -9): passed over by everyone already
    }
    // Freed: what the deleted packs held, less the live objects written again.
    // Kept: the live objects the remote holds, each once (no second set of ids, which a remote of
    // a hundred million chunks could not afford).
    long kept = live.stream().filter(index::has).count();
    return new Result(dead.size() + mixed.size(), written, kept, deleted, Math.max(0, freed - writtenBytes), temporary, unusedKept);
  }
}
