package dev.cairn.transport;

import dev.cairn.dataset.DatasetRecord;
import dev.cairn.dataset.DatasetRepository;
import dev.cairn.dataset.Progress;
import dev.cairn.errors.DatasetStateException;
import dev.cairn.errors.InvalidInputException;
import dev.cairn.id.ObjectId;
import dev.cairn.internal.concurrent.Workers;
import dev.cairn.internal.pack.PackAssembler;
import dev.cairn.internal.pack.PackInfo;
import dev.cairn.manifest.ChildRef;
import dev.cairn.manifest.EntryKind;
import dev.cairn.manifest.FileEntry;
import dev.cairn.manifest.TreeNode;
import dev.cairn.manifest.NodeLoader;
import dev.cairn.object.ChunkRef;
import dev.cairn.object.FileObject;
import dev.cairn.object.FileObjectFormat;
import dev.cairn.object.ObjectType;
import dev.cairn.store.ObjectReader;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Uploads a closed version and whatever the remote lacks of it (spec/remote.md, "Push"):
 * <ol>
 *   <li>parents first, so that every version on a remote has its lineage there;
 *   <li>the objects the remote lacks, found by walking the manifest (and its base, the parents
 *       merged, for the change-set) and skipping every subtree
 *       whose root the remote has, and every file whose file object it has;
 *   <li>the packs, in layers: chunks (in parallel), then file objects (in parallel), then tree
 *       nodes bottom-up and the version object last (in order). A layer starts only when the one
 *       before is wholly uploaded, so an object is never on the remote without everything it names,
 *       however a push is interrupted: that is what makes the skipping above sound;
 *   <li>only then the version's record, created if absent: a record never names missing data.
 * </ol>
 * Interrupted pushes resume: packs already uploaded are not uploaded again.
 */
public final class Pusher {
  private static final int PARALLEL_UPLOADS = 4;

  private final DatasetRepository repo;
  private final Remote remote;
  private final Progress progress;

  public Pusher(DatasetRepository repo, Remote remote, Progress progress) {
    this.repo = repo;
    this.remote = remote;
    this.progress = progress;
  }

  /** What a push did. */
  public record Result(int versionsPushed, long objectsUploaded, long bytesUploaded) {}

  /** Pushes version {@code id} (and its missing ancestors). */
  public Result push(String id) throws IOException {
    remote.ensureInitialized();
    long[] totals = new long[3];
    try (RemoteLocks.Held lock = RemoteLocks.push(remote.storage(), LOCK_WAIT_MILLIS)) {
      pushVersion(id, totals, new LinkedHashSet<>());
    }
    return new Result((int) totals[0], totals[1], totals[2]);
  }

  /** How long a push waits for a garbage collection of the remote to finish. */
  static final long LOCK_WAIT_MILLIS = 600_000;

  private void pushVersion(String id, long[] totals, Set<String> visiting) throws IOException {
    if (!visiting.add(id)) {
      return;
    }
    DatasetRecord r = repo.catalog().read(id);
    if (r.isDraft() || r.versionObject() == null) {
      throw new DatasetStateException("Cannot upload " + id + ": it is a draft; close it first");
    }
    for (String p : r.parents()) {
      if (remote.record(p) == null) {
        pushVersion(p, totals, visiting);
      }
    }
    String uri = remote.storage().uri().toString();
    DatasetRecord remoteRecord = r.toBuilder().storage(uri).build();
    if (!remote.reserveName(r.project(), r.name(), r.version(), r.id())) {
      throw new InvalidInputException("Cannot upload " + id + ": " + r.project() + "/" + r.name() + " version " + r.version()
          + " already exists on " + uri + " as another version");
    }
    RemoteIndex index = remote.index();
    if (!index.has(r.versionObject())) {
      uploadObjects(r, index, totals);
    }
    remote.appendRecord(remoteRecord);
    totals[0]++;
  }

  private void uploadObjects(DatasetRecord r, RemoteIndex index, long[] totals) throws IOException {
    Path staging = repo.repository().tmpDirectory().resolve(dev.cairn.internal.fs.AtomicFiles.tempName("push-"));
    Files.createDirectories(staging);
    try (ObjectReader reader = repo.repository().objects().newReader();
        PackAssembler packs = new PackAssembler(repo.repository().objects().algorithm(), staging, staging, repo.repository().config().pack())) {
      NodeLoader loader = new NodeLoader(reader, 64);
      Missing missing = new Missing();
      collect(loader, reader, r.root(), index, missing);
      // The base (the parents merged) too, so that a fetched version can show its change-set:
      // mostly the parents' nodes, already there; a merge of several parents adds a few.
      if (r.base() != null && repo.repository().objects().has(r.base())) {
        collect(loader, reader, r.base(), index, missing);
      }
      progress.start("packing " + (missing.count() + 1) + " objects for " + remote.storage().uri(), -1);
      for (ObjectId id : missing.chunks) {
        var o = reader.open(id);
        packs.add(id, o.type(), o.bytes());
      }
      int chunkPacks = packs.finish().size();
      for (ObjectId id : missing.files) {
        packs.add(id, ObjectType.FILE, reader.open(id).bytes());
      }
      int dataPacks = packs.finish().size();
      for (ObjectId id : missing.nodes) {
        packs.add(id, ObjectType.TREE, reader.open(id).bytes());
      }
      packs.cut();
      packs.add(r.versionObject(), ObjectType.VERSION, reader.open(r.versionObject()).bytes());
      List<PackInfo> all = packs.finish();
      progress.finish();
      long bytes = all.stream().mapToLong(PackInfo::sizeBytes).sum();
      progress.start("uploading " + all.size() + " packs", bytes);
      upload(all.subList(0, chunkPacks), index, true);
      upload(all.subList(chunkPacks, dataPacks), index, true);
      upload(all.subList(dataPacks, all.size()), index, false);
      progress.finish();
      totals[1] += missing.count() + 1;
      totals[2] += bytes;
    } finally {
      dev.cairn.internal.fs.Trees.deleteQuietly(staging);
    }
  }

  /** What a push must upload, by layer. */
  private static final class Missing {
    /** Chunks, and the contents of files of one chunk: they name nothing. */
    final Set<ObjectId> chunks = new LinkedHashSet<>();
    /** File objects: they name chunks. */
    final Set<ObjectId> files = new LinkedHashSet<>();
    /** Tree nodes, children before parents. */
    final Set<ObjectId> nodes = new LinkedHashSet<>();

    int count() {
      return chunks.size() + files.size() + nodes.size();
    }
  }

  /** Objects under {@code node} the remote lacks. */
  private static void collect(NodeLoader loader, ObjectReader reader, ObjectId node, RemoteIndex index, Missing missing)
      throws IOException {
    if (index.has(node) || missing.nodes.contains(node)) {
      return;
    }
    TreeNode n = loader.load(node);
    if (n instanceof TreeNode.Inner in) {
      for (ChildRef c : in.children()) {
        collect(loader, reader, c.id(), index, missing);
      }
    } else {
      for (FileEntry e : ((TreeNode.Leaf) n).entries()) {
        if (e.kind() != EntryKind.FILE || e.size() == 0 || index.has(e.content()) || missing.files.contains(e.content())) {
          continue; // an empty file, or content the remote has or this push already takes
        }
        if (!e.chunked()) {
          missing.chunks.add(e.content());
          continue;
        }
        FileObject f = FileObjectFormat.decode(reader.open(e.content()).bytes(), e.content());
        for (ChunkRef c : f.chunks()) {
          if (!index.has(c.id())) {
            missing.chunks.add(c.id());
          }
        }
        missing.files.add(e.content());
      }
    }
    missing.nodes.add(node);
  }

  private void upload(List<PackInfo> packs, RemoteIndex index, boolean parallel) throws IOException {
    if (!parallel) {
      for (PackInfo p : packs) {
        uploadOne(p, index);
      }
      return;
    }
    ExecutorService pool = Workers.pool("cairn-upload", PARALLEL_UPLOADS);
    try {
      List<Future<Object>> fs = new ArrayList<>();
      for (PackInfo p : packs) {
        fs.add(pool.submit(() -> {
          uploadOne(p, index);
          return null;
        }));
      }
      Workers.getAll(fs, "uploading");
    } finally {
      pool.shutdownNow();
    }
  }

  private void uploadOne(PackInfo p, RemoteIndex index) throws IOException {
    remote.storage().publish(RemoteLayout.pack(p.name()), p.path());
    synchronized (index) {
      index.addUploaded(p.name(), p.entries());
    }
    progress.advance(p.sizeBytes());
  }
}
