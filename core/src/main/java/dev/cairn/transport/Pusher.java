package dev.cairn.transport;

import dev.cairn.dataset.ChangeSummary;
import dev.cairn.dataset.DatasetRecord;
import dev.cairn.dataset.DatasetRepository;
import dev.cairn.dataset.LogEntry;
import dev.cairn.dataset.Progress;
import dev.cairn.dataset.RecordHistory;
import dev.cairn.dataset.RecordMerge;
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
import dev.cairn.internal.io.Text;
import dev.cairn.internal.pack.BlockCopier;
import dev.cairn.storage.Storages;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

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
  private final DatasetRepository repo;
  private final Remote remote;
  private final Progress progress;
  /** Whether the remote's damage was told already (a push of several versions tells it once). */
  private boolean damageTold;
  private final ObjectUpload objects;

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
    this.objects = new ObjectUpload(repo, remote, this.progress, packTargetBytes);
  }

  /** The smallest pack size a push may be given. */
  public static final long MIN_PACK_TARGET = 1 << 20;

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
   * @param merged for each record changed here and on the remote since the two last agreed whose
   *     change made here was made again on top of the remote's before it was published
   *     ({@link DatasetRepository#rebaseOnAgreed}), a sentence saying so
   */
  public record Result(int versionsPushed, long objectsUploaded, long bytesUploaded, boolean recordTaken, boolean remoteCreated,
      List<String> restored, Map<String, LogEntry> ancestorsLogged, List<String> merged) {
    public Result {
      restored = List.copyOf(restored);
      merged = List.copyOf(merged);
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
    return new Result(totals.versionsPushed, totals.objectsUploaded, totals.bytesUploaded, totals.recordTaken, created, restored, ancestorsLogged,
        totals.merged);
  }

  /**
   * Warns, once a push, that {@code r} goes to the remote under the name its parent had here while
   * the parent there has another ({@code parentThere}: renamed or moved by a teammate since {@code
   * r} was made): the dataset would then be split between two names there.
   */
  private void warnIfRenamedThere(DatasetRecord r, DatasetRecord parentThere, String uri) throws IOException {
    if (renameWarned || parentThere == null || sameDataset(parentThere, r) || !sameDataset(repo.catalog().read(parentThere.id()), r)) {
      return;
    }
    renameWarned = true;
    String was = DatasetRepository.label(r.project(), r.name());
    String now = DatasetRepository.label(parentThere.project(), parentThere.name());
    progress.warn(r.shortId() + " goes to " + uri + " as " + was + ", but its parent " + parentThere.shortId() + " is " + now
        + " there (renamed since), so the dataset is under two names there; to follow the rename, rename it here too (cairn rename"
        + " --project " + r.project() + " --name " + r.name() + " --new-name " + parentThere.name()
        + (r.project().equals(parentThere.project()) ? "" : ", and cairn move to project " + parentThere.project())
        + ") and upload it again");
  }

  private boolean renameWarned;

  /** The first line of {@code e}'s message, in the command line's words (warnings are said as the CLI says them). */
  private static String firstLine(Exception e) {
    String m = e instanceof dev.cairn.errors.CairnException c ? c.commandLineMessage() : e.getMessage();
    return m == null ? e.getClass().getSimpleName() : m.lines().findFirst().orElse("");
  }

  /**
   * Whether ancestor {@code id}'s record here holds a rename or a move that the remote's {@code
   * theirs} lacks: a change of the dataset's name, which reaches the remote with the next push of
   * a version descending from it too (merged with a teammate's change there, if any).
   */
  private boolean renamedHere(String id, DatasetRecord theirs) throws IOException {
    if (theirs == null) {
      return false;
    }
    DatasetRecord ours = repo.catalog().read(id);
    if (sameDataset(ours, theirs)) {
      return false;
    }
    RecordHistory history = RecordHistory.of(ours.log(), theirs.log());
    // Changed there too (a teammate's tag): the push merges the two, the rename made here kept.
    String here = RecordHistory.since(theirs.log(), ours.log());
    return history == RecordHistory.OURS_AHEAD
        || history == RecordHistory.DIVERGED && (here.contains("rename") || here.contains("move"));
  }

  private static boolean sameDataset(DatasetRecord a, DatasetRecord b) {
    return a.project().equals(b.project()) && a.name().equals(b.name());
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
  static final class Totals {
    int versionsPushed;
    long objectsUploaded;
    long bytesUploaded;
    /** Whether the remote's record was newer, and this repository took it instead of publishing its own. */
    boolean recordTaken;
    /** {@link Result#merged}. */
    final List<String> merged = new ArrayList<>();
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
      } else if (renamedHere(p, there.record())) {
        // Renamed or moved here since it went there: the dataset's name goes with its versions,
        // or a teammate would find it under two names there. Not at the child's cost: an ancestor
        // whose rename the remote refuses (its new version string taken there, say) is said.
        try {
          pushVersion(p, entry, totals, visiting);
        } catch (InvalidInputException | ConflictException | CannotComplete refused) {
          progress.warn("the rename of " + DatasetRecord.shortId(p) + " here could not be sent to " + uri + " (" + firstLine(refused)
              + "), so the dataset is under two names there until it is (cairn upload --id " + DatasetRecord.shortId(p) + " --storage "
              + uri + ")");
        }
      } else {
        if (entry != null && there.record() != null && !visiting.contains(p)) {
          // There already: sent by another repository's push of a sibling, or by this one's that
          // was cut off. The remote holds it as it would after this push: so it is said here too.
          ancestorsLogged.putIfAbsent(p, entry);
        }
        warnIfRenamedThere(r, there.record(), uri);
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
    RecordMerge merge = history == RecordHistory.DIVERGED && ++recordRaces <= MAX_RECORD_RACES ? repo.rebaseOnAgreed(id, uri, theirs) : null;
    if (merge != null) {
      // Changed there while the two were apart (offline, say), and here only in what can be made
      // again on top (tags, metadata, a description, a publish): made so, then compared again.
      totals.merged.add(merge.note());
      visiting.remove(id);
      pushVersion(id, uploadEntry, totals, visiting);
      return;
    }
    if (history == RecordHistory.DIVERGED) {
      throw new ConflictException("Cannot upload " + id + ": its record was changed here ("
          + RecordHistory.since(theirs.log(), r.log()) + ") and on " + uri + " (" + RecordHistory.since(r.log(), theirs.log())
          + ") since the two last agreed, and the two cannot be merged (a rename or version string, or no record here of their"
          + " agreement). To keep the remote's, delete this copy (",
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
      published = objects.upload(r, index, totals, lookUpEach, false);
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
          appendRecord(id, newer, theirsSeq, r.log());
          published = true;
        }
        repo.fastForward(r, newer);
        totals.recordTaken = true;
      } else if (history == RecordHistory.OURS_AHEAD || deletedThere) {
        // Published only if the newest record is still the one compared: one published meanwhile
        // by another push may hold changes this one would undo.
        appendRecord(id, remoteRecord, theirsSeq, r.log());
        published = true;
        if (uploadEntry != null && !id.equals(pushing)) {
          ancestorsLogged.put(id, uploadEntry); // for the caller to append here, as it appends the version's own
        }
      }
    } catch (Remote.RecordChangedException | ChangedHere raced) {
      // Another push published a record meanwhile: compared again with that one, this record is
      // published after it, or the remote's taken, or the two found diverged (and said so). A
      // delete there meanwhile is not undone by this push: it stops, as it did before. The record
      // here changed meanwhile (a rename while a sync uploads its version): published as it is now.
      if (++recordRaces > MAX_RECORD_RACES || (raced instanceof Remote.RecordChangedException && remote.wasDeleted(id))) {
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
    return new LogEntry(System.currentTimeMillis(), "upload", List.of("--storage", uri), ChangeSummary.EMPTY, 0);
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
   * free the string of a version the upload then publishes, for another to take. Nor is it
   * published if the record here is no longer the one read ({@code readLog}, its log): a rename
   * meanwhile would be undone there.
   */
  private void appendRecord(String id, DatasetRecord record, long afterSeq, List<LogEntry> readLog) throws IOException {
    try (VersionLocks.Lock versionLock = repo.catalog().lock(id)) {
      requireHere(id);
      if (!repo.catalog().read(id).log().equals(readLog)) {
        throw new ChangedHere(id);
      }
      if (lock != null) {
        // A collection that took this push's lock for a dead process's may have deleted what the record names.
        lock.requireHeld("publish the record of " + id);
      }
      requireMarkerStill();
      remote.appendRecord(record, afterSeq);
      repo.catalog().agreed().clear(id, remote.storage().uri().toString()); // the two hold the same changes now
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

  /** The record here changed while its push ran (renamed, tagged): the push reads it again. */
  private static final class ChangedHere extends IOException {
    ChangedHere(String id) {
      super("Cannot upload " + id + ": its record here kept changing while it was being uploaded (renamed, tagged?); upload it again");
    }
  }

  /** Objects a push must send that this repository does not hold; nothing was sent. */
  static final class NotWholeHere extends IOException {
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
    if (from == null) {
      throw new CannotComplete(cannot + lost(r, target, madeHere), lacking, lacking);
    }
    String why = cannot + ", as in a version fetched in part or known here by its record only";
    if (Storages.same(from, target)) {
      throw new CannotComplete(madeHere ? cannot + lost(r, target, true) : why + ", and no other remote is known to hold it all", lacking,
          lacking);
    }
    if (!completed.add(r.id())) {
      throw new CannotComplete(why + ", even after a get of it from " + from, lacking, lacking);
    }
    try (Remote source = repo.openRemote(from)) {
      repo.fetch(r.id(), Selection.ALL, source, progress);
    } catch (InterruptedIOException e) {
      throw e;
    } catch (DatasetNotFoundException notThere) {
      throw new CannotComplete(madeHere ? cannot + lost(r, target, true) : why + ", and " + from + " does not hold it", lacking, notThere);
    } catch (IOException e) {
      throw new CannotComplete(why + ", and getting it from " + from + " failed: " + e.getMessage(), lacking, e);
    }
  }

  /**
   * Why a version made here lacks objects: ", lost or damaged here", or, when a parent of it was
   * deleted on the remote it is sent to, that parent, fetched in part, which this version took
   * files from that neither side holds now (a teammate deleted it after this version's draft began).
   */
  private String lost(DatasetRecord r, String target, boolean madeHere) throws InterruptedIOException {
    for (String p : madeHere ? r.parents() : List.<String>of()) {
      try {
        if (remote.wasDeleted(p)) {
          return ", neither here nor there: its parent " + DatasetRecord.shortId(p) + " was deleted on " + target + " after it was"
              + " fetched here in part, and its data collected there; an upload of " + DatasetRecord.shortId(p) + " from a repository"
              + " holding it whole brings that back (or run cairn fsck)";
        }
      } catch (InterruptedIOException stop) {
        throw stop;
      } catch (IOException unknown) {
        // the usual reason stands
      }
    }
    return ", lost or damaged here (run cairn fsck)";
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
      objects.upload(r, index, totals, lookUpEach, true);
    }
    return new Result(0, totals.objectsUploaded, totals.bytesUploaded, false, created, List.of(), Map.of(), List.of());
  }
}
