package dev.cairn.transport;

import dev.cairn.dataset.DatasetRecord;
import dev.cairn.dataset.DatasetRepository;
import dev.cairn.dataset.Progress;
import dev.cairn.errors.MissingObjectException;
import dev.cairn.id.ObjectId;
import dev.cairn.internal.concurrent.Workers;
import dev.cairn.internal.fs.AtomicFiles;
import dev.cairn.internal.fs.ExitCleanup;
import dev.cairn.internal.fs.Trees;
import dev.cairn.internal.io.Text;
import dev.cairn.internal.pack.BlockCopier;
import dev.cairn.internal.pack.PackAssembler;
import dev.cairn.internal.pack.PackEntry;
import dev.cairn.internal.pack.PackInfo;
import dev.cairn.internal.pack.PackSettings;
import dev.cairn.manifest.ChildRef;
import dev.cairn.manifest.EntryKind;
import dev.cairn.manifest.FileEntry;
import dev.cairn.manifest.NodeLoader;
import dev.cairn.manifest.TreeNode;
import dev.cairn.object.ChunkRef;
import dev.cairn.object.FileObject;
import dev.cairn.object.FileObjectFormat;
import dev.cairn.object.ObjectType;
import dev.cairn.store.ObjectDatabase;
import dev.cairn.store.ObjectReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;

/**
 * The objects of one push (steps 2 and 3 of {@link Pusher}): what the remote lacks of a
 * version, found by walking its manifest and skipping what the remote holds, then uploaded in
 * layers (chunks, file objects, tree nodes, the version object), each whole before the next.
 */
final class ObjectUpload {
  private static final int PARALLEL_UPLOADS = 4;

  private final DatasetRepository repo;
  private final Remote remote;
  private final Progress progress;
  private final long packTargetBytes;

  ObjectUpload(DatasetRepository repo, Remote remote, Progress progress, long packTargetBytes) {
    this.repo = repo;
    this.remote = remote;
    this.progress = progress;
    this.packTargetBytes = packTargetBytes;
  }

  private PackSettings packSettings() {
    PackSettings s = repo.repository().config().pack();
    return packTargetBytes == 0 ? s
        : new PackSettings(packTargetBytes, s.blockTargetBytes(), s.smallObjectLimit(), s.zstdLevel());
  }

  /** Whether one of {@code ids} was deleted on the remote (its log there ends in a tombstone). */
  private boolean anyDeletedThere(List<String> ids) {
    for (String id : ids) {
      try {
        if (remote.wasDeleted(id)) {
          return true;
        }
      } catch (IOException unknown) {
        return true; // the base is optional: not sent when it might bring back what was freed
      }
    }
    return false;
  }

  /**
   * Uploads what the remote lacks of {@code r}'s objects, or with {@code dataOnly} (a draft) of its
   * files' data alone, passing over what is not here (its close completes it); returns whether
   * there was any.
   */
  boolean upload(DatasetRecord r, RemoteIndex index, Pusher.Totals totals, boolean lookUpEach, boolean dataOnly)
      throws IOException {
    Path staging = repo.repository().tmpDirectory().resolve(AtomicFiles.tempName("push-"));
    Files.createDirectories(staging);
    try (var atExit = ExitCleanup.register(staging);
        ObjectReader reader = repo.repository().objects().newReader(); Uploads uploads = new Uploads(index);
        PackAssembler packs = new PackAssembler(repo.repository().objects().algorithm(), staging, staging, packSettings(),
            uploads::finished)) {
      NodeLoader loader = new NodeLoader(reader, 64);
      Missing missing = new Missing(repo.repository().config().pack().smallObjectLimit(), lookUpEach);
      boolean versionThere = dataOnly || index.has(r.versionObject());
      boolean baseLeftOut = false;
      // A version already there may lack here what a partial fetch never brought: it is not sent.
      missing.passOverAbsent = versionThere;
      collect(loader, reader, r.root(), index, missing);
      missing.checkChunksHeld(repo.repository().objects());
      if (dataOnly) {
        missing.nodes.clear(); // a draft's nodes change with its next edit: they go at its close
      }
      // The base (the parents merged) too, so that a fetched version can show its change-set:
      // mostly the parents' nodes, already there; a merge of several parents adds a few. Optional,
      // and sent only whole (a node vouches for all below it): not when a partial fetch left out
      // some of the parents' files, nor when a parent was deleted there (the base would bring back
      // the data its delete and a collection freed, for a change-set alone).
      if (!dataOnly && r.base() != null && repo.repository().objects().has(r.base()) && !anyDeletedThere(r.parents())) {
        Missing base = new Missing(missing.smallLimit, lookUpEach); // never passes over: a hole keeps the base here
        base.nodes.addAll(missing.nodes); // what the version sends already
        collect(loader, reader, r.base(), index, base);
        base.checkChunksHeld(repo.repository().objects());
        if (base.absentCount == 0) {
          missing.takeAll(base);
        } else {
          baseLeftOut = !versionThere && !index.has(r.base()); // said once the version goes
        }
      }
      if (!versionThere && !reader.has(r.versionObject())) {
        missing.absent(r.versionObject());
      }
      if (missing.absentCount > 0) {
        throw new Pusher.NotWholeHere(missing.absentCount, missing.firstAbsent);
      }
      if (baseLeftOut) {
        progress.warn("the change-set of " + DatasetRecord.shortId(r.id()) + " is not sent to " + remote.storage().uri()
            + ": part of what its parents held is no longer here (a parent deleted, or fetched in part), so a copy got from"
            + " there holds its files but cannot list what it changed");
      }
      int objects = missing.count() + (versionThere ? 0 : 1);
      if (objects == 0) {
        return false; // checked object by object: the remote has all of it
      }
      // Measured in the files' data read (what the bar advances by), not in the packs' bytes sent,
      // which compression and the objects that describe the files make another figure.
      progress.start("uploading " + Text.count(objects, "object") + " to " + remote.storage().uri() + ", sized by their files' data",
          missing.chunkBytes);
      try {
        // Each layer is uploaded whole before the next is packed; within the first two, packs go up
        // while the next ones are written, and the sets are emptied as they go (the remote's index
        // grows meanwhile: a million tiny files must fit in a small heap).
        BlockCopier copier = new BlockCopier(repo.repository().packs(), reader, packs, false);
        copyDraining(missing.chunks, copier);
        for (Iterator<ObjectId> it = missing.smallChunks.iterator(); it.hasNext(); ) {
          copier.repack(it.next()); // stored in shared blocks: compressed anew, without looking up their block
          it.remove();
        }
        packs.cut();
        uploads.awaitAll();
        copyDraining(missing.files, copier);
        packs.cut();
        uploads.awaitAll();
        uploads.inOrder();
        for (ObjectId id : missing.nodes) {
          copier.repack(id); // in order: children before parents
        }
        packs.cut();
        if (!versionThere) {
          copier.repack(r.versionObject());
          packs.cut();
        }
      } finally {
        progress.finish(); // on a failure too: a progress bar is never left open
      }
      totals.objectsUploaded += objects;
      totals.bytesUploaded += uploads.bytes;
      return true;
    } finally {
      Trees.deleteQuietly(staging);
    }
  }

  /**
   * Uploads packs as the assembler finishes them: in parallel, until {@link #inOrder}, then one
   * after the other on the calling thread. A pack's staging file is deleted once it is up.
   */
  private final class Uploads implements AutoCloseable {
    private final RemoteIndex index;
    private final ExecutorService pool = Workers.pool("cairn-upload", Workers.upTo(PARALLEL_UPLOADS));
    private final List<Future<Object>> pending = new ArrayList<>();
    private boolean inOrder;
    long bytes;

    Uploads(RemoteIndex index) {
      this.index = index;
    }

    void finished(PackInfo p) throws IOException {
      bytes += p.sizeBytes();
      failFast();
      if (inOrder) {
        upload(p);
      } else {
        pending.add(pool.submit(() -> {
          upload(p);
          return null;
        }));
      }
    }

    /** Throws the failure of an upload already finished, so that a failed push stops packing. */
    private void failFast() throws IOException {
      for (Future<Object> f : pending) {
        if (f.isDone()) {
          Workers.getAll(List.of(f), "uploading");
        }
      }
    }

    /** Waits for every pack handed over so far: a layer's end. */
    void awaitAll() throws IOException {
      try {
        Workers.getAll(pending, "uploading");
      } finally {
        pending.clear();
      }
    }

    /** From now on, packs go up in the order they are finished, each before the next is written. */
    void inOrder() throws IOException {
      awaitAll();
      inOrder = true;
    }

    private void upload(PackInfo p) throws IOException {
      if (index.damaged().containsKey(p.name())) {
        // The same objects sent again make the same pack, under the damaged one's name (a push cut
        // short by a fault may leave one), and publishing leaves an existing name alone: the damaged
        // file goes first. The remote is marked incomplete before, so that if this push dies in
        // between, or races another over the name, later pushes look up every object and gc waits.
        remote.storage().createIfAbsent(RemoteLocks.INCOMPLETE, (System.currentTimeMillis() + "\n").getBytes(
            StandardCharsets.US_ASCII));
        remote.storage().delete(RemoteLayout.pack(p.name()));
      }
      remote.storage().publish(RemoteLayout.pack(p.name()), p.path());
      synchronized (index) {
        index.addUploaded(p.name(), p.entries());
      }
      Files.deleteIfExists(p.path());
      progress.advance(p.entries().stream().filter(e -> e.type() == ObjectType.CHUNK).mapToLong(PackEntry::length).sum());
    }

    @Override
    public void close() {
      pool.shutdownNow();
    }
  }

  private static void copyDraining(Set<ObjectId> ids, BlockCopier copier) throws IOException {
    for (Iterator<ObjectId> it = ids.iterator(); it.hasNext(); ) {
      ObjectId id = it.next();
      it.remove();
      copier.add(id);
    }
    copier.finish();
  }

  /** What a push must upload, by layer. */
  private static final class Missing {
    /**
     * Below this size an object was grouped with others when stored, and a push compresses it anew
     * in manifest order (see {@link BlockCopier}): it goes to {@link #smallChunks}.
     */
    final int smallLimit;
    /** Chunks, and the contents of files of one chunk: they name nothing. */
    final Set<ObjectId> chunks = new LinkedHashSet<>();
    /** The same, below {@link #smallLimit}, in manifest order. */
    final Set<ObjectId> smallChunks = new LinkedHashSet<>();
    /** Their bytes. */
    long chunkBytes;
    /** File objects: they name chunks. */
    final Set<ObjectId> files = new LinkedHashSet<>();
    /**
     * With {@link #passOverAbsent}, the chunks of each file object to send that the remote lacks: a
     * file object goes only with all of them, since once there it vouches for them.
     */
    final Map<ObjectId, List<ObjectId>> fileChunks = new HashMap<>();
    /** Tree nodes, children before parents. */
    final Set<ObjectId> nodes = new LinkedHashSet<>();

    /**
     * Whether each object is looked up rather than vouched for by the node above it, and then the
     * nodes already looked at (present ones included).
     */
    final boolean lookUpEach;
    final Set<ObjectId> seen = new HashSet<>();

    Missing(int smallLimit, boolean lookUpEach) {
      this.smallLimit = smallLimit;
      this.lookUpEach = lookUpEach;
    }

    /** Objects the remote lacks that this repository does not hold either: how many, and the first. */
    long absentCount;
    ObjectId firstAbsent;
    /** Whether such objects are passed over (a version already there, or its optional base) rather than counted. */
    boolean passOverAbsent;

    int count() {
      return chunks.size() + smallChunks.size() + files.size() + nodes.size();
    }

    /**
     * Adds what {@code other} found, which started from this one's nodes (its bytes may count a
     * chunk both found again: they size the progress bar only).
     */
    void takeAll(Missing other) {
      chunks.addAll(other.chunks);
      smallChunks.addAll(other.smallChunks);
      chunkBytes += other.chunkBytes;
      files.addAll(other.files);
      nodes.addAll(other.nodes);
    }

    /**
     * Looks up, in one pass, whether this repository holds the chunks found (the walk took them on
     * the nodes' word): one it lacks is passed over or counted absent, as {@link #passOverAbsent} says.
     */
    void checkChunksHeld(ObjectDatabase here) throws IOException {
      Set<ObjectId> lacking = new HashSet<>();
      for (Set<ObjectId> layer : List.of(chunks, smallChunks)) {
        List<ObjectId> ids = new ArrayList<>(layer);
        boolean[] held = here.hasEach(ids);
        for (int i = 0; i < held.length; i++) {
          if (!held[i]) {
            layer.remove(ids.get(i));
            lacking.add(ids.get(i));
            if (!passOverAbsent) {
              absent(ids.get(i));
            }
          }
        }
      }
      if (!lacking.isEmpty()) {
        // A file object whose chunks are passed over stays here too (a fetch stopped between the
        // two left it): sent alone, it would tell later pushes that the remote has the file.
        fileChunks.forEach((file, named) -> {
          if (named.stream().anyMatch(lacking::contains)) {
            files.remove(file);
          }
        });
      }
    }

    void absent(ObjectId id) {
      if (absentCount++ == 0) {
        firstAbsent = id;
      }
    }

    /** Adds a chunk (or single-chunk file content) of {@code size} bytes, once. */
    void addChunk(ObjectId id, long size) {
      if (smallChunks.contains(id) || chunks.contains(id)) {
        return;
      }
      (size < smallLimit ? smallChunks : chunks).add(id);
      chunkBytes += size;
    }
  }

  /** Objects under {@code node} the remote lacks. */
  private static void collect(NodeLoader loader, ObjectReader reader, ObjectId node, RemoteIndex index, Missing missing)
      throws IOException {
    boolean there = index.has(node);
    if (missing.lookUpEach ? !missing.seen.add(node) : there || missing.nodes.contains(node)) {
      return;
    }
    TreeNode n;
    try {
      n = loader.load(node);
    } catch (MissingObjectException notHere) {
      if (!there && !missing.passOverAbsent) {
        missing.absent(node);
      }
      return; // there: known here from the remote alone, nothing below it can be sent from here
    }
    if (n instanceof TreeNode.Inner in) {
      for (ChildRef c : in.children()) {
        collect(loader, reader, c.id(), index, missing);
      }
    } else {
      for (FileEntry e : ((TreeNode.Leaf) n).entries()) {
        if (e.kind() != EntryKind.FILE || e.size() == 0 || missing.files.contains(e.content())) {
          continue; // an empty file, or content this push already takes
        }
        boolean contentThere = index.has(e.content());
        if (missing.lookUpEach ? !missing.seen.add(e.content()) : contentThere) {
          continue; // content the remote has, or that was looked at already
        }
        if (!e.chunked()) {
          if (!contentThere) {
            missing.addChunk(e.content(), e.size()); // held here or not: Missing#checkChunksHeld tells
          }
          continue;
        }
        FileObject f;
        try {
          f = FileObjectFormat.decode(reader.open(e.content()).bytes(), e.content());
        } catch (MissingObjectException notHere) {
          if (!contentThere && !missing.passOverAbsent) {
            missing.absent(e.content());
          }
          continue; // fetched in part: the remote's file object is one this repository never had, nor its chunks
        }
        List<ObjectId> lacked = new ArrayList<>();
        for (ChunkRef c : f.chunks()) {
          // Checking a version already there: a chunk a partial fetch never brought cannot be sent from here.
          if (!index.has(c.id())) {
            missing.addChunk(c.id(), c.size());
            lacked.add(c.id());
          }
        }
        if (!contentThere) {
          missing.files.add(e.content());
          if (missing.passOverAbsent && !lacked.isEmpty()) {
            missing.fileChunks.put(e.content(), lacked);
          }
        }
      }
    }
    if (!there) {
      missing.nodes.add(node);
    }
  }
}
