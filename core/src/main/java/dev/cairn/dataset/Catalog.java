package dev.cairn.dataset;

import dev.cairn.errors.AmbiguousIdException;
import dev.cairn.errors.CorruptObjectException;
import dev.cairn.errors.DatasetNotFoundException;
import dev.cairn.errors.InvalidInputException;
import dev.cairn.id.ObjectId;
import dev.cairn.internal.fs.AtomicFiles;
import dev.cairn.internal.fs.IoErrors;
import dev.cairn.internal.io.Text;
import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.ReadOnlyFileSystemException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Stream;

/**
 * The dataset catalog on disk (spec/datasets.md):
 * <pre>
 *   refs/datasets/&lt;id&gt;.json           one record per version, replaced atomically
 *   refs/versions/&lt;key&gt;/&lt;version&gt;     reservation of a version string per project and name,
 *                                     created only if absent, so two writers never share one
 *   refs/locks/&lt;id&gt;.lock             held while a process changes a version ({@link VersionLocks})
 *   refs/deleted/&lt;id&gt;                marks a version deleted on purpose, so that repairs leave it so
 *   refs/CURRENT                       the version last created or used
 * </pre>
 * Thread-safe and safe across processes.
 */
public final class Catalog {
  private static final SecureRandom RANDOM = new SecureRandom();

  private final Path refs;
  private final Path records;
  private final Path versions;
  private final Path tmp;
  private final VersionLocks locks;
  private final AgreedRecords agreed;

  Catalog(Path repoDir, long lockWaitMillis) throws IOException {
    this.refs = repoDir.resolve("refs");
    this.records = refs.resolve("datasets");
    this.versions = refs.resolve("versions");
    this.tmp = repoDir.resolve("tmp");
    Files.createDirectories(records);
    Files.createDirectories(versions);
    this.locks = new VersionLocks(refs.resolve("locks"), tmp, lockWaitMillis);
    this.agreed = new AgreedRecords(refs, tmp);
  }

  /** The records agreed on with remotes, kept while a change made here has not reached them. */
  public AgreedRecords agreed() {
    return agreed;
  }

  /** A fresh random version id: 32 lower-case hex digits. */
  static String newId() {
    byte[] b = new byte[16];
    RANDOM.nextBytes(b);
    return HexFormat.of().formatHex(b);
  }

  /** Whether {@code s} is a version id or a prefix of one that commands accept (8 to 32 hex digits, lower case). */
  static boolean isIdForm(String s) {
    return s.length() >= 8 && s.length() <= 32 && ObjectId.isHex(s);
  }

  private static String notAnId(String s) {
    String t = s.trim();
    if (t.length() > 32 && ObjectId.isHex(t.toLowerCase(Locale.ROOT))) {
      return "'" + s + "' is longer than a version id, which has 32 hex digits";
    }
    return "'" + s + "' is not an id or an id prefix of at least 8 hex digits"
        + (s.startsWith("-") ? " (an option this command does not have, taken for an id?)" : "");
  }

  /**
   * Refuses what cannot name a version, before anything is looked up (here or on a remote).
   *
   * @throws InvalidInputException unless {@code idOrPrefix} is 8 to 32 hex digits
   */
  public static void requireIdForm(String idOrPrefix) throws InvalidInputException {
    if (!isIdForm(idOrPrefix.trim().toLowerCase(Locale.ROOT))) {
      throw new InvalidInputException("Cannot find dataset version: " + notAnId(idOrPrefix));
    }
  }

  /** Whether {@code s} looks like a full version id. */
  static boolean isFullId(String s) {
    return s.length() == 32 && ObjectId.isHex(s);
  }

  /** The file of version {@code id}'s record (it may not exist). */
  public Path recordFile(String id) {
    return recordPath(id);
  }

  private Path recordPath(String id) {
    return records.resolve(id + ".json");
  }

  /**
   * Reads a record by full id.
   *
   * @throws DatasetNotFoundException if there is none
   */
  public DatasetRecord read(String id) throws IOException {
    Path p = recordPath(id);
    try {
      return RecordFormat.decode(Files.readString(p, StandardCharsets.UTF_8), p.toString());
    } catch (NoSuchFileException e) {
      // Deleted by another command since this one found it, say: said so, as a later lookup says it.
      throw new DatasetNotFoundException("Cannot find dataset version: " + (wasDeleted(id) ? deletedHere(id)
          : "no version with id " + id));
    } catch (CharacterCodingException e) {
      throw new CorruptObjectException(null, CorruptObjectException.Reason.MALFORMED, p.toString(), "bad dataset record: not UTF-8");
    }
  }

  /** Whether a record with this full id exists. */
  public boolean exists(String id) {
    return Files.exists(recordPath(id));
  }

  /** Every record, oldest first. Records that fail to parse are skipped (fsck reports them). */
  public List<DatasetRecord> all() throws IOException {
    return readAll().records();
  }

  /** Every record, oldest first, and the ids of those that fail to parse (a record deleted meanwhile is neither). */
  public VersionListing readAll() throws IOException {
    List<DatasetRecord> out = new ArrayList<>();
    List<String> unreadable = new ArrayList<>();
    try (Stream<Path> s = Files.list(records)) {
      for (Path p : s.filter(x -> x.getFileName().toString().endsWith(".json")).toList()) {
        String name = p.getFileName().toString();
        String fileId = name.substring(0, name.length() - ".json".length());
        try {
          DatasetRecord r = RecordFormat.decode(Files.readString(p, StandardCharsets.UTF_8), p.toString());
          if (!r.id().equals(fileId)) {
            unreadable.add(fileId); // another version's record under this one's name: fsck reports it
            continue;
          }
          out.add(r);
        } catch (NoSuchFileException e) {
          // deleted meanwhile: not listed
        } catch (CorruptObjectException | CharacterCodingException e) {
          unreadable.add(fileId);
        }
      }
    }
    out.sort(Comparator.comparingLong(DatasetRecord::createdMillis).thenComparing(DatasetRecord::id));
    return new VersionListing(out, unreadable);
  }

  /**
   * Resolves a full id or a unique prefix of at least 8 hex digits.
   *
   * @throws InvalidInputException if {@code idOrPrefix} is not 8 to 32 hex digits
   * @throws DatasetNotFoundException if nothing matches
   * @throws AmbiguousIdException if several versions match
   */
  public String resolve(String idOrPrefix) throws IOException {
    String p = idOrPrefix.trim().toLowerCase(Locale.ROOT);
    if (!isIdForm(p)) {
      throw new InvalidInputException("Cannot find dataset version: " + notAnId(idOrPrefix));
    }
    if (p.length() == 32) {
      if (!exists(p)) {
        throw new DatasetNotFoundException("Cannot find dataset version: " + (wasDeleted(p) ? deletedHere(p)
            : "no version with id " + p));
      }
      return p;
    }
    List<String> matches = new ArrayList<>();
    try (Stream<Path> s = Files.list(records)) {
      s.map(x -> x.getFileName().toString())
          .filter(n -> n.endsWith(".json") && n.startsWith(p))
          .map(n -> n.substring(0, n.length() - 5))
          .sorted()
          .forEach(matches::add);
    }
    if (matches.isEmpty()) {
      List<String> deleted = deletedStartingWith(p);
      throw new DatasetNotFoundException("Cannot find dataset version: " + (deleted.size() == 1 ? deletedHere(deleted.get(0))
          : "no version id starts with " + p + (deleted.isEmpty() ? "" : " (" + deleted.size() + " deleted ones did)")));
    }
    if (matches.size() > 1) {
      throw new AmbiguousIdException(p, matches);
    }
    return matches.get(0);
  }

  /** Writes a new record; fails if the id exists. */
  void create(DatasetRecord r) throws IOException {
    if (!AtomicFiles.createIfAbsent(recordPath(r.id()), RecordFormat.encode(r).getBytes(StandardCharsets.UTF_8), tmp)) {
      throw new IOException("Cannot create dataset version: id " + r.id() + " exists");
    }
  }

  /** Replaces a record atomically. The caller holds the version's lock. */
  void write(DatasetRecord r) throws IOException {
    AtomicFiles.write(recordPath(r.id()), RecordFormat.encode(r).getBytes(StandardCharsets.UTF_8), tmp);
  }

  /**
   * Deletes a record, leaving a mark that it was deleted on purpose: its version object may stay
   * (a child's lineage keeps it), and {@code fsck --repair} must not bring it back. The caller
   * holds the version's lock.
   */
  void delete(String id, List<String> uploadedTo) throws IOException {
    Path deleted = refs.resolve("deleted");
    Files.createDirectories(deleted);
    StringBuilder remotes = new StringBuilder();
    for (String uri : uploadedTo) {
      remotes.append(uri).append('\n');
    }
    // Replaced: a version fetched again since an earlier delete lists the remotes it has been on now.
    AtomicFiles.write(deleted.resolve(id), remotes.toString().getBytes(StandardCharsets.UTF_8), tmp);
    Files.deleteIfExists(recordPath(id));
    AtomicFiles.fsyncDirectory(records);
    agreed.clearAll(id);
  }

  /**
   * Drops the mark {@link #delete} left of {@code id}: for a draft its own command made and
   * deleted again, which no one was told of, and which has no version object to tell apart.
   */
  void forgetDeleted(String id) throws IOException {
    if (Files.deleteIfExists(refs.resolve("deleted").resolve(id))) {
      AtomicFiles.fsyncDirectory(refs.resolve("deleted"));
    }
  }

  /**
   * Notes that version {@code id}, an ancestor of a version fetched from {@code remote}, was deleted
   * there before its record could be fetched: not lost here, so {@code fsck} does not warn of it.
   * Its content is the remote's URI.
   */
  public void markDeletedThere(String id, String remote) throws IOException {
    if (!isFullId(id)) {
      return; // a parent id is always one; a damaged record's is not marked
    }
    Path there = refs.resolve("deleted-there");
    Files.createDirectories(there);
    AtomicFiles.createIfAbsent(there.resolve(id), (remote + "\n").getBytes(StandardCharsets.UTF_8), tmp);
  }

  /** The remote on which ancestor {@code id} was found deleted ({@link #markDeletedThere}), or null. */
  public String deletedThere(String id) throws IOException {
    if (!isFullId(id)) {
      return null;
    }
    try {
      return Files.readString(refs.resolve("deleted-there").resolve(id), StandardCharsets.UTF_8).trim();
    } catch (NoSuchFileException | java.nio.charset.MalformedInputException e) {
      return null;
    }
  }

  /** Whether version {@code id} was deleted on purpose (its record is gone, not lost). */
  public boolean wasDeleted(String id) {
    return Files.exists(refs.resolve("deleted").resolve(id));
  }

  /**
   * Why version {@code id} cannot be found when it was deleted here: says so, and where it was
   * uploaded before, with the command that fetches it again from there.
   */
  private String deletedHere(String id) {
    List<String> uploadedTo = uploadedBeforeDeletion(id);
    if (uploadedTo.isEmpty()) {
      return "version " + id + " was deleted here";
    }
    String remote = uploadedTo.get(0);
    return "version " + id + " was deleted here; it was uploaded to " + String.join(", ", uploadedTo) + " before (cairn get --id "
        + DatasetRecord.shortId(id) + " --storage " + Text.shellQuoted(remote) + " fetches it again)";
  }

  /**
   * The remotes version {@code id}, deleted here, had been uploaded to (its own first), as its
   * deletion mark lists them; empty when it was never uploaded, or for a mark older than the list.
   */
  public List<String> uploadedBeforeDeletion(String id) {
    if (!isFullId(id)) {
      return List.of();
    }
    try {
      return Files.readString(refs.resolve("deleted").resolve(id), StandardCharsets.UTF_8).lines().filter(l -> !l.isBlank()).toList();
    } catch (IOException | java.io.UncheckedIOException unreadable) {
      return List.of();
    }
  }

  /** The ids of versions deleted here that start with {@code prefix}, sorted. */
  private List<String> deletedStartingWith(String prefix) throws IOException {
    try (Stream<Path> s = Files.list(refs.resolve("deleted"))) {
      return s.map(x -> x.getFileName().toString()).filter(n -> n.startsWith(prefix) && isIdForm(n) && n.length() == 32).sorted().toList();
    } catch (NoSuchFileException e) {
      return List.of();
    }
  }

  /** The id holding a version string, or null if none does. */
  String reservationHolder(String project, String name, String version) throws IOException {
    try {
      return Files.readString(versionDir(project, name).resolve(version), StandardCharsets.US_ASCII).trim();
    } catch (NoSuchFileException e) {
      return null;
    }
  }

  // ---- version strings ------------------------------------------------------------------

  private Path versionDir(String project, String name) {
    return versions.resolve(VersionStrings.reservationKey(project, name));
  }

  /** Version strings reserved for a project and name, in version order. */
  List<String> reservedVersions(String project, String name) throws IOException {
    return reservedNames(project, name).stream().sorted(VersionStrings.ORDER).toList();
  }

  /** The highest version string reserved for a project and name, or null. */
  String highestReservedVersion(String project, String name) throws IOException {
    return reservedNames(project, name).stream().max(VersionStrings.ORDER).orElse(null);
  }

  /** Version strings reserved for a project and name, in no order. */
  private List<String> reservedNames(String project, String name) throws IOException {
    Path dir = versionDir(project, name);
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    try (Stream<Path> s = Files.list(dir)) {
      return s.map(p -> p.getFileName().toString()).filter(n -> !n.startsWith(".")).toList();
    }
  }

  /**
   * The version strings of a project and name reserved for {@code id}: normally one, the string of
   * its record (a version renumbered by set-version holds its new string, not the one it was
   * closed with).
   */
  List<String> reservationsHeldBy(String project, String name, String id) throws IOException {
    List<String> out = new ArrayList<>();
    for (String version : reservedNames(project, name)) {
      if (id.equals(reservationHolder(project, name, version))) {
        out.add(version);
      }
    }
    return out;
  }

  /** A version string's reservation: its file, and the id that holds it. */
  public record Reservation(Path file, String holder) {}

  /**
   * Reservations held by an id that has no record and was not deleted on purpose: the version
   * string of a draft whose record was lost (a closed version's lost record is recovered from its
   * version object instead), or of a create that is writing its record right now.
   */
  public List<Reservation> orphanReservations() throws IOException {
    return reservationsWithoutRecord(false);
  }

  /**
   * Version strings still reserved for versions deleted on purpose ({@code refs/deleted/}), whose
   * record is gone: what a delete killed between removing the record and releasing the string left.
   * They would stay taken for good.
   */
  public List<Reservation> reservationsOfDeleted() throws IOException {
    return reservationsWithoutRecord(true);
  }

  /** The reservations whose holder has no record, of versions deleted on purpose or of the others. */
  private List<Reservation> reservationsWithoutRecord(boolean deleted) throws IOException {
    List<Reservation> out = new ArrayList<>();
    for (Reservation r : reservations()) {
      if (isFullId(r.holder()) && !exists(r.holder()) && wasDeleted(r.holder()) == deleted) {
        out.add(r);
      }
    }
    return out;
  }

  /**
   * Reservations held by a version under another project or name than its record's: the mark of
   * a rename or move stopped midway (it reserves every string under the new name before it renames
   * a record, and gives the old ones back after), which the same command run again finishes.
   */
  public List<Reservation> reservationsUnderOtherNames() throws IOException {
    List<Reservation> out = new ArrayList<>();
    for (Reservation res : reservations()) {
      DatasetRecord r;
      try {
        r = isFullId(res.holder()) && exists(res.holder()) ? read(res.holder()) : null;
      } catch (IOException goneOrUnreadable) {
        continue; // deleted meanwhile, or a record fsck reports as damaged
      }
      if (r != null && !res.file().getParent().equals(versionDir(r.project(), r.name()))) {
        out.add(res);
      }
    }
    return out;
  }

  /**
   * Those of {@link #reservationsUnderOtherNames} under a project and name no version here has: a
   * rename or move stopped before it renamed any version to it left them, and nothing would finish
   * it from them (run again, it reserves them again).
   */
  public List<Reservation> reservationsUnderUnusedNames() throws IOException {
    Set<Path> used = new HashSet<>();
    for (DatasetRecord r : readAll().records()) {
      used.add(versionDir(r.project(), r.name()));
    }
    return reservationsUnderOtherNames().stream().filter(res -> !used.contains(res.file().getParent())).toList();
  }

  /** Every reservation of {@code refs/versions/}, with what its file holds (trimmed), those released meanwhile left out. */
  private List<Reservation> reservations() throws IOException {
    List<Reservation> out = new ArrayList<>();
    if (!Files.isDirectory(versions)) {
      return out;
    }
    try (Stream<Path> s = Files.walk(versions, 2)) {
      for (Path f : s.filter(Files::isRegularFile).filter(f -> !f.getFileName().toString().startsWith(".")).toList()) {
        try {
          out.add(new Reservation(f, Files.readString(f, StandardCharsets.US_ASCII).trim()));
        } catch (NoSuchFileException released) {
          // given back meanwhile
        }
      }
    }
    return out;
  }

  /** Releases {@code r} unless its holder changed or its record appeared meanwhile. */
  public void release(Reservation r) throws IOException {
    try {
      if (Files.readString(r.file(), StandardCharsets.US_ASCII).trim().equals(r.holder()) && !exists(r.holder())) {
        Files.delete(r.file());
      }
    } catch (NoSuchFileException gone) {
      // released already
    }
  }

  /**
   * Releases {@code r}, one of {@link #reservationsUnderUnusedNames}, if it still holds what it did
   * and its holder's record is still under another name (a rename meanwhile may have made it its own).
   */
  public void releaseUnderOtherName(Reservation r) throws IOException {
    try {
      if (Files.readString(r.file(), StandardCharsets.US_ASCII).trim().equals(r.holder()) && exists(r.holder())) {
        DatasetRecord holder = read(r.holder());
        if (!r.file().getParent().equals(versionDir(holder.project(), holder.name()))) {
          Files.delete(r.file());
        }
      }
    } catch (NoSuchFileException gone) {
      // released already
    }
  }

  /** The id holding the version string of {@code r} (its project, name and version): normally {@code r}'s own; null if none. */
  public String holderOfVersionOf(DatasetRecord r) throws IOException {
    return reservationHolder(r.project(), r.name(), r.version());
  }

  /**
   * Reserves the version string of {@code r} for it again when no version holds it (its
   * reservation lost), under the version's lock and as its record reads now; returns whether it
   * did. A string that is not a version string (a damaged record's) is left alone.
   */
  public boolean restoreReservation(DatasetRecord r) throws IOException {
    try (VersionLocks.Lock lock = lock(r.id())) {
      if (!exists(r.id())) {
        return false; // deleted meanwhile
      }
      DatasetRecord now = read(r.id());
      if (holderOfVersionOf(now) != null) {
        return false;
      }
      return reserveVersion(now.project(), now.name(), now.version(), now.id());
    } catch (IllegalArgumentException malformed) {
      return false;
    }
  }

  /** Whether a version string is reserved for a project and name. */
  boolean isReserved(String project, String name, String version) {
    return !version.startsWith(".") && Files.exists(versionDir(project, name).resolve(version));
  }

  /**
   * Reserves {@code version} of {@code project}/{@code name} for {@code id}; false when another
   * version holds it (or {@code id} itself, from an earlier run: see {@link #reservationHolder}).
   *
   * @throws IllegalArgumentException if {@code version} is not a version string
   */
  boolean reserveVersion(String project, String name, String version, String id) throws IOException {
    VersionStrings.check(version);
    Path dir = versionDir(project, name);
    Files.createDirectories(dir);
    return AtomicFiles.createIfAbsent(dir.resolve(version), id.getBytes(StandardCharsets.US_ASCII), tmp);
  }

  /**
   * Reserves for {@code id} the version string after the highest reserved one of
   * {@code project}/{@code name} (the first for a new dataset), the next again when another process
   * takes it first.
   */
  String reserveNextVersion(String project, String name, String id) throws IOException {
    Path dir = versionDir(project, name);
    Files.createDirectories(dir);
    byte[] content = id.getBytes(StandardCharsets.US_ASCII);
    for (int attempt = 0; attempt < 1000; attempt++) {
      String highest = highestReservedVersion(project, name);
      String next = highest == null ? VersionStrings.FIRST : VersionStrings.bump(highest);
      if (AtomicFiles.createIfAbsent(dir.resolve(next), content, tmp)) {
        return next;
      }
    }
    throw new IOException("Cannot reserve a version string for " + project + "/" + name + ": too much contention");
  }

  /** Releases a reservation held by {@code id}. */
  void releaseVersion(String project, String name, String version, String id) throws IOException {
    Path p = versionDir(project, name).resolve(version);
    try {
      if (Files.readString(p, StandardCharsets.US_ASCII).equals(id)) {
        Files.delete(p);
      }
    } catch (NoSuchFileException e) {
      // already gone
    }
  }

  // ---- current version ------------------------------------------------------------------

  /** The version last created or used, or null (none yet, or it was deleted since). */
  public String current() throws IOException {
    String id = lastUsed();
    return id != null && exists(id) ? id : null;
  }

  /** The id of the version last created or used, even if it was deleted since; null if none. */
  public String lastUsed() throws IOException {
    return readCurrent();
  }

  /**
   * What {@code refs/CURRENT} names, or null when it names nothing: absent, empty, or damaged (not
   * one version id: a later create or use writes it anew, as it is only a convenience).
   */
  private String readCurrent() throws IOException {
    byte[] b;
    try {
      b = Files.readAllBytes(refs.resolve("CURRENT"));
    } catch (NoSuchFileException e) {
      return null;
    }
    String id = new String(b, StandardCharsets.ISO_8859_1).trim(); // any bytes decode; only an id's are kept
    return id.matches("[0-9a-f]{32}") ? id : null;
  }

  /** {@code refs/CURRENT} if it is there and names no version id (damaged), else null. */
  public Path damagedCurrent() throws IOException {
    Path current = refs.resolve("CURRENT");
    if (!Files.exists(current, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
      return null;
    }
    if (!Files.isRegularFile(current, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
      return current; // a link or a folder where a file naming an id belongs
    }
    return readCurrent() == null && Files.size(current) > 0 ? current : null;
  }

  /**
   * Makes {@code id} the version commands act on when given no id. Nothing is written when it
   * already is (read-only commands name a version too, and need not fsync anything).
   */
  public void setCurrent(String id) throws IOException {
    if (id.equals(readCurrent())) {
      return;
    }
    AtomicFiles.write(refs.resolve("CURRENT"), (id + "\n").getBytes(StandardCharsets.US_ASCII), tmp);
  }

  /**
   * Puts back what {@code refs/CURRENT} named before ({@link #lastUsed}: an id, perhaps of a version
   * deleted since, or null for none), after a command that made a version and deleted it again
   * (a sync that failed): the next command then says what the user had last used, not that an id
   * never shown was deleted.
   */
  public void restoreLastUsed(String id) throws IOException {
    if (id != null) {
      setCurrent(id);
    } else {
      Files.deleteIfExists(refs.resolve("CURRENT"));
    }
  }

  /**
   * As {@link #setCurrent}, for commands that only read: a user who may read the repository but
   * not write to it (a shared one) reads it all the same, and the current version stays as it was.
   */
  public void rememberCurrent(String id) throws IOException {
    try {
      setCurrent(id);
    } catch (AccessDeniedException | ReadOnlyFileSystemException e) {
      // not ours to write: nothing to remember
    } catch (FileSystemException e) {
      if (!IoErrors.isReadOnlyFileSystem(e)) {
        throw e;
      }
    }
  }

  // ---- locks (VersionLocks) ----------------------------------------------------------------

  /** The locks of this repository's versions. */
  VersionLocks locks() {
    return locks;
  }

  /** {@link VersionLocks#lock}. */
  public VersionLocks.Lock lock(String id) throws IOException {
    return locks.lock(id);
  }

  /** {@link VersionLocks#tryLock}. */
  public VersionLocks.Lock tryLock(String id) throws IOException {
    return locks.tryLock(id);
  }

  /** {@link VersionLocks#holdWrites}. */
  public VersionLocks.Lock holdWrites() throws IOException {
    return locks.holdWrites();
  }

  /** {@link VersionLocks#oldestLiveLockMillis}. */
  public long oldestLiveLockMillis() throws IOException {
    return locks.oldestLiveLockMillis();
  }

  /** {@link VersionLocks#breakStaleLocks}. */
  public List<String> breakStaleLocks() {
    return locks.breakStaleLocks();
  }
}
