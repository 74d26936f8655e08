package dev.cairn.transport;

import dev.cairn.dataset.ChangeSummary;
import dev.cairn.dataset.DatasetRecord;
import dev.cairn.dataset.DatasetRepository;
import dev.cairn.dataset.LogEntry;
import dev.cairn.dataset.Progress;
import dev.cairn.dataset.RecordHistory;
import dev.cairn.dataset.Selection;
import dev.cairn.dataset.VersionLocks;
import dev.cairn.errors.ConflictException;
import dev.cairn.errors.CorruptObjectException;
import dev.cairn.errors.DatasetNotFoundException;
import dev.cairn.errors.DatasetStateException;
import dev.cairn.errors.InvalidConfigException;
import dev.cairn.errors.InvalidInputException;
import dev.cairn.errors.MissingObjectException;
import dev.cairn.errors.Remedy;
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
import dev.cairn.storage.Storages;
import dev.cairn.store.ObjectDatabase;
import dev.cairn.store.ObjectReader;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;

/**
 * Uploads a closed version and whatever the remote lacks of it (spec/remote.md, "Push"):
 * <ol>
 *   <li>parents first, so that every version on a remote has its lineage there (but a parent
 *       deleted there stays deleted);
 *   <li>the objects the remote lacks, found by walking the manifest (and its base, the parents
 *       merged, for the change-set) and skipping every subtree
 *       whose root the remote has, and every file whose file object it has;
 *   <li>the packs, in layers: chunks (in parallel), then file objects (in parallel), then tree
 *       nodes bottom-up and the version object last (in order). A layer starts only when the one
 *       before is wholly uploaded, so an object is never on the remote without everything it names,
 *       however a push is interrupted: that is what makes the skipping above sound. Within a layer
 *       packs go up as soon as they are written; local blocks of one wanted object are copied as
 *       stored ({@link BlockCopier}), not compressed again, and the objects of shared blocks are
 *       compressed anew in manifest order (small ones without looking up their block);
 *   <li>only then the version's record, created if absent: a record never names missing data.
 * </ol>
 * Interrupted pushes resume: packs already uploaded are not uploaded again.
 */
public final class Pusher {
  private static final int PARALLEL_UPLOADS = 4;

  private final DatasetRepository repo;
  private final Remote remote;
  private final Progress progress;
  /** Whether the remote's damage was told already (a push of several versions tells it once). */
  private boolean damageTold;
  private final long packTargetBytes;

  /**
   * A push whose packs are closed once they reach {@code packTargetBytes} (clearml's chunk size):
   * fewer, larger files on the remote, or more, smaller ones. 0 takes the repository's
   * {@code pack.targetSize}; {@link Long#MAX_VALUE} makes one pack of each layer of the push.
   */
  public Pusher(DatasetRepository repo, Remote remote, Progress progress, long packTargetBytes) {
    if (packTargetBytes != 0 && packTargetBytes < MIN_PACK_TARGET) {
      throw new IllegalArgumentException("pack size must be at least " + MIN_PACK_TARGET + " bytes (0 for the repository's, Long.MAX_VALUE"
          + " for packs as large as they come, clearml's chunk_size -1): " + packTargetBytes);
    }
    this.repo = repo;
    this.remote = remote;
    this.progress = Progress.orNone(progress);
    this.packTargetBytes = packTargetBytes;
  }

  /** The smallest pack size a push may be given. */
  public static final long MIN_PACK_TARGET = 1 << 20;

  private PackSettings packSettings() {
    PackSettings s = repo.repository().config().pack();
    return packTargetBytes == 0 ? s
        : new PackSettings(packTargetBytes, s.blockTargetBytes(), s.smallObjectLimit(), s.zstdLevel());
  }

  /**
   * What a push did.
   *
   * @param versionsPushed versions for which an object or a record was published
   * @param recordTaken whether the remote's record of the version was newer than this
   *     repository's, which took it instead of publishing its own (a fast-forward)
   * @param remoteCreated whether the remote was made by this push: its location held no Cairn data
   *     (a new remote, or a mistyped address)
   * @param restored the versions deleted on the remote that this push brought back there
   * @param ancestorsLogged ancestors without a remote of their own that went along, their records
   *     there published with this upload entry, which the caller appends to their records here
   */
  public record Result(int versionsPushed, long objectsUploaded, long bytesUploaded, boolean recordTaken, boolean remoteCreated,
      List<String> restored, Map<String, LogEntry> ancestorsLogged) {
    public Result {
      restored = List.copyOf(restored);
      ancestorsLogged = Collections.unmodifiableMap(new LinkedHashMap<>(ancestorsLogged));
    }

    /** Whether the remote had the version and its record already: nothing was published. */
    public boolean upToDate() {
      return versionsPushed == 0 && !recordTaken;
    }
  }

  /**
   * Pushes version {@code id} (and its missing ancestors); the record published for {@code id}
   * ends with {@code uploadEntry} when it is not null: the entry the caller then appends to the
   * local record, so that both stay equal and the next push of the version publishes nothing.
   */
  public Result push(String id, LogEntry uploadEntry) throws IOException {
    boolean created = remote.ensureInitialized();
    pushing = id;
    ancestorsLogged.clear();
    restored.clear();
    Totals totals = new Totals();
    try (RemoteLocks.Held lock = RemoteLocks.push(remote.storage(), LOCK_WAIT_MILLIS, progress::warn)) {
      this.lock = lock;
      pushVersion(id, uploadEntry, totals, new LinkedHashSet<>());
    } finally {
      this.lock = null;
    }
    return new Result(totals.versionsPushed, totals.objectsUploaded, totals.bytesUploaded, totals.recordTaken, created, restored, ancestorsLogged);
  }

  /** The version {@link #push} was asked for; the others it publishes are its ancestors. */
  private String pushing;

  /** Ancestors published with an upload entry of their own, and the entry. */
  private final Map<String, LogEntry> ancestorsLogged = new LinkedHashMap<>();

  /** The push lock held while {@link #push} runs: checked before each record is published. */
  private RemoteLocks.Held lock;

  /** Versions deleted on the remote that this push brought back. */
  private final List<String> restored = new ArrayList<>();

  /** Records published by other pushes while this one compared (see {@link #pushVersion}); past the most, the race is given up. */
  private int recordRaces;
  private static final int MAX_RECORD_RACES = 8;

  /** How long a push waits for a garbage collection of the remote to finish. */
  static final long LOCK_WAIT_MILLIS = 600_000;

  /** What one push did, counted as it goes. */
  private static final class Totals {
    int versionsPushed;
    long objectsUploaded;
    long bytesUploaded;
    /** Whether the remote's record was newer, and this repository took it instead of publishing its own. */
    boolean recordTaken;
  }

  /** Pushes {@code id}, its record ending with {@code uploadEntry} if not null, after its missing parents. */
  private void pushVersion(String id, LogEntry uploadEntry, Totals totals, Set<String> visiting) throws IOException {
    if (!visiting.add(id)) {
      return;
    }
    DatasetRecord r = repo.catalog().read(id);
    if (r.isDraft() || r.versionObject() == null) {
      throw new DatasetStateException("Cannot upload " + id + ": it is a draft; close it first");
    }
    String uri = remote.storage().uri().toString();
    for (String p : r.parents()) {
      if (!repo.catalog().exists(p)) {
        // Deleted here, or on the remote this copy came from, before it was fetched: the child
        // goes alone (its manifest is whole), as it stays after a delete --force of its parent.
        continue;
      }
      // A parent deleted there (its log ends in a tombstone) stays deleted: only a push of that
      // version itself brings it back. One whose newest record is damaged is pushed (superseding it).
      Remote.Latest there;
      try {
        there = remote.latest(p);
      } catch (CorruptObjectException damagedRecord) {
        there = null;
      }
      LogEntry entry = ancestorEntry(p, uri);
      if (there == null) {
        try {
          pushVersion(p, entry, totals, visiting);
        } catch (CannotComplete gone) {
          // Not whole here, and its remote cannot give the rest (deleted there since this copy was
          // fetched, say): the child goes alone, as above; what it needs of its own is checked below.
        }
      } else if (entry != null && there.record() != null && !visiting.contains(p)) {
        // There already: sent by another repository's push of a sibling, or by this one's that
        // was cut off. The remote holds it as it would after this push: so it is said here too.
        ancestorsLogged.putIfAbsent(p, entry);
      }
    }
    DatasetRecord theirs = null;
    long theirsSeq = 0; // the newest record's sequence number, 0 for none
    boolean deletedThere = false;
    try {
      Remote.Latest there = remote.latest(id);
      theirs = there == null ? null : there.record();
      theirsSeq = there == null ? 0 : there.seq();
      if (there != null && theirs == null) {
        // Deleted there: a push brings it back, but not as an older copy than the one deleted.
        deletedThere = true;
        theirs = remote.latestLive(id);
      }
      if (theirs != null && (!theirs.root().equals(r.root()) || !Objects.equals(theirs.versionObject(), r.versionObject())
          || !theirs.parents().equals(r.parents()))) {
        // Rewritten there (a record is a file, not an object named by its hash): superseded as a
        // damaged one is, by this repository's copy, whose root its version object vouches for.
        theirs = null;
        theirsSeq = -1;
      }
      if (theirs != null && !theirs.version().equals(r.version())) {
        // Renumbered here (set-version) after it reached the remote under its first string.
        throw new InvalidInputException("Cannot upload " + id + ": it is " + r.name() + " " + theirs.version() + " on " + uri
            + " and " + r.version() + " here; a version keeps the string it was uploaded with");
      }
    } catch (CorruptObjectException damagedRecord) {
      theirsSeq = -1; // superseded below, whatever its number
    }
    DatasetRecord.Builder b = r.toBuilder().storage(uri);
    if (uploadEntry != null) {
      b.appendLog(uploadEntry);
    }
    DatasetRecord remoteRecord = b.build();
    RecordHistory history = theirs == null ? RecordHistory.OURS_AHEAD : RecordHistory.of(r.log(), theirs.log());
    if (history == RecordHistory.DIVERGED) {
      throw new ConflictException("Cannot upload " + id + ": its record was changed here ("
          + RecordHistory.since(theirs.log(), r.log()) + ") and on " + uri + " (" + RecordHistory.since(r.log(), theirs.log())
          + ") since the two last agreed; Cairn does not merge records. To keep the remote's, delete this copy (",
          new Remedy("Dataset.delete(true); its data stays until gc) and get it again (Dataset.get(repo, \"" + DatasetRecord.shortId(id) + "\", \""
              + uri + "\"))", "cairn delete --id " + DatasetRecord.shortId(id) + " --force; its data stays until gc) and get it again (cairn get --id "
              + DatasetRecord.shortId(id) + " --storage " + uri + ")"), "");
    }
    if (!reserveName(r)) {
      String holder = remote.describeNameHolder(r.project(), r.name(), r.version());
      throw new InvalidInputException("Cannot upload " + id + ": " + DatasetRepository.label(r.project(), r.name()) + " version " + r.version()
          + " already exists on " + uri + " as another version (" + (holder == null ? "another repository reserved that string there first"
          : "held by " + holder) + "); give this one another with ", new Remedy("Dataset.setVersion", "cairn set-version --id "
              + DatasetRecord.shortId(id) + " --new-version V"), ", then upload it");
    }
    RemoteIndex index = remote.index();
    if (!index.damaged().isEmpty() && !damageTold) {
      damageTold = true;
      progress.warn(uri + ": " + index.describeDamage() + "; this upload looks up every object it needs, but other versions there"
          + " may lack data: check with cairn fsck --storage " + uri);
    }
    // A remote that lost objects (a damaged pack, or one deleted by hand) breaks the rule that
    // makes skipping sound: every object is then looked up, and a version there is completed. So
    // is a version uploaded again, whose objects are there: a second upload checks the first.
    boolean lookUpEach = !index.damaged().isEmpty() || remote.storage().size(RemoteLocks.INCOMPLETE) >= 0
        || index.has(r.versionObject());
    boolean published;
    try {
      published = uploadObjects(r, index, totals, lookUpEach);
    } catch (NotWholeHere e) {
      // Fetched in part, or known here by its record alone (an ancestor of a version fetched): its
      // own remote gives the rest, as it does to a get or an export, before anything is sent.
      // Then the push starts again: the fetch may have taken a newer record.
      completeFromItsRemote(r, uri, e);
      visiting.remove(id);
      pushVersion(id, uploadEntry, totals, visiting);
      return;
    }
    try {
      if (history == RecordHistory.THEIRS_AHEAD) {
        // This repository's copy is older (renamed, tagged or published elsewhere since it was
        // fetched): publishing it would undo that. It takes the remote's instead, and a version
        // deleted there comes back as it was deleted.
        DatasetRecord newer = theirs.toBuilder().storage(uri).build();
        if (deletedThere) {
          appendRecord(id, newer, theirsSeq);
          published = true;
        }
        repo.fastForward(r, newer);
        totals.recordTaken = true;
      } else if (history == RecordHistory.OURS_AHEAD || deletedThere) {
        // Published only if the newest record is still the one compared: one published meanwhile
        // by another push may hold changes this one would undo.
        appendRecord(id, remoteRecord, theirsSeq);
        published = true;
        if (uploadEntry != null && !id.equals(pushing)) {
          ancestorsLogged.put(id, uploadEntry); // for the caller to append here, as it appends the version's own
        }
      }
    } catch (Remote.RecordChangedException raced) {
      // Another push published a record meanwhile: compared again with that one, this record is
      // published after it, or the remote's taken, or the two found diverged (and said so). A
      // delete there meanwhile is not undone by this push: it stops, as it did before.
      if (++recordRaces > MAX_RECORD_RACES || remote.wasDeleted(id)) {
        throw raced;
      }
      visiting.remove(id);
      pushVersion(id, uploadEntry, totals, visiting);
      return;
    }
    if (published) {
      totals.versionsPushed++;
    }
    if (deletedThere) {
      restored.add(id);
    }
  }

  /**
   * The upload entry of an ancestor that goes with a version, as the caller gives the version's
   * own, if the ancestor has no remote of its own yet: it is uploaded too, and this remote becomes
   * its own, where a plain upload and a get of what is not here go. Null for one that has a remote
   * (it was created for one, uploaded or fetched): that stays its own, and this remote holds a copy.
   */
  private LogEntry ancestorEntry(String id, String uri) throws IOException {
    if (repo.catalog().read(id).storage() != null) {
      return null;
    }
    return new LogEntry(System.currentTimeMillis(), "upload", List.of(uri), ChangeSummary.EMPTY, 0);
  }

  /**
   * Reserves the version's string on the remote under the version's lock, once the version is
   * known to be here still, as {@link #appendRecord} publishes: a delete that gave the string
   * back meanwhile is not undone by a reservation nobody would release.
   */
  private boolean reserveName(DatasetRecord r) throws IOException {
    try (VersionLocks.Lock lock = repo.catalog().lock(r.id())) {
      requireHere(r.id());
      return remote.reserveName(r.project(), r.name(), r.version(), r.id());
    }
  }

  private void requireHere(String id) throws IOException {
    if (!repo.catalog().exists(id)) {
      throw new DatasetNotFoundException("Cannot upload " + id + ": it was deleted here while it was being uploaded;"
          + " what was sent of it goes at the next cairn gc --storage " + remote.storage().uri());
    }
  }

  /**
   * Publishes a record of version {@code id} on the remote under the version's lock, once the
   * version is known to be here still: a delete, which gives back a string the version reserved
   * on the remote under the same lock, then either comes first (and nothing is published) or
   * finds the record there (and gives nothing back). Otherwise a delete racing an upload could
   * free the string of a version the upload then publishes, for another to take.
   */
  private void appendRecord(String id, DatasetRecord record, long afterSeq) throws IOException {
    try (VersionLocks.Lock versionLock = repo.catalog().lock(id)) {
      requireHere(id);
      if (lock != null) {
        // A collection that took this push's lock for a dead process's may have deleted what the record names.
        lock.requireHeld("publish the record of " + id);
      }
      requireMarkerStill();
      remote.appendRecord(record, afterSeq);
    }
  }

  /**
   * Refuses to publish a record on a remote whose marker went while the push ran: its folder was
   * deleted, or a share unmounted from under it, and the push's writes made the folders they
   * needed again, unmarked. A record there would be a version uploaded to a remote no command can
   * use.
   */
  private void requireMarkerStill() throws IOException {
    if (remote.storage().size(RemoteLayout.MARKER) < 0) {
      throw new InvalidConfigException("Cannot upload to " + remote.storage().uri() + ": its " + RemoteLayout.MARKER
          + " file went while the upload ran (the folder deleted, or a share unmounted?); no version was published: restore the"
          + " remote, or empty that location, and upload again");
    }
  }

  /** Objects a push must send that this repository does not hold; nothing was sent. */
  private static final class NotWholeHere extends IOException {
    private final ObjectId first;

    NotWholeHere(long objects, ObjectId first) {
      super(Text.count(objects, "object") + " of it " + (objects == 1 ? "is" : "are") + " not in this repository ("
          + first.abbreviate(12) + (objects == 1 ? ")" : " first)"));
      this.first = first;
    }
  }

  /**
   * A version whose missing objects could not be fetched from its own remote; a
   * {@link MissingObjectException} (of the first) to callers.
   */
  private static final class CannotComplete extends MissingObjectException {
    CannotComplete(String message, NotWholeHere lacking, Throwable cause) {
      super(lacking.first, message, cause);
    }
  }

  /** Versions this push fetched whole already: a second lack is not fetched again. */
  private final Set<String> completed = new HashSet<>();

  /** Fetches what version {@code r} lacks here from the remote it came from. */
  private void completeFromItsRemote(DatasetRecord r, String target, NotWholeHere lacking) throws IOException {
    String from = r.storage();
    String cannot = "Cannot upload " + r.shortId() + " to " + target + ": " + lacking.getMessage();
    // Made here and never uploaded: nothing else ever held what it lacks. (A version uploaded with
    // its child by an older Cairn, or as an ancestor with a remote of its own already, has no upload
    // entry either, but its remote holds it: that is found by trying.)
    boolean madeHere = !r.wasUploaded();
    String lost = cannot + ", lost or damaged here (run cairn fsck)";
    if (from == null) {
      throw new CannotComplete(lost, lacking, lacking);
    }
    String why = cannot + ", as in a version fetched in part or known here by its record only";
    if (Storages.same(from, target)) {
      throw new CannotComplete(madeHere ? lost : why + ", and no other remote is known to hold it all", lacking, lacking);
    }
    if (!completed.add(r.id())) {
      throw new CannotComplete(why + ", even after a get of it from " + from, lacking, lacking);
    }
    try (Remote source = repo.openRemote(from)) {
      repo.fetch(r.id(), Selection.ALL, source, progress);
    } catch (InterruptedIOException e) {
      throw e;
    } catch (DatasetNotFoundException notThere) {
      throw new CannotComplete(madeHere ? lost : why + ", and " + from + " does not hold it", lacking, notThere);
    } catch (IOException e) {
      throw new CannotComplete(why + ", and getting it from " + from + " failed: " + e.getMessage(), lacking, e);
    }
  }

  /**
   * Uploads the data a draft holds now, the chunks and file objects of its files, so that the
   * upload at its close sends only the rest (its manifest nodes and version object), as
   * clearml-data's {@code upload} sends a draft's files before its {@code close}. No record is
   * published: the remote lists the version once it is closed and uploaded. Data no version
   * reaches is collected by a remote gc after its grace, as any.
   */
  public Result pushData(String id) throws IOException {
    DatasetRecord r = repo.catalog().read(id);
    if (!r.isDraft()) {
      throw new DatasetStateException("Cannot upload the data of " + id + " alone: it is closed; upload the version");
    }
    boolean created = remote.ensureInitialized();
    Totals totals = new Totals();
    try (RemoteLocks.Held lock = RemoteLocks.push(remote.storage(), LOCK_WAIT_MILLIS, progress::warn)) {
      RemoteIndex index = remote.index();
      boolean lookUpEach = !index.damaged().isEmpty() || remote.storage().size(RemoteLocks.INCOMPLETE) >= 0;
      uploadObjects(r, index, totals, lookUpEach, true);
    }
    return new Result(0, totals.objectsUploaded, totals.bytesUploaded, false, created, List.of(), Map.of());
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

  /** Uploads what the remote lacks of {@code r}'s objects; returns whether there was any. */
  private boolean uploadObjects(DatasetRecord r, RemoteIndex index, Totals totals, boolean lookUpEach) throws IOException {
    return uploadObjects(r, index, totals, lookUpEach, false);
  }

  /**
   * Uploads what the remote lacks of {@code r}'s objects, or with {@code dataOnly} (a draft) of its
   * files' data alone, passing over what is not here (its close completes it); returns whether
   * there was any.
   */
  private boolean uploadObjects(DatasetRecord r, RemoteIndex index, Totals totals, boolean lookUpEach, boolean dataOnly)
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
        }
      }
      if (!versionThere && !reader.has(r.versionObject())) {
        missing.absent(r.versionObject());
      }
      if (missing.absentCount > 0) {
        throw new NotWholeHere(missing.absentCount, missing.firstAbsent);
      }
      int objects = missing.count() + (versionThere ? 0 : 1);
      if (objects == 0) {
        return false; // checked object by object: the remote has all of it
      }
      progress.start("uploading " + Text.count(objects, "object") + " to " + remote.storage().uri(), missing.chunkBytes);
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
