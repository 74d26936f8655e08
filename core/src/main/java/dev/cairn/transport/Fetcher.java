package dev.cairn.transport;

import dev.cairn.dataset.DatasetRecord;
import dev.cairn.dataset.DatasetRepository;
import dev.cairn.dataset.Progress;
import dev.cairn.dataset.RecordRecovery;
import dev.cairn.dataset.Selection;
import dev.cairn.errors.AmbiguousIdException;
import dev.cairn.errors.CorruptObjectException;
import dev.cairn.errors.DatasetNotFoundException;
import dev.cairn.errors.MissingObjectException;
import dev.cairn.id.ObjectId;
import dev.cairn.internal.concurrent.Workers;
import dev.cairn.internal.io.Text;
import dev.cairn.internal.pack.BlockCodec;
import dev.cairn.internal.pack.PackEntry;
import dev.cairn.internal.pack.PackInfo;
import dev.cairn.internal.pack.PackObjectDatabase;
import dev.cairn.internal.pack.PackWriter;
import dev.cairn.manifest.ChildRef;
import dev.cairn.manifest.EntryKind;
import dev.cairn.manifest.Manifest;
import dev.cairn.manifest.NodeLoader;
import dev.cairn.manifest.TreeNode;
import dev.cairn.object.ChunkRef;
import dev.cairn.object.FileObjectFormat;
import dev.cairn.object.Version;
import dev.cairn.object.VersionFormat;
import dev.cairn.storage.StorageException;
import dev.cairn.store.ObjectReader;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;

/**
 * Brings a version from a remote into the local repository (spec/remote.md, "Fetch"): its record
 * and its ancestors' records, its version object and manifest nodes, then only the file objects and
 * chunks of the selected files, by byte ranges of the remote packs. Fetched blocks are stored
 * locally as they are, so the same bytes are never downloaded twice; objects already local are not
 * fetched at all.
 */
public final class Fetcher {
  /** Ranges of one pack closer than this are read in one request. */
  private static final long COALESCE_GAP = 256 << 10;
  /** Largest single ranged read. */
  private static final long MAX_READ = 8 << 20;
  /** Ranged reads in flight at once; with {@link #MAX_READ} this bounds the memory a fetch holds. */
  private static final int PARALLEL_READS = 4;

  private final DatasetRepository repo;
  private final Remote remote;
  private final Progress progress;

  public Fetcher(DatasetRepository repo, Remote remote, Progress progress) {
    this.repo = repo;
    this.remote = remote;
    this.progress = Progress.orNone(progress);
  }

  /** The full id of the remote version {@code idOrPrefix} names. */
  public String resolve(String idOrPrefix) throws IOException {
    String p = idOrPrefix.trim().toLowerCase(Locale.ROOT);
    List<String> matches = new ArrayList<>();
    for (String id : remote.versionIds()) {
      if (id.startsWith(p)) {
        matches.add(id);
      }
    }
    if (p.length() < 8 || matches.isEmpty()) {
      remote.checkMarker(); // a mistyped location is said to be one, not a version missing there
      throw new DatasetNotFoundException("Cannot find dataset version " + idOrPrefix + " on " + remote.storage().uri());
    }
    if (matches.size() > 1) {
      throw new AmbiguousIdException(p, matches);
    }
    return matches.get(0);
  }

  /**
   * Fetches version {@code id} and the selected files' data, and records the version locally.
   *
   * @return the local record
   */
  public DatasetRecord fetch(String id, Selection selection) throws IOException {
    remote.checkMarker();
    DatasetRecord r = fetchRecords(id);
    RemoteIndex index = remote.index();
    PackObjectDatabase db = repo.repository().packs();
    Set<ObjectId> wanted = new LinkedHashSet<>();
    if (!db.has(r.versionObject())) {
      wanted.add(r.versionObject());
    }
    // Manifest nodes, one level at a time: the version's, and its base's (its parents merged,
    // which its change-set is read against) when the remote has it. The version object comes
    // with the first level, and the record is checked against it before any level below.
    List<ObjectId> frontier = r.base() != null && !r.base().equals(r.root()) && index.has(r.base())
        ? List.of(r.root(), r.base()) : List.of(r.root());
    boolean checked = false;
    while (!frontier.isEmpty()) {
      boolean[] held = db.hasEach(frontier);
      for (int i = 0; i < held.length; i++) {
        if (!held[i]) {
          wanted.add(frontier.get(i));
        }
      }
      try {
        fetchObjects(wanted, index);
      } catch (MissingObjectException | CorruptObjectException e) {
        if (!checked && db.has(r.versionObject())) {
          requireAsItsVersionObject(r, db); // a record naming a root the remote lacks: said as what it is
        }
        throw e;
      }
      if (!checked) {
        requireAsItsVersionObject(r, db);
        checked = true;
      }
      wanted.clear();
      List<ObjectId> next = new ArrayList<>();
      try (ObjectReader reader = db.newReader()) {
        NodeLoader loader = new NodeLoader(reader, 16);
        for (ObjectId n : frontier) {
          if (loader.load(n) instanceof TreeNode.Inner in) {
            for (ChildRef c : in.children()) {
              next.add(c.id());
            }
          }
        }
      }
      frontier = next;
    }
    // Recorded once its manifest is here, before its files' data: a fetch stopped part way leaves
    // a version fetched in part (as a fetch of a part does), whose data gc keeps and a rerun
    // completes, not data of no version here, which gc would delete.
    repo.importRecord(r);
    fetchContent(r.root(), selection, index);
    return r;
  }

  /**
   * {@code failure}, said as what it most likely was when a pack this fetch read has left the
   * remote since its index was read: a collection there (it deletes the packs of deleted versions
   * and repacks the others), which a run again, reading the index anew, gets past.
   */
  private IOException goneMeanwhile(Set<String> packNames, IOException failure) {
    for (String name : packNames) {
      try {
        if (remote.storage().size(RemoteLayout.pack(name)) < 0) {
          String uri = remote.storage().uri().toString();
          return new StorageException("Cannot fetch from " + uri + ": pack " + name.substring(0, 12) + " left it while"
              + " this command read it (a cairn gc --storage there deletes the packs of deleted versions and repacks the others);"
              + " what was fetched is kept: run the command again", false, failure);
        }
      } catch (IOException unreadable) {
        failure.addSuppressed(unreadable);
        return failure;
      }
    }
    return failure;
  }

  /**
   * Refuses a record whose manifest root or number of parents is not its version object's: a
   * record can be rewritten on a remote (it is a file of its own, not an object named by its
   * hash), the version object it names cannot. Without this check a get of such a record would
   * hand out another version's files under this version's name.
   */
  private void requireAsItsVersionObject(DatasetRecord r, PackObjectDatabase db) throws IOException {
    Version v;
    try (ObjectReader reader = db.newReader()) {
      v = VersionFormat.decode(reader.open(r.versionObject()).bytes(), r.versionObject());
    }
    String differs = Remote.recordMismatch(r, v);
    if (differs != null) {
      throw new CorruptObjectException(r.versionObject(), CorruptObjectException.Reason.MALFORMED, remote.storage().uri().toString(),
          "the record of version " + r.id() + " there was changed: " + differs + "; nothing of it was taken (check with cairn fsck --storage "
          + remote.storage().uri() + ")");
    }
  }

  /**
   * Fetches the data of the selected files of the local manifest {@code root} that this repository
   * lacks: a version made here on top of one fetched in part shares files whose data is on the
   * remote its ancestor came from, though the version itself is not there.
   */
  public void fetchContent(ObjectId root, Selection selection) throws IOException {
    remote.checkMarker();
    fetchContent(root, selection, remote.index());
  }

  private void fetchContent(ObjectId root, Selection selection, RemoteIndex index) throws IOException {
    PackObjectDatabase db = repo.repository().packs();
    Set<ObjectId> wanted = new LinkedHashSet<>();
    // File objects, then chunks, of the selected files: the manifest is read twice rather than
    // held, and what is wanted is fetched every FETCH_BATCH ids, so that a version of a million
    // files does not hold a million entries.
    // What the remote cannot give (a damaged or lost pack) does not stop the fetch of the rest:
    // the first such failure is thrown at the end, and the files it spares are all here.
    IOException[] failed = {null};
    try (ObjectReader manifestReader = repo.repository().objects().newReader()) {
      Manifest manifest = new Manifest(new NodeLoader(manifestReader), root);
      Set<ObjectId> fileObjects = new LinkedHashSet<>();
      selection.forEach(manifest, e -> {
        if (e.kind() == EntryKind.FILE && e.size() > 0 && !db.has(e.content())) {
          (e.chunked() ? fileObjects : wanted).add(e.content());
          fetchIfFull(fileObjects, index, failed);
          fetchIfFull(wanted, index, failed);
        }
        return true;
      });
      fetchGoingOn(fileObjects, index, failed);
      try (ObjectReader reader = db.newReader()) {
        selection.forEach(manifest, e -> {
          if (e.kind() == EntryKind.FILE && e.chunked() && db.has(e.content())) {
            for (ChunkRef c : FileObjectFormat.decode(reader.open(e.content()).bytes(), e.content()).chunks()) {
              if (!db.has(c.id())) {
                wanted.add(c.id());
              }
            }
            fetchIfFull(wanted, index, failed);
          }
          return true;
        });
      }
    }
    fetchGoingOn(wanted, index, failed);
    if (failed[0] != null) {
      throw failed[0];
    }
  }

  /**
   * {@link #fetchObjects}, going on past what the remote cannot give (missing or damaged there):
   * the first such failure is kept in {@code failed[0]}; any other stops the fetch.
   */
  private void fetchGoingOn(Set<ObjectId> ids, RemoteIndex index, IOException[] failed) throws IOException {
    try {
      fetchObjects(ids, index);
    } catch (MissingObjectException | CorruptObjectException notFromThere) {
      if (failed[0] == null) {
        failed[0] = notFromThere;
      }
    }
  }

  /** Ids gathered before their objects are fetched in one go. */
  static final int FETCH_BATCH = 65_536;

  private void fetchIfFull(Set<ObjectId> ids, RemoteIndex index, IOException[] failed) throws IOException {
    if (ids.size() >= FETCH_BATCH) {
      fetchGoingOn(ids, index, failed);
      ids.clear();
    }
  }

  /** Copies the version's record and its ancestors' records into the local catalog. */
  private DatasetRecord fetchRecords(String id) throws IOException {
    DatasetRecord r = fetchedRecord(id);
    if (r == null) {
      throw new DatasetNotFoundException("Cannot find dataset version " + id + " on " + remote.storage().uri()
          + (remote.wasDeleted(id) ? ": it was deleted there (another remote that holds it can give it: name that one as the storage)" : ""));
    }
    ArrayDeque<String> queue = new ArrayDeque<>(r.parents());
    // Where each queued ancestor's child names its version object, to go on past one deleted there.
    Map<String, Via> via = new HashMap<>();
    noteParents(r.versionObject(), r.parents(), via);
    Set<String> seen = new HashSet<>();
    Map<String, DatasetRecord> missing = new LinkedHashMap<>();
    while (!queue.isEmpty()) {
      String p = queue.poll();
      if (!seen.add(p) || repo.catalog().exists(p)) {
        continue;
      }
      DatasetRecord pr = fetchedRecord(p);
      if (pr != null) {
        if (!repo.catalog().wasDeleted(p)) {
          missing.put(p, pr); // one deleted here on purpose stays deleted: only a fetch of it by its id brings it back
        }
        queue.addAll(pr.parents());
        noteParents(pr.versionObject(), pr.parents(), via);
      } else if (remote.wasDeleted(p)) {
        // Deleted there by a teammate: its record is not lost here, so fsck says nothing of it.
        repo.catalog().markDeletedThere(p, remote.storage().uri().toString());
        // Its version object, which its children's name and the remote keeps for them, is fetched:
        // through it the lineage goes on to the ancestors beyond (here, as the walks of a version
        // deleted here go), and their records are fetched too.
        DeletedAncestor d = deletedAncestor(p, via.get(p));
        if (d != null) {
          List<String> beyond = RecordRecovery.parentIds(d.object());
          if (beyond.size() == d.object().parents().size()) {
            queue.addAll(beyond);
            noteParents(d.id(), beyond, via);
          }
        }
      }
    }
    // Ancestors before descendants: a fetch stopped part way leaves no record here whose
    // ancestors are not, so that the walk above, run again, may stop at any record it finds.
    for (DatasetRecord pr : parentsFirst(missing)) {
      repo.importRecord(pr);
    }
    return r;
  }

  /** Where a child names a parent's version object: its own version object's parent list, at {@code index}. */
  private record Via(ObjectId childObject, int index) {}

  /** Notes, for each of {@code parents}, where its child ({@code childObject}) names its version object: read only if needed. */
  private static void noteParents(ObjectId childObject, List<String> parents, Map<String, Via> via) {
    if (childObject != null) {
      for (int i = 0; i < parents.size(); i++) {
        via.putIfAbsent(parents.get(i), new Via(childObject, i));
      }
    }
  }

  /** A version object found for an ancestor deleted on the remote, with its id. */
  private record DeletedAncestor(ObjectId id, Version object) {}

  /**
   * The version object of the ancestor {@code id} deleted on the remote, as its child names it
   * ({@code at}): both fetched from the remote unless here. Null if the remote no longer has them,
   * or that object is not that version's.
   */
  private DeletedAncestor deletedAncestor(String id, Via at) throws IOException {
    Version child = at == null ? null : versionObjectFetched(at.childObject());
    if (child == null || at.index() >= child.parents().size()) {
      return null;
    }
    ObjectId vid = child.parents().get(at.index());
    Version v = versionObjectFetched(vid);
    return v != null && id.equals(RecordRecovery.datasetId(v)) ? new DeletedAncestor(vid, v) : null;
  }

  /** Version object {@code vid}, fetched from the remote unless here; null if neither has it whole. */
  private Version versionObjectFetched(ObjectId vid) throws IOException {
    PackObjectDatabase db = repo.repository().packs();
    try {
      if (!db.has(vid)) {
        fetchObjects(new LinkedHashSet<>(List.of(vid)), remote.index());
      }
      try (ObjectReader reader = db.newReader()) {
        return VersionFormat.decode(reader.open(vid).bytes(), vid);
      }
    } catch (MissingObjectException | CorruptObjectException notThere) {
      return null; // collected there, or damaged: the walk stops at it, as before
    }
  }

  /** {@code records} ordered so that each comes after those of its parents among them. */
  static List<DatasetRecord> parentsFirst(Map<String, DatasetRecord> records) {
    List<DatasetRecord> order = new ArrayList<>(records.size());
    Set<String> placed = new HashSet<>();
    for (String start : records.keySet()) {
      // An explicit stack, not recursion: a history may be thousands of versions deep.
      ArrayDeque<Iterator<String>> stack = new ArrayDeque<>();
      ArrayDeque<String> path = new ArrayDeque<>();
      if (!placed.add(start)) {
        continue;
      }
      path.push(start);
      stack.push(records.get(start).parents().iterator());
      while (!stack.isEmpty()) {
        Iterator<String> parents = stack.peek();
        if (parents.hasNext()) {
          String p = parents.next();
          if (records.containsKey(p) && placed.add(p)) {
            path.push(p);
            stack.push(records.get(p).parents().iterator());
          }
        } else {
          stack.pop();
          order.add(records.get(path.pop()));
        }
      }
    }
    return order;
  }

  /** Whether the remote holds a readable record of version {@code id}. */
  public boolean holds(String id) throws IOException {
    remote.checkMarker();
    return remote.record(id) != null;
  }

  /**
   * The remote's record of {@code id} as this repository keeps it, or null: its storage is the
   * remote as this repository reached it, which may not be the address the uploader used (another
   * mount point, another scheme), so that what is missing later is fetched from where it was.
   */
  private DatasetRecord fetchedRecord(String id) throws IOException {
    DatasetRecord r = remote.record(id);
    return r == null ? null : r.toBuilder().storage(remote.storage().uri().toString()).build();
  }

  /** Object {@code id}, which no pack of the remote's index holds, as missing there, with what may explain it. */
  private MissingObjectException notThere(ObjectId id, RemoteIndex index) {
    String uri = remote.storage().uri().toString();
    String note = index.damageNote(uri);
    MissingObjectException missing = new MissingObjectException(id, "object on remote " + uri + note);
    if (!note.isEmpty()) {
      return missing;
    }
    // No damage seen: the remote never had it, or lost it with a version deleted there.
    return new MissingObjectException(missing, "no pack of that remote holds it (a version deleted there takes its data with it"
        + " at the remote's next gc, and so does a pack removed by hand; cairn search --storage " + uri + " lists the versions it"
        + " holds, cairn fsck --storage " + uri + " checks it; if this repository held the version whole, its own index may have lost"
        + " track of it: cairn fsck checks that)");
  }

  /** Fetches objects by ranged reads of the blocks that hold them and stores the blocks locally. */
  private void fetchObjects(Set<ObjectId> ids, RemoteIndex index) throws IOException {
    if (ids.isEmpty()) {
      return;
    }
    // pack → block offset → block length
    Map<String, TreeMap<Long, Integer>> blocks = new TreeMap<>();
    // What the remote cannot give is said once the rest is fetched: kept, it is not asked again.
    MissingObjectException unlocated = null;
    for (ObjectId id : ids) {
      RemoteIndex.Location loc = index.locate(id);
      if (loc == null) {
        if (unlocated == null) {
          unlocated = notThere(id, index);
        }
        continue;
      }
      blocks.computeIfAbsent(loc.pack(), k -> new TreeMap<>()).put(loc.entry().blockOffset(), loc.entry().blockLength());
    }
    long total = 0;
    for (TreeMap<Long, Integer> m : blocks.values()) {
      for (int len : m.values()) {
        total += len;
      }
    }
    progress.start("downloading " + Text.count(ids.size(), "object"), total);
    PackObjectDatabase db = repo.repository().packs();
    List<Range> ranges = new ArrayList<>();
    for (Map.Entry<String, TreeMap<Long, Integer>> e : blocks.entrySet()) {
      ranges.addAll(ranges(e.getKey(), e.getValue()));
    }
    int readers = Workers.upTo(PARALLEL_READS);
    ExecutorService pool = Workers.pool("cairn-fetch", readers);
    CorruptObjectException[] damaged = {null};
    try (FetchPacks packs = new FetchPacks(db, repo.repository().config().pack().packTargetBytes())) {
      try {
        // A window of reads in flight at a time; blocks are appended in order as they arrive, so
        // that a read failing keeps what the reads before it brought.
        for (int start = 0; start < ranges.size(); start += 2 * readers) {
          List<Future<byte[]>> window = new ArrayList<>();
          List<Range> batch = ranges.subList(start, Math.min(ranges.size(), start + 2 * readers));
          for (Range r : batch) {
            window.add(pool.submit(() -> remote.storage().read(RemoteLayout.pack(r.pack()), r.start(), (int) (r.end() - r.start()))));
          }
          Workers.getEach(window, "downloading",
              (i, data) -> damaged[0] = store(batch.get(i), data, index, packs, damaged[0]));
        }
      } catch (IOException | RuntimeException e) {
        // Every block appended was checked: keep them, so that a get run again (or once the
        // remote is repaired) fetches only the rest.
        packs.finishQuietly(e);
        if (e instanceof IOException io && !(e instanceof InterruptedIOException)) {
          throw goneMeanwhile(blocks.keySet(), io);
        }
        throw e;
      }
      packs.finish();
    } finally {
      pool.shutdownNow();
      progress.finish();
    }
    if (damaged[0] != null) {
      throw damaged[0];
    }
    if (unlocated != null) {
      throw unlocated;
    }
    for (ObjectId id : ids) {
      if (!db.has(id)) {
        throw new MissingObjectException(id, "object fetched from " + remote.storage().uri());
      }
    }
  }

  /**
   * The packs a fetch writes, each published once it reaches the target size: a get stopped part
   * way keeps what it fetched (its records came first, so gc keeps that too), and run again
   * fetches only the rest. Closing discards the unfinished one.
   */
  private static final class FetchPacks implements AutoCloseable {
    private final PackObjectDatabase db;
    private final long targetBytes;
    private PackWriter writer;
    /** Set when a write of the current pack failed: its file may hold bytes it does not count. */
    private boolean broken;

    FetchPacks(PackObjectDatabase db, long targetBytes) throws IOException {
      this.db = db;
      this.targetBytes = targetBytes;
      this.writer = db.newPackWriter();
    }

    void append(byte[] block, List<PackWriter.Member> members) throws IOException {
      broken = true;
      writer.appendBlock(block, members);
      if (writer.size() >= targetBytes) {
        publishCurrent();
        writer = db.newPackWriter();
      }
      broken = false;
    }

    void finish() throws IOException {
      publishCurrent();
    }

    /**
     * Publishes what was appended before {@code failure}, unless the failure was a write of this
     * pack's (which is then discarded); a failure to publish is added to it. An interruption is
     * held back meanwhile: the channel would close under the publication.
     */
    void finishQuietly(Throwable failure) {
      if (broken) {
        return;
      }
      boolean interrupted = Thread.interrupted();
      try {
        publishCurrent();
      } catch (IOException | RuntimeException e) {
        failure.addSuppressed(e);
      } finally {
        if (interrupted) {
          Thread.currentThread().interrupt();
        }
      }
    }

    private void publishCurrent() throws IOException {
      PackInfo info = writer.finish();
      if (info != null) {
        db.publish(info);
      }
    }

    @Override
    public void close() throws IOException {
      writer.close();
    }
  }

  /** One ranged read: blocks of one pack, {@code [start, end)}, holding the listed blocks. */
  private record Range(String pack, long start, long end, List<Map.Entry<Long, Integer>> blocks) {}

  /** Merges the wanted blocks of a pack into reads of nearby blocks. */
  private static List<Range> ranges(String pack, TreeMap<Long, Integer> wanted) {
    List<Map.Entry<Long, Integer>> list = new ArrayList<>(wanted.entrySet());
    List<Range> out = new ArrayList<>();
    int i = 0;
    while (i < list.size()) {
      long start = list.get(i).getKey();
      long end = start + list.get(i).getValue();
      int j = i + 1;
      while (j < list.size() && list.get(j).getKey() - end <= COALESCE_GAP
          && list.get(j).getKey() + list.get(j).getValue() - start <= MAX_READ) {
        end = Math.max(end, list.get(j).getKey() + list.get(j).getValue());
        j++;
      }
      out.add(new Range(pack, start, end, List.copyOf(list.subList(i, j))));
      i = j;
    }
    return out;
  }

  /**
   * Stores the blocks of a read. A damaged block is left out and the others stored, so that one bad
   * block costs no more than itself; the first damage met ({@code damaged}, else this read's) is
   * returned, for the fetch to throw once it has stored the rest.
   */
  private CorruptObjectException store(Range r, byte[] data, RemoteIndex index, FetchPacks writer, CorruptObjectException damaged)
      throws IOException {
    String file = RemoteLayout.pack(r.pack());
    for (Map.Entry<Long, Integer> b : r.blocks()) {
      int from = (int) (b.getKey() - r.start());
      byte[] block = Arrays.copyOfRange(data, from, from + b.getValue());
      try {
        storeBlock(r.pack(), b.getKey(), block, index, writer, file);
      } catch (CorruptObjectException e) {
        if (damaged == null) {
          damaged = e;
        }
      }
      progress.advance(b.getValue());
    }
    return damaged;
  }

  private void storeBlock(String pack, long offset, byte[] block, RemoteIndex index, FetchPacks writer, String file) throws IOException {
    byte[] raw;
    try {
      raw = BlockCodec.local().decode(block);
    } catch (BlockCodec.BlockException ex) {
      throw new CorruptObjectException(null, CorruptObjectException.Reason.CHECKSUM_MISMATCH,
          remote.storage().uri() + "/" + file + " block " + offset, ex.getMessage());
    }
    List<PackWriter.Member> members = new ArrayList<>();
    for (PackEntry e : index.block(pack, offset)) {
      if (e.offsetInBlock() + (long) e.length() > raw.length) {
        throw new CorruptObjectException(e.id(), CorruptObjectException.Reason.MALFORMED, remote.storage().uri() + "/" + file, "object past its block");
      }
      ObjectId actual = repo.repository().objects().algorithm().hash(raw, e.offsetInBlock(), e.length());
      if (!actual.equals(e.id())) {
        throw new CorruptObjectException(e.id(), CorruptObjectException.Reason.HASH_MISMATCH, remote.storage().uri() + "/" + file, null);
      }
      members.add(new PackWriter.Member(e.id(), e.type(), e.offsetInBlock(), e.length()));
    }
    writer.append(block, members);
  }
}
