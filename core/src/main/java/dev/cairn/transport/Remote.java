package dev.cairn.transport;

import dev.cairn.Repository;
import dev.cairn.dataset.DatasetRecord;
import dev.cairn.dataset.DatasetRepository;
import dev.cairn.dataset.DatasetState;
import dev.cairn.dataset.RecordFormat;
import dev.cairn.dataset.VersionListing;
import dev.cairn.errors.BadStorageLocationException;
import dev.cairn.errors.CairnException;
import dev.cairn.errors.ConflictException;
import dev.cairn.errors.CorruptObjectException;
import dev.cairn.errors.DatasetStateException;
import dev.cairn.errors.InvalidConfigException;
import dev.cairn.errors.InvalidInputException;
import dev.cairn.errors.Remedy;
import dev.cairn.id.HashAlgorithm;
import dev.cairn.id.ObjectId;
import dev.cairn.internal.io.Text;
import dev.cairn.internal.json.JsonException;
import dev.cairn.internal.json.JsonObject;
import dev.cairn.object.Version;
import dev.cairn.storage.RemoteFile;
import dev.cairn.storage.RemoteStorage;
import dev.cairn.storage.StorageException;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Predicate;

/**
 * A Cairn remote seen from one local repository: its records and packs, reached only through a
 * {@link RemoteStorage}. Thread-safe.
 */
public final class Remote implements AutoCloseable {
  private final RemoteStorage storage;
  private final Repository local;
  private RemoteIndex index;

  public Remote(RemoteStorage storage, Repository local) {
    this.storage = storage;
    this.local = local;
  }

  public RemoteStorage storage() {
    return storage;
  }

  /** Where this remote's pack index sections are cached locally. */
  Path packIndexCache() {
    return packIndexCache(local, storage.uri().toString());
  }

  private static Path packIndexCache(Repository local, String uri) {
    String key = HashAlgorithm.SHA256.hash(uri.getBytes(StandardCharsets.UTF_8)).abbreviate(24);
    return local.directory().resolve("remotes").resolve(key).resolve("pack-index");
  }

  /**
   * Whether the pack indexes {@code local} keeps of the remote at {@code uri} (spelt as a record's
   * storage spells it) list object {@code id}: the remote held it when last read from here. Reads
   * no remote, so that fsck, which works offline, can name where a version's lost data may be.
   */
  public static boolean cachedIndexLists(Repository local, String uri, ObjectId id) throws IOException {
    return RemoteIndex.cachedLists(packIndexCache(local, uri), id);
  }

  /**
   * Deletes the remote's upload and collection locks that no running process can hold (those of
   * this host's ended processes, and those not renewed for an hour), as restic's {@code unlock};
   * with {@code all}, every one, for a lock a process killed on another host left (it would hold
   * collections off for an hour): only when no upload or collection runs, though one that does
   * fails cleanly before it publishes or deletes anything. Returns each lock deleted and each
   * kept, described.
   */
  public Unlocked unlock(boolean all) throws IOException {
    checkMarker();
    return RemoteLocks.remove(storage, all);
  }

  /**
   * What {@link #unlock} did: the locks it deleted, each with why, and those it kept, each
   * described as held ("an upload holds locks/push-…, taken 3 min ago by pid 123 on host"): their
   * process may still run, and only {@code all} deletes them.
   */
  public record Unlocked(List<String> removed, List<String> kept) {
    public Unlocked {
      removed = List.copyOf(removed);
      kept = List.copyOf(kept);
    }
  }

  /**
   * Creates the marker on first use and checks that the remote uses this repository's object
   * format.
   *
   * @return whether the remote was made now (the location held no Cairn data)
   */
  public boolean ensureInitialized() throws IOException {
    String text = "format = " + RemoteLayout.FORMAT + "\nobjectFormat = " + local.config().objectFormat().configName() + "\n";
    Map<String, String> existing = marker(storage);
    if (existing != null) {
      checkMarker(existing); // a remote already: two calls to the store, not four (a slow store takes each call's time)
      return false;
    }
    requireNoForeignFiles();
    if (storage.createIfAbsent(RemoteLayout.MARKER, text.getBytes(StandardCharsets.UTF_8))) {
      return true;
    }
    checkMarker();
    return false;
  }

  /**
   * Checks, without writing anything, that a push could use this location: an existing remote of
   * this repository's object format, or a location that holds no one's files.
   *
   * @return whether it is a remote already (false: a push would make one)
   */
  public boolean checkUsable() throws IOException {
    if (storage.size(RemoteLayout.MARKER) < 0) {
      requireNoForeignFiles();
      return false;
    }
    checkMarker();
    return true;
  }

  /** The top-level names a remote holds (spec/remote.md, "Layout"); anything else is someone else's. */
  private static final Set<String> OWN_NAMES = Set.of(RemoteLayout.MARKER, "packs", "versions", "names", "locks",
      "lost-found");

  /** What file systems and desktops leave in a new volume or folder: not someone's files. */
  private static final Set<String> VOLUME_NAMES = Set.of("lost+found", ".DS_Store", "$RECYCLE.BIN",
      "System Volume Information", ".Trashes", ".fseventsd", ".Spotlight-V100");

  /**
   * Refuses to make a remote where other files are: a mistyped {@code --storage} must not scatter
   * a remote among someone's files, and a repository given as a remote would take the remote's
   * packs for its own (and its gc delete them). A repository is known by its own files; anything
   * else by a glance at the first files listed. A location inside another remote is refused too.
   */
  private void requireNoForeignFiles() throws IOException {
    if (isRepository(storage)) {
      throw new InvalidInputException("Cannot use " + storage.uri() + " as a remote: it is a Cairn repository, not a remote (a repository is ",
          new Remedy("opened with DatasetRepository.open", "given as --repo"), ")");
    }
    URI outer = storage.enclosing(RemoteLayout.MARKER);
    if (outer != null) {
      // Its files would lie among another remote's, where that remote's checks and collections
      // take them for its own (or for strays).
      throw new InvalidInputException("Cannot use " + storage.uri() + " as a remote: it lies inside remote " + outer
          + "; give a location outside it");
    }
    String missing = storage.missingParent();
    if (missing != null) {
      // As tar -f and cp refuse a mistyped folder: under a share that is not mounted, a new remote
      // would be made on the local disk.
      throw new BadStorageLocationException("Cannot make a remote at " + storage.uri() + ": " + missing + " does not exist (a mistyped"
          + " path, or a share not mounted?); create it first");
    }
    String foreign = storage.size(Repository.CONFIG) >= 0 ? Repository.CONFIG : null;
    for (RemoteFile f : storage.list("", 64)) {
      int slash = f.name().indexOf('/');
      String top = slash < 0 ? f.name() : f.name().substring(0, slash);
      // A store may stage the marker that a concurrent first push is creating beside it (S3's
      // conditional put through S3Proxy shows cairn-remote-<uuid> for a moment).
      boolean ours = RemoteLayout.isOwnName(f.name());
      if (foreign == null && !ours && !VOLUME_NAMES.contains(top) && !top.startsWith(".Trash-")) {
        foreign = OWN_NAMES.contains(top) ? f.name() : top;
      }
    }
    String data = foreign == null ? remoteData(storage) : null; // a first push writes its marker before any pack or record
    if ((foreign != null || data != null) && storage.size(RemoteLayout.MARKER) < 0) { // a marker made meanwhile: a remote after all
      if (data != null) {
        // A remote that lost its marker: made again, perhaps in another object format, it would
        // refuse its own repositories and serve data under ids of the wrong hash.
        throw new InvalidInputException("Cannot use " + storage.uri() + " as a remote: " + lostMarker(data));
      }
      throw new InvalidInputException("Cannot use " + storage.uri() + " as a remote: it holds no Cairn data but"
          + " other files (" + foreign + "); give a new or empty location, or an existing remote");
    }
  }

  /** Checks the marker of an existing remote. */
  public void checkMarker() throws IOException {
    checkMarker(marker(storage));
  }

  private void checkMarker(Map<String, String> kv) throws IOException {
    if (kv == null) {
      throw new InvalidConfigException("Cannot use remote " + storage.uri() + ": " + withoutMarker(storage));
    }
    if (!String.valueOf(RemoteLayout.FORMAT).equals(kv.get("format"))) {
      throw new InvalidConfigException("Cannot use remote " + storage.uri() + ": " + (kv.get("format") == null
          ? "its " + RemoteLayout.MARKER + " file is damaged (no 'format = 1' line)"
          : "remote format " + kv.get("format") + " is not supported (a newer Cairn made it?)"));
    }
    String format = local.config().objectFormat().configName();
    if (objectFormat(storage, kv) != local.config().objectFormat()) {
      throw new InvalidConfigException("Cannot use remote " + storage.uri() + ": it uses object format " + kv.get("objectFormat")
          + ", this repository uses " + format + " (a repository made for it takes its format: cairn get --storage with a new --repo,"
          + " or DatasetRepository.openFor from Java)");
    }
  }

  /** What a location without a marker is, said to someone who took it for a remote. */
  public static String withoutMarker(RemoteStorage storage) throws IOException {
    if (isRepository(storage)) {
      return REPOSITORY;
    }
    String data = remoteData(storage);
    if (data != null) {
      return lostMarker(data);
    }
    List<RemoteFile> files = storage.list("", 1);
    return files.isEmpty() ? "nothing is there (no " + RemoteLayout.MARKER + "; a mistyped or moved location?)"
        : "it holds no Cairn data (no " + RemoteLayout.MARKER + ")";
  }

  /**
   * A pack or a record of a remote, if the location holds one (each looked for by itself: in a
   * listing of the whole location, the reservations under {@code names/} of a remote of many
   * versions come first).
   */
  private static String remoteData(RemoteStorage storage) throws IOException {
    for (String folder : List.of(RemoteLayout.PACKS, RemoteLayout.VERSIONS)) {
      for (RemoteFile f : storage.list(folder, 16)) {
        if (RemoteLayout.isOwnName(f.name())) {
          return f.name();
        }
      }
    }
    return null;
  }

  private static String lostMarker(String data) {
    return "it holds a remote's data (" + data + ") but no " + RemoteLayout.MARKER + " (deleted?); restore that file, two lines: 'format = "
        + RemoteLayout.FORMAT + "' and 'objectFormat = ' with the object format of the repositories that wrote it (sha256 or blake3)";
  }

  private static final String REPOSITORY = "it is a Cairn repository, not a remote (a repository is given as --repo)";

  /** Whether the location holds a local repository (spec/repository.md): its config, with records or an index. */
  private static boolean isRepository(RemoteStorage storage) throws IOException {
    return storage.size(Repository.CONFIG) >= 0 && (!storage.list("refs/", 1).isEmpty() || !storage.list("index/", 1).isEmpty());
  }

  /** The settings of the remote's marker file, or null if it has none (no Cairn data there). */
  private static Map<String, String> marker(RemoteStorage storage) throws IOException {
    long size = storage.size(RemoteLayout.MARKER);
    if (size < 0) {
      return null;
    }
    String got = new String(storage.read(RemoteLayout.MARKER, 0, (int) size), StandardCharsets.UTF_8);
    Map<String, String> kv = new TreeMap<>();
    for (String line : got.split("\n")) {
      int eq = line.indexOf('=');
      if (eq > 0) {
        kv.put(line.substring(0, eq).trim(), line.substring(eq + 1).trim());
      }
    }
    return kv;
  }

  /**
   * The object format of the remote at {@code storage}, read before any repository is opened (a
   * repository made for it must use the same), or null if it holds no Cairn data.
   *
   * @throws InvalidConfigException if its marker names a format this build does not know
   */
  public static HashAlgorithm objectFormatOf(RemoteStorage storage) throws IOException {
    Map<String, String> kv = marker(storage);
    if (kv == null) {
      return null;
    }
    return objectFormat(storage, kv);
  }

  /**
   * The object format a marker names (case and {@code -} ignored, as in a config).
   *
   * @throws InvalidConfigException if it names none, or one this build does not know
   */
  private static HashAlgorithm objectFormat(RemoteStorage storage, Map<String, String> marker) throws InvalidConfigException {
    String name = marker.get("objectFormat");
    if (name == null || name.isEmpty()) {
      throw new InvalidConfigException("Cannot use remote " + storage.uri() + ": its " + RemoteLayout.MARKER
          + " file is damaged (no 'objectFormat = ' line; add the object format of the repositories that wrote it, sha256 or blake3)");
    }
    try {
      return HashAlgorithm.fromConfigName(name);
    } catch (IllegalArgumentException e) {
      throw new InvalidConfigException("Cannot use remote " + storage.uri() + ": it uses object format " + name
          + ", which this build does not know");
    }
  }

  /** The object format of the remote's objects and pack names: the local repository's, which it checked. */
  HashAlgorithm objectFormat() {
    return local.config().objectFormat();
  }

  /** The remote's object index, loaded once per session and updated by uploads. */
  synchronized RemoteIndex index() throws IOException {
    if (index == null) {
      index = RemoteIndex.load(storage, local.config().objectFormat(), packIndexCache());
      nameCache();
    }
    return index;
  }

  /**
   * Writes the remote's address beside its cached pack indexes ({@code remotes/<key>/uri}), once:
   * the key is a hash of it, and fsck, offline, names the remote that held a version by it.
   */
  private void nameCache() {
    Path file = packIndexCache().getParent().resolve(URI_FILE);
    String uri = storage.uri().toString();
    try {
      try {
        if (Files.readString(file, StandardCharsets.UTF_8).equals(uri)) {
          return;
        }
      } catch (NoSuchFileException | java.nio.charset.MalformedInputException absentOrDamaged) {
        // written below
      }
      dev.cairn.internal.fs.AtomicFiles.write(file, uri.getBytes(StandardCharsets.UTF_8), local.tmpDirectory());
    } catch (IOException notWritten) {
      // a name for fsck's advice only: the index serves without it
    }
  }

  /** The file of {@code remotes/<key>/} that holds the remote's address. */
  private static final String URI_FILE = "uri";

  /**
   * The remotes whose pack indexes cached in {@code local} list object {@code id} (they held it when
   * last read from here), by the addresses their caches keep, sorted. Reads no remote.
   */
  public static List<String> cachedHolders(Repository local, ObjectId id) throws IOException {
    List<String> out = new ArrayList<>();
    Path remotes = local.directory().resolve("remotes");
    if (!Files.isDirectory(remotes)) {
      return out;
    }
    try (var dirs = Files.list(remotes)) {
      for (Path dir : (Iterable<Path>) dirs::iterator) {
        String uri;
        try {
          uri = Files.readString(dir.resolve(URI_FILE), StandardCharsets.UTF_8).strip();
        } catch (IOException unnamed) {
          continue; // written by a release before the name was kept, or not a cache
        }
        if (packIndexCache(local, uri).getParent().equals(dir) && RemoteIndex.cachedLists(dir.resolve("pack-index"), id)) {
          out.add(uri);
        }
      }
    }
    out.sort(null);
    return out;
  }

  /** Ids of every version the remote knows. */
  public List<String> versionIds() throws IOException {
    List<String> ids = new ArrayList<>();
    String last = null;
    for (RemoteFile f : storage.list(RemoteLayout.VERSIONS)) {
      String rest = f.name().substring(RemoteLayout.VERSIONS.length());
      int slash = rest.indexOf('/');
      if (slash <= 0) {
        continue;
      }
      String id = rest.substring(0, slash);
      if (!id.equals(last)) {
        ids.add(id);
        last = id;
      }
    }
    return ids;
  }

  /** The newest record of a version and its sequence number, or null if the remote lacks it. */
  record Latest(DatasetRecord record, long seq) {}

  /** The newest entry of a version's log, or null if there is none; a tombstone has a null record. */
  Latest latest(String id) throws IOException {
    long best = newestSeq(id);
    if (best < 0) {
      return null;
    }
    String bestName = RemoteLayout.record(id, best);
    String text;
    try (InputStream in = storage.open(bestName)) {
      text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
    if (isTombstone(text)) {
      return new Latest(null, best);
    }
    return new Latest(RecordFormat.decode(text, storage.uri() + "/" + bestName), best);
  }

  /**
   * The newest record of a version that is not a tombstone, or null: what a version deleted there
   * held before its deletion (a damaged entry is passed over too).
   */
  DatasetRecord latestLive(String id) throws IOException {
    List<Long> seqs = new ArrayList<>();
    for (RemoteFile f : storage.list(RemoteLayout.VERSIONS + id + "/")) {
      seqs.add(RemoteLayout.recordSeq(f.name()));
    }
    seqs.sort(Comparator.reverseOrder());
    for (long seq : seqs) {
      String name = RemoteLayout.record(id, seq);
      String text;
      try (InputStream in = storage.open(name)) {
        text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
      } catch (FileNotFoundException | NoSuchFileException gone) {
        continue;
      }
      if (isTombstone(text)) {
        continue;
      }
      try {
        return RecordFormat.decode(text, storage.uri() + "/" + name);
      } catch (CorruptObjectException damaged) {
        // an older entry may still parse
      }
    }
    return null;
  }

  /**
   * What makes record {@code r} not the record of version object {@code v}, or null when nothing
   * does: its manifest root, its number of parents, or the id the version object was closed as. A
   * record is a file, rewritable on a remote; the version object is named by its hash.
   */
  public static String recordMismatch(DatasetRecord r, Version v) {
    if (!v.root().equals(r.root())) {
      return "its manifest root (" + r.root().abbreviate(12) + ") is not its version object's (" + v.root().abbreviate(12) + ")";
    }
    if (v.parents().size() != r.parents().size()) {
      return "it names " + Text.count(r.parents().size(), "parent") + ", its version object " + v.parents().size();
    }
    String closedAs = v.properties().get("dataset.id");
    if (closedAs != null && !closedAs.equals(r.id())) {
      return "its version object is version " + closedAs + "'s";
    }
    return null;
  }

  /**
   * Whether the newest record of {@code id}, which does not parse, was written by a newer Cairn
   * (a format this build does not read) rather than damaged.
   */
  public boolean newestRecordIsNewerFormat(String id) throws IOException {
    long seq = newestSeq(id);
    if (seq < 0) {
      return false;
    }
    try (InputStream in = storage.open(RemoteLayout.record(id, seq))) {
      return RecordFormat.isNewerFormat(new String(in.readAllBytes(), StandardCharsets.UTF_8));
    }
  }

  /** The sequence number of a version's newest log entry, or -1 if it has none. */
  private long newestSeq(String id) throws IOException {
    long best = -1;
    for (RemoteFile f : storage.list(RemoteLayout.VERSIONS + id + "/")) {
      best = Math.max(best, RemoteLayout.recordSeq(f.name()));
    }
    return best;
  }

  private static boolean isTombstone(String text) {
    try {
      return JsonObject.parse(text).bool("deleted", false);
    } catch (JsonException e) {
      return false;
    }
  }

  /**
   * Deletes a version from the remote: appends a tombstone to its record log, so that it is no
   * longer listed or fetched; its data goes at the remote's next garbage collection.
   *
   * @throws DatasetStateException if it is published there, or other versions
   *     there have it as a parent, and {@code force} is false (as a local delete)
   * @return false if the remote does not hold the version
   */
  public boolean deleteVersion(String id, boolean force) throws IOException {
    checkMarker(); // a remote of another object format names other versions
    Latest l = latest(id);
    if (l == null || l.record() == null) {
      return false;
    }
    if (!force && l.record().state() == DatasetState.PUBLISHED) {
      throw new DatasetStateException("Cannot delete " + id + " from " + storage.uri()
          + ": it is published there (others may rely on it); ", Remedy.FORCE_DELETE, "");
    }
    if (!force) {
      VersionListing listing = readRecords();
      if (!listing.unreadable().isEmpty()) {
        throw new CairnException("Cannot delete " + id + " from " + storage.uri() + ": the newest record of "
            + listing.unreadable().get(0) + " there cannot be read, so whether it has " + id + " as a parent is unknown; ",
            Remedy.FORCE_DELETE, ", or check with cairn fsck --storage " + storage.uri());
      }
      for (DatasetRecord r : listing.records()) {
        if (r.parents().contains(id)) {
          throw new DatasetStateException("Cannot delete " + id + " from " + storage.uri() + ": version "
              + r.id() + " there has it as a parent; ", Remedy.FORCE_DELETE, "");
        }
      }
    }
    String tomb = "{\"format\": 1, \"id\": \"" + id + "\", \"deleted\": true, \"time\": " + System.currentTimeMillis() + "}\n";
    for (long seq = l.seq() + 1; seq < l.seq() + 100; seq++) {
      if (storage.createIfAbsent(RemoteLayout.record(id, seq), tomb.getBytes(StandardCharsets.UTF_8))) {
        return true;
      }
    }
    throw new IOException("Cannot delete " + id + " from " + storage.uri() + ": too much contention");
  }

  /** A version's newest record on the remote is not the one a record to append was compared with. */
  public static final class RecordChangedException extends ConflictException {
    RecordChangedException(String message) {
      super(message);
    }
  }

  /** Whether the version's newest log entry there is a tombstone: it was deleted from this remote. */
  public boolean wasDeleted(String id) throws IOException {
    Latest l = latest(id);
    return l != null && l.record() == null;
  }

  /** The newest record of a version, or null. */
  public DatasetRecord record(String id) throws IOException {
    Latest l = latest(id);
    return l == null ? null : l.record();
  }

  /** Every version's newest record. */
  public List<DatasetRecord> records() throws IOException {
    return readRecords().records();
  }

  /** Every version's newest record, oldest first, and the ids of versions whose newest record does not parse. */
  public VersionListing readRecords() throws IOException {
    List<DatasetRecord> out = new ArrayList<>();
    List<String> unreadable = new ArrayList<>();
    for (String id : versionIds()) {
      try {
        DatasetRecord r = record(id);
        if (r != null) {
          out.add(r);
        }
      } catch (CorruptObjectException e) {
        unreadable.add(id); // reported by fsck --storage; listed by no one
      } catch (IOException e) {
        if (!StorageException.isAccessDenied(e)) {
          throw e;
        }
        unreadable.add(id); // a file this user may not read: the other records still list
      }
    }
    out.sort(Comparator.comparingLong(DatasetRecord::createdMillis).thenComparing(DatasetRecord::id));
    return new VersionListing(out, unreadable);
  }

  /**
   * Appends a record to a version's log: the next sequence number, created only if absent. Only
   * called once the data it names is stored.
   *
   * @param comparedSeq the sequence number of the newest record the caller compared its record
   *     with (0: none), or -1 to append past whatever is there (a damaged newest record)
   * @throws ConflictException if another record was published since that one: it
   *     may hold changes this one would undo
   */
  void appendRecord(DatasetRecord r, long comparedSeq) throws IOException {
    byte[] data = RecordFormat.encode(r).getBytes(StandardCharsets.UTF_8);
    for (int attempt = 0; attempt < 100; attempt++) {
      Latest l;
      try {
        l = latest(r.id());
      } catch (CorruptObjectException damaged) {
        long seq = newestSeq(r.id());
        if (newestRecordIsNewerFormat(r.id())) {
          throw new CairnException("Cannot upload " + r.id() + ": a newer Cairn wrote its record on " + storage.uri()
              + "; upgrade Cairn to change it");
        }
        l = new Latest(null, seq); // a damaged newest entry: this one supersedes it
      }
      if (l != null && l.record() != null && RecordFormat.encode(l.record()).equals(RecordFormat.encode(r))) {
        return;
      }
      long newest = l == null ? 0 : l.seq();
      if (comparedSeq >= 0 && newest != comparedSeq) {
        throw new RecordChangedException("Cannot upload " + r.id() + ": its record on " + storage.uri()
            + " changed while this upload ran; run the upload again");
      }
      long seq = newest + 1;
      if (storage.createIfAbsent(RemoteLayout.record(r.id(), seq), data)) {
        return;
      }
    }
    throw new IOException("Cannot publish record of " + r.id() + " on " + storage.uri() + ": too much contention");
  }

  /**
   * Reserves {@code version} of a dataset for {@code id} on the remote.
   *
   * @return false if another version holds it
   */
  public boolean reserveName(String project, String name, String version, String id) throws IOException {
    String file = RemoteLayout.nameReservation(project, name, version);
    if (storage.createIfAbsent(file, id.getBytes(StandardCharsets.US_ASCII))) {
      return true;
    }
    // Taken, by someone else or by this very call: a store client that retried a conditional
    // upload whose first attempt did land gets "exists" for its own object, which may take a
    // moment to become readable. Ours if it holds our id.
    for (int look = 0; ; look++) {
      long size = storage.size(file);
      if (size >= 0) {
        return size == id.length() && new String(storage.read(file, 0, (int) size), StandardCharsets.US_ASCII).equals(id);
      }
      if (look == 4) {
        return false;
      }
      try {
        Thread.sleep(100L << look);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new InterruptedIOException("interrupted while reserving " + version);
      }
    }
  }

  /**
   * Releases {@code version} of a dataset if {@code id} holds it and the remote has no record of
   * {@code id}: the string of a version deleted before it was ever uploaded (a draft created
   * against this remote), which would otherwise be skipped by every later version.
   *
   * @return whether it was released
   */
  public boolean releaseName(String project, String name, String version, String id) throws IOException {
    if (!storage.list(RemoteLayout.VERSIONS + id + "/").isEmpty()) {
      return false; // uploaded, by whichever repository: the string is the version's for good
    }
    String file = RemoteLayout.nameReservation(project, name, version);
    long size = storage.size(file);
    if (size != id.length() || !new String(storage.read(file, 0, (int) size), StandardCharsets.US_ASCII).equals(id)) {
      return false;
    }
    storage.delete(file);
    if (!storage.list(RemoteLayout.VERSIONS + id + "/").isEmpty()) {
      // Uploaded meanwhile, by an upload that had reserved the string before: it is the version's again.
      storage.createIfAbsent(file, id.getBytes(StandardCharsets.US_ASCII));
      return false;
    }
    return true;
  }

  /**
   * Takes back a reservation this process has just made for a version under a name it does not
   * carry yet (a rename refused on another remote): deleted if it still holds {@code id}, even
   * though the version is uploaded here (under its old name, which keeps its own reservation).
   */
  public void takeBackName(String project, String name, String version, String id) throws IOException {
    String file = RemoteLayout.nameReservation(project, name, version);
    long size = storage.size(file);
    if (size == id.length() && new String(storage.read(file, 0, (int) size), StandardCharsets.US_ASCII).equals(id)) {
      storage.delete(file);
    }
  }

  /**
   * Who holds {@code version} of a dataset on the remote, for a refusal to say: "version ID",
   * with ", deleted there" or ", not uploaded yet" when no live record of it is there; null if
   * the string is free (or its reservation unreadable).
   */
  public String describeNameHolder(String project, String name, String version) {
    try {
      return nameHolder(project, name, version);
    } catch (IOException e) {
      return null; // the refusal it explains stands without it
    }
  }

  /**
   * What holds {@code version} of a dataset on the remote: the id a reservation holds, or the
   * empty string for a reservation too long to be one (damaged); null if the string is free.
   */
  public String nameHolderId(String project, String name, String version) throws IOException {
    String file = RemoteLayout.nameReservation(project, name, version);
    long size = storage.size(file);
    if (size < 0) {
      return null;
    }
    if (size > 64) {
      return "";
    }
    return new String(storage.read(file, 0, (int) size), StandardCharsets.US_ASCII).trim();
  }

  private String nameHolder(String project, String name, String version) throws IOException {
    String holder = nameHolderId(project, name, version);
    if (holder == null || holder.isEmpty()) {
      return null;
    }
    Latest l;
    try {
      l = latest(holder);
    } catch (CorruptObjectException damaged) {
      return "version " + holder;
    }
    if (l == null) {
      return "version " + holder + ", not uploaded yet (a draft, or a version whose upload has not finished)";
    }
    DatasetRecord r = l.record();
    if (r == null) {
      return "version " + holder + ", deleted there (an upload of it brings it back)";
    }
    if (!r.project().equals(project) || !r.name().equals(name)) {
      // Renamed or moved since: the string stays its own for good, so that no version string is ever two versions'.
      return "version " + holder + ", since renamed " + DatasetRepository.label(r.project(), r.name()) + " "
          + r.version() + " (a dataset's version strings stay reserved after a rename: a new version needs another version string,"
          + " a renamed one another name)";
    }
    return "version " + holder;
  }

  /**
   * The versions of a dataset on the remote: each one a string is reserved for under
   * {@code project} and {@code name} whose newest record there is live (not deleted) and still
   * carries that project and name (a string stays reserved for good, also after a rename), by id.
   * A version whose record cannot be read is passed over, and so is every id {@code skip} accepts
   * (those known already: each other one costs a read of its record).
   */
  public Map<String, DatasetRecord> liveVersions(String project, String name, Predicate<String> skip)
      throws IOException {
    Map<String, DatasetRecord> out = new LinkedHashMap<>();
    for (String version : reservedVersions(project, name)) {
      String holder = nameHolderId(project, name, version);
      if (holder == null || holder.isEmpty() || out.containsKey(holder) || skip.test(holder)) {
        continue;
      }
      DatasetRecord r;
      try {
        r = record(holder);
      } catch (CorruptObjectException unreadable) {
        continue; // fsck --storage names it; it decides nothing here
      }
      if (r != null && r.project().equals(project) && r.name().equals(name)) {
        out.put(holder, r);
      }
    }
    return out;
  }

  /** Version strings reserved on the remote for a dataset. */
  public List<String> reservedVersions(String project, String name) throws IOException {
    String dir = RemoteLayout.nameReservation(project, name, "");
    List<String> out = new ArrayList<>();
    for (RemoteFile f : storage.list(dir)) {
      out.add(f.name().substring(dir.length()));
    }
    return out;
  }

  @Override
  public void close() throws IOException {
    storage.close();
  }
}
