package dev.cairn.gc;

import dev.cairn.dataset.CacheCheck;
import dev.cairn.dataset.Catalog;
import dev.cairn.dataset.DatasetRecord;
import dev.cairn.dataset.DatasetRepository;
import dev.cairn.dataset.DraftOwners;
import dev.cairn.dataset.Progress;
import dev.cairn.dataset.RecordRecovery;
import dev.cairn.dataset.RemoteAncestors;
import dev.cairn.dataset.VersionLocks;
import dev.cairn.errors.CairnException;
import dev.cairn.errors.DatasetNotFoundException;
import dev.cairn.errors.MissingObjectException;
import dev.cairn.errors.ReadOnlyRepositoryException;
import dev.cairn.id.ObjectId;
import dev.cairn.internal.fs.AtomicFiles;
import dev.cairn.internal.index.ObjectLocation;
import dev.cairn.internal.io.Text;
import dev.cairn.internal.pack.PackFormat;
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
import java.io.InterruptedIOException;
import java.nio.channels.ClosedChannelException;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Checks a repository: every pack byte (checksums, names, every object's hash), the index against
 * the packs, every record and everything it reaches, and leftovers of interrupted commands. Reports
 * each problem with the object and file named. {@link Repair} fixes what can be derived.
 */
public final class Fsck {
  private final DatasetRepository repo;
  private final Progress progress;

  public Fsck(DatasetRepository repo, Progress progress) {
    this.repo = repo;
    this.progress = Progress.orNone(progress);
  }

  /**
   * What a check found.
   *
   * @param damagedVersions the ids of the versions whose version object, manifest or file data is
   *     damaged or missing here, in catalog order (a local check; a remote's check lists none)
   */
  public record Report(List<Problem> problems, long packs, long objects, long versions, long bytes,
      List<String> damagedVersions) {
    public Report {
      problems = List.copyOf(problems);
      damagedVersions = List.copyOf(damagedVersions);
    }

    public Report(List<Problem> problems, long packs, long objects, long versions, long bytes) {
      this(problems, packs, objects, versions, bytes, List.of());
    }

    public List<Problem> errors() {
      return problems.stream().filter(p -> p.severity() == Problem.Severity.ERROR).toList();
    }

    public boolean ok() {
      return errors().isEmpty();
    }
  }

  /** How many times a check starts again when a gc removed a pack it was reading. */
  private static final int ATTEMPTS = 4;

  /**
   * Checks the repository. A gc running meanwhile may remove a pack after this check listed it
   * (its live objects copied to a new pack and indexed there first): the check then starts again
   * from the index, which names the new pack, rather than take the pack's absence for damage.
   */
  public Report check() throws IOException {
    Path packDir = repo.repository().packs().packDirectory();
    for (int attempt = 1; ; attempt++) {
      try {
        return checkOnce(packDir);
      } catch (java.nio.file.NoSuchFileException e) {
        if (!packRemoved(e) || attempt == ATTEMPTS) {
          throw e;
        }
        progress.warn("pack " + Path.of(e.getFile()).getFileName() + " was removed while fsck read it (a gc running meanwhile):"
            + " checking again");
      }
    }
  }

  private Report checkOnce(Path packDir) throws IOException {
    // The index and the records are read before the packs are listed: a command that runs
    // meanwhile publishes a pack before it indexes it and before a record names it, so what they
    // name is in the listing, and a running sync is not taken for damage.
    List<Problem> indexProblems = new ArrayList<>();
    Map<ObjectId, ObjectLocation> indexed = readIndex(indexProblems);
    List<Problem> recordProblems = new ArrayList<>();
    List<DatasetRecord> records = checkRecords(recordProblems);
    PackScan scan = PackScan.run(packDir, repo.repository().objects().algorithm(), progress);
    List<Problem> problems = new ArrayList<>(scan.problems);
    problems.addAll(indexProblems);
    if (indexed != null) {
      checkIndex(scan, indexed, problems);
    }
    problems.addAll(recordProblems);
    List<String> damaged;
    try (ScanReader reader = new ScanReader(scan, packDir)) {
      Reachability reach = new Reachability(reader, scan, indexed == null ? Set.of() : indexed.keySet());
      RemoteAncestors remotes = new RemoteAncestors(repo.catalog());
      for (DatasetRecord r : records) {
        reach.checkVersion(r, remotes.of(r), problems);
      }
      reach.report(problems);
      damaged = reach.damagedVersions();
      checkLostRecords(scan, reader, problems);
      checkOrphanReservations(closedVersions(scan, reader), problems);
    }
    checkLeftovers(problems);
    Path current = repo.catalog().damagedCurrent();
    if (current != null) {
      problems.add(Problem.warning(null, current.toString(), "names no version id (damaged): commands given no id act on no version"
          + " until one is created or used; fsck --repair deletes it"));
    }
    for (Map.Entry<Path, String> run : repo.usage().damagedRecords().entrySet()) {
      problems.add(Problem.error(null, run.getKey().toString(), "run record cannot be read (" + run.getValue() + "): usage, lock and gc fail on it; fsck --repair sets it aside as " + run.getKey().getFileName() + ".damaged"
          + " (the versions that run used are then not recorded as used)"));
    }
    for (CacheCheck.Damage d : new CacheCheck(repo, progress).run()) {
      problems.add(Problem.error(null, d.path().toString(), d.what() + " (fsck --repair deletes it; get builds it again)"));
    }
    return new Report(problems, scan.packs, scan.intact.size() + scan.lost().size(), records.size(), scan.bytes, damaged);
  }

  /** Runs the pack scan alone, for repairs. */
  PackScan scan() throws IOException {
    return PackScan.run(repo.repository().packs().packDirectory(), repo.repository().objects().algorithm(), progress);
  }

  /** Every entry of the object index, or null (and an error) if it cannot be read. */
  private Map<ObjectId, ObjectLocation> readIndex(List<Problem> problems) throws IOException {
    Map<ObjectId, ObjectLocation> indexed = new HashMap<>();
    try {
      repo.repository().packs().index().forEach(indexed::put);
    } catch (AccessDeniedException notOurs) {
      throw notOurs; // a user who may only read the repository: not damage, and nothing fsck can say about it
    } catch (ReadOnlyRepositoryException readOnly) {
      throw readOnly; // nor is a read-only file system
    } catch (IOException | RuntimeException e) {
      problems.add(Problem.error(null, repo.repository().directory().resolve("index").toString(), "index unreadable: " + e.getMessage()));
      return null;
    }
    return indexed;
  }

  private void checkIndex(PackScan scan, Map<ObjectId, ObjectLocation> indexed, List<Problem> problems) throws IOException {
    String where = repo.repository().directory().resolve("index").toString();
    int wrong = 0;
    for (Map.Entry<ObjectId, ObjectLocation> e : indexed.entrySet()) {
      PackScan.Place p = scan.intact.get(e.getKey());
      ObjectLocation l = e.getValue();
      if (p == null) {
        if (!scan.damaged.contains(e.getKey()) && wrong++ < 100) {
          problems.add(Problem.error(e.getKey().hex(), where, "index names an object no pack holds"));
        }
        continue;
      }
      // An object stored in two packs may be indexed at either; only a place in the same pack can be compared.
      boolean samePack = p.pack().equals(l.packName());
      boolean placeDiffers = samePack && (l.blockOffset() != p.entry().blockOffset()
          || l.offsetInBlock() != p.entry().offsetInBlock() || l.length() != p.entry().length());
      if ((l.packName() == null || placeDiffers) && wrong++ < 100) {
        problems.add(Problem.error(e.getKey().hex(), where, "index entry points to the wrong place (repair rebuilds it)"));
      }
    }
    List<ObjectId> notInSnapshot = new ArrayList<>();
    for (ObjectId id : scan.intact.keySet()) {
      if (!indexed.containsKey(id)) {
        notInSnapshot.add(id);
      }
    }
    // Read before the packs were listed: a command (a gc) may have written and indexed them since.
    ObjectLocation[] now = notInSnapshot.isEmpty() ? new ObjectLocation[0] : repo.repository().packs().index().lookupEach(notInSnapshot);
    int unindexed = 0;
    for (ObjectLocation l : now) {
      if (l == null) {
        unindexed++;
      }
    }
    if (unindexed > 0) {
      // Both leave whole packs out: a collection that misses an object a version needs indexes them
      // (and so makes them young), one that does not deletes what no version needs.
      problems.add(Problem.warning(null, where, unindexed + " stored objects are not in the index (a gc stopped midway, a command"
          + " stopped before it indexed what it wrote, or an index lost and rebuilt only in part, by a repair stopped midway, leaves them: cairn gc indexes them or, once older than its"
          + " grace, deletes those no version needs; fsck --repair indexes them all)"));
    }
  }

  /** Closed versions whose record file is gone though their version object is here (repair rebuilds them). */
  private void checkLostRecords(PackScan scan, ScanReader reader, List<Problem> problems) throws IOException {
    for (Map.Entry<ObjectId, Version> e : scan.versions(reader).entrySet()) {
      Version v = e.getValue();
      String id = RecordRecovery.datasetId(v);
      // An unreadable record is reported as such above.
      if (id == null || repo.catalog().exists(id) || !RecordRecovery.isLost(repo, v)) {
        continue;
      }
      String where = repo.repository().directory().resolve("refs/datasets").resolve(id + ".json").toString();
      if (!RecordRecovery.dataHere(reader, v.root())) {
        problems.add(Problem.warning(id, where, "version object " + e.getKey().abbreviate(12) + " here without its record or all its"
            + " data: left by a fetch that stopped part way (get it again with cairn get --id " + DatasetRecord.shortId(id)
            + " --storage URI; gc removes what is left)"));
      } else if (RecordRecovery.stillReserved(repo, v)) {
        problems.add(Problem.error(id, where, "record missing, its version string still reserved and version object "
            + e.getKey().abbreviate(12) + " here (fsck --repair recovers it)"));
      } else {
        // Its version string free: a get stopped before it took the record (the data comes first),
        // or a delete by an older cairn, which left no mark.
        problems.add(Problem.warning(id, where, "no record and no version string, but version object " + e.getKey().abbreviate(12)
            + " and its data here: left by a get that stopped before its end (run it again), deleted by an older cairn,"
            + " or lost with its reservation (fsck --repair would bring it back; gc removes it)"));
      }
    }
  }

  /** The ids of the versions whose version objects the packs hold. */
  static Set<String> closedVersions(PackScan scan, ScanReader reader) throws IOException {
    Set<String> ids = new HashSet<>();
    for (Version v : scan.versions(reader).values()) {
      String id = RecordRecovery.datasetId(v);
      if (id != null) {
        ids.add(id);
      }
    }
    return ids;
  }

  /**
   * Version strings reserved for an id with no record and no version object: a draft's lost
   * record (or a create writing its record right now). Nothing can bring the draft back; the
   * string stays taken until the repair releases it.
   */
  private void checkOrphanReservations(Set<String> closed, List<Problem> problems) throws IOException {
    for (Catalog.Reservation r : repo.catalog().orphanReservations()) {
      if (!closed.contains(r.holder())) {
        problems.add(Problem.warning(r.holder(), r.file().toString(), "version string " + r.file().getFileName()
            + " reserved for a version with no record and no version object (a create stopped before it wrote its record, or a draft"
            + " whose record was lost); fsck --repair releases it once no command holds that version's lock (a create about to write"
            + " its record does), or once it is an hour old"));
      }
    }
    for (Catalog.Reservation r : repo.catalog().reservationsOfDeleted()) {
      problems.add(Problem.warning(r.holder(), r.file().toString(), "version string " + r.file().getFileName()
          + " still reserved for deleted version " + r.holder() + " (a delete stopped before it gave it back); fsck --repair releases it"));
    }
    Set<String> split = new LinkedHashSet<>();
    repo.catalog().reservationsUnderOtherNames().forEach(r -> split.add(r.holder()));
    if (!split.isEmpty()) {
      DatasetRecord any = repo.catalog().read(split.iterator().next());
      problems.add(Problem.warning(any.id(), null, Text.count(split.size(), "version") + " (" + DatasetRepository.label(any.project(),
          any.name()) + " among them) also hold version strings under another project or name: a rename or move stopped midway"
          + " (run again, it finishes; fsck --repair releases those under a name no version has, which it had not reached)"));
    }
  }

  private List<DatasetRecord> checkRecords(List<Problem> problems) throws IOException {
    Path dir = repo.repository().directory().resolve("refs").resolve("datasets");
    List<DatasetRecord> out = new ArrayList<>();
    Set<String> ids = new HashSet<>();
    try (Stream<Path> s = Files.list(dir)) {
      for (Path p : s.sorted().toList()) {
        String n = p.getFileName().toString();
        if (!n.endsWith(".json")) {
          problems.add(Problem.warning(null, p.toString(), "unexpected file among records"));
          continue;
        }
        try {
          DatasetRecord r = repo.catalog().read(n.substring(0, n.length() - 5));
          if (!r.id().equals(n.substring(0, n.length() - 5))) {
            problems.add(Problem.error(r.id(), p.toString(), "record holds another id"));
            continue;
          }
          out.add(r);
          ids.add(r.id());
        } catch (DatasetNotFoundException deletedMeanwhile) {
          // Listed, then deleted by another command before it was read: gone, not damaged.
          continue;
        } catch (CairnException e) {
          problems.add(Problem.error(n.substring(0, n.length() - 5), p.toString(), "record unreadable: " + e.getMessage()));
        }
      }
    }
    for (DatasetRecord r : out) {
      checkReservation(r, problems);
      if (r.isDraft() && r.owner() != null && DraftOwners.ended(r.owner())) {
        // Found and finished by the same sync (or squash) run again, unless the parents it would use have changed since.
        boolean squash = !r.log().isEmpty() && "squash".equals(r.log().get(0).command());
        problems.add(Problem.warning(r.id(), null, "draft " + r.version() + " of " + DatasetRepository.label(r.project(),
            r.name()) + " was left by a " + (squash ? "squash" : "sync") + " that was interrupted (its process ended): the same "
            + (squash ? "squash run again finishes it" : "sync run again finishes it, while its parents are still the newest")
            + "; else cairn delete --id " + r.shortId() + " removes it"));
      } else if (r.isDraft() && r.owner() != null && DraftOwners.elsewhere(r.owner())) {
        problems.add(Problem.warning(r.id(), null, "draft " + r.version() + " of " + DatasetRepository.label(r.project(),
            r.name()) + " is being filled by a sync of another container (or of this one before it restarted), which cannot be"
            + " told from here: no sync here takes it; if none runs there, cairn delete --id " + r.shortId() + " removes it"));
      }
      for (String parent : r.parents()) {
        // A parent deleted on purpose (delete --force) is no problem: the child keeps its content.
        // Nor is one a fetch found deleted on its remote (by a teammate) before it could take its record.
        if (!ids.contains(parent) && !repo.catalog().wasDeleted(parent) && repo.catalog().deletedThere(parent) == null) {
          problems.add(Problem.warning(r.id(), null, "parent " + parent
              + (repo.catalog().exists(parent) ? " has an unreadable record" : "'s record is not here (deleted on the remote this version"
              + " came from, or lost: fsck --repair recovers a lost one from its version object, if that is here)")));
        }
      }
    }
    return out;
  }

  /**
   * A version's string must be reserved: a string whose reservation was lost would be given by the
   * next create to another version, and two versions would answer to it.
   */
  private void checkReservation(DatasetRecord r, List<Problem> problems) throws IOException {
    String holder = repo.catalog().holderOfVersionOf(r);
    if (holder == null) {
      // Read again: a delete, rename or set-version that ran meanwhile moves or drops the string.
      try {
        r = repo.catalog().read(r.id());
        holder = repo.catalog().holderOfVersionOf(r);
      } catch (DatasetNotFoundException deletedMeanwhile) {
        return;
      }
    }
    String which = "version string " + r.version() + " of " + DatasetRepository.label(r.project(), r.name());
    if (holder == null) {
      // No data is at stake, but the next create could give the string to another version.
      problems.add(Problem.warning(r.id(), null, which + " is not reserved for it (its file under refs/versions was lost, or a"
          + " version that held it for both was deleted): a create could give it to another version; fsck --repair reserves it again"));
    } else if (!holder.equals(r.id())) {
      // Two versions made apart (one here, one fetched from a remote) may both hold a string: not damage.
      problems.add(Problem.warning(r.id(), null, which + " is held here by another version, " + holder + " (made apart, one of them"
          + " fetched from a remote?): the string names that one here, and this one is named by its id"));
    }
  }

  private void checkLeftovers(List<Problem> problems) throws IOException {
    Path tmp = repo.repository().tmpDirectory();
    try (Stream<Path> s = Files.list(tmp)) {
      // A running command's (a gc's, say) are in use, not left over.
      long n = s.filter(p -> !DatasetRepository.isLockFileOfTmp(p.getFileName().toString())
          && !AtomicFiles.ownerAlive(p.getFileName().toString())).count();
      if (n > 0) {
        problems.add(Problem.warning(null, tmp.toString(), Text.count(n, "leftover temporary file") + " of interrupted commands (gc removes them once older than its --grace, 1h by default)"));
      }
    }
    Path locks = repo.repository().directory().resolve("refs").resolve("locks");
    if (Files.isDirectory(locks)) {
      try (Stream<Path> s = Files.list(locks)) {
        for (Path p : s.filter(f -> !f.getFileName().toString().endsWith(VersionLocks.LEASE_SUFFIX)).toList()) {
          problems.add(Problem.warning(p.getFileName().toString(), p.toString(), "lock held (or left by a process that died)"));
        }
      }
    }
  }

  /**
   * Walks versions down to every chunk, each shared subtree once: what is wrong below a node is
   * kept with the node, so that every version reaching a damaged or missing object is named.
   */
  static final class Reachability {
    /**
     * A problem below a node, without the versions that reach it; for a file's data, its path and
     * content, and whether it is missing (rather than damaged).
     */
    private record Finding(String what, String message, String path, ObjectId content, boolean missing) {
      Finding(String what, String message) {
        this(what, message, null, null, false);
      }
    }

    /**
     * What a file object found: its chunks that are not intact, or why it could not be read.
     *
     * @param unreadable why the file object could not be read ({@code ""}: it is missing), or null
     */
    private record FileCheck(List<ObjectId> notIntact, String unreadable) {}

    private final ScanReader reader;
    private final PackScan scan;
    /** Findings below each node walked, for versions whose data has no remote, and for those whose has. */
    private final Map<ObjectId, List<Finding>> whole = new HashMap<>();
    private final Map<ObjectId, List<Finding>> partial = new HashMap<>();
    private final Map<ObjectId, FileCheck> files = new HashMap<>();
    /** Every finding, with the versions that reach it (the first few, and how many), in the order found. */
    private final Map<Finding, Reached> found = new LinkedHashMap<>();
    /** Every version with a problem of its own data, in the order checked. */
    private final Set<String> damaged = new LinkedHashSet<>();

    /** The first versions that reach a finding, and their number: bounded, whatever the damage. */
    private static final class Reached {
      static final int NAMED = 5;
      final List<String> first = new ArrayList<>(NAMED);
      int count;

      void add(String version) {
        if (first.size() < NAMED) {
          first.add(version);
        }
        count++;
      }
    }

    /** The objects the index names: one of them that no pack holds was here, and is lost. */
    private final Set<ObjectId> indexed;

    Reachability(ScanReader reader, PackScan scan, Set<ObjectId> indexed) {
      this.reader = reader;
      this.scan = scan;
      this.indexed = indexed;
    }

    /**
     * Checks what version {@code r} reaches. With {@code remote}, the version (or the ancestor)
     * whose remote holds its data (see {@link RemoteAncestors}): what is missing
     * here of the files it shares with that one was not fetched. Problems of its data are given by
     * {@link #report}.
     */
    void checkVersion(DatasetRecord r, DatasetRecord remote, List<Problem> problems) throws IOException {
      String version = r.id();
      if (!r.isDraft() && r.storage() != null && r.versionObject() != null && !stored(r.versionObject())
          && !indexed.contains(r.versionObject())) {
        // Known from its remote only (an ancestor of a version fetched; its manifest may be here as
        // its child's base): nothing of its own to check. One whose version object the index names
        // was here, and lost it with its pack: checked below as any other.
        return;
      }
      if (r.versionObject() != null) {
        try {
          Version v = VersionFormat.decode(reader.open(r.versionObject()).bytes(), r.versionObject());
          if (!v.root().equals(r.root())) {
            problems.add(Problem.error(version, null, "record root differs from its version object's root"));
            damaged.add(version);
          }
        } catch (IOException e) {
          problems.add(Problem.error(r.versionObject().hex(), "version " + version, unreadable("version object", e)));
          damaged.add(version);
        }
      }
      // A version on a remote may hold here only the files a get selected (a part, a filter): its
      // missing data is not damage. Damaged data still is. A version made here on top of one
      // fetched in part lacks only what it shares with that one.
      boolean own = remote != null && remote.id().equals(r.id());
      Set<Finding> findings = new LinkedHashSet<>(notFetchedLeftOut(tree(r.root(), own), r, remote, own));
      // A closed version's base is derived from its parents; a version fetched from a remote
      // comes without it. Its nodes are checked, and its data only where held: gc keeps a base
      // for its shape, and a deleted parent's own data goes (its other files are the version's).
      if (r.isDraft() || stored(r.base())) {
        findings.addAll(notFetchedLeftOut(tree(r.base(), true), r, remote, own));
      }
      for (Finding f : findings) {
        found.computeIfAbsent(f, k -> new Reached()).add(version);
        damaged.add(version);
      }
    }

    private List<Finding> notFetchedLeftOut(List<Finding> findings, DatasetRecord r, DatasetRecord remote, boolean own)
        throws IOException {
      if (remote == null || own || findings.isEmpty()) {
        return findings;
      }
      List<Finding> kept = new ArrayList<>();
      for (Finding f : findings) {
        try {
          if (!f.missing() || f.path() == null || !RemoteAncestors.onRemote(f.path(), f.content(), r, remote, reader)) {
            kept.add(f);
          }
        } catch (IOException unreadable) {
          if (packRemoved(unreadable)) {
            throw unreadable;
          }
          kept.add(f);
        }
      }
      return kept;
    }

    List<String> damagedVersions() {
      return List.copyOf(damaged);
    }

    /** Adds one problem per finding, naming every version that reaches it. */
    void report(List<Problem> problems) {
      found.forEach((f, versions) -> problems.add(Problem.error(f.what(), where(versions), f.message())));
    }

    private static String where(Reached versions) {
      if (versions.count == 1) {
        return "version " + versions.first.get(0);
      }
      return "versions " + String.join(", ", versions.first)
          + (versions.count > versions.first.size() ? " and " + (versions.count - versions.first.size()) + " more" : "");
    }


    private boolean stored(ObjectId id) {
      return scan.intact.containsKey(id) || scan.damaged.contains(id);
    }

    private List<Finding> tree(ObjectId node, boolean partialData) throws IOException {
      Map<ObjectId, List<Finding>> memo = partialData ? partial : whole;
      List<Finding> known = memo.get(node);
      if (known != null) {
        return known;
      }
      List<Finding> out = new ArrayList<>();
      TreeNode n;
      try {
        n = TreeFormat.decode(reader.open(node).bytes(), node);
      } catch (IOException e) {
        n = null;
        out.add(new Finding(node.hex(), unreadable("manifest node", e)));
      }
      if (n instanceof TreeNode.Inner in) {
        for (ChildRef c : in.children()) {
          out.addAll(tree(c.id(), partialData));
        }
      } else if (n instanceof TreeNode.Leaf leaf) {
        for (FileEntry e : leaf.entries()) {
          if (e.kind() == EntryKind.FILE && e.size() > 0) {
            content(e, partialData, out);
          }
        }
      }
      List<Finding> result = out.isEmpty() ? List.of() : List.copyOf(out);
      memo.put(node, result);
      return result;
    }

    private void content(FileEntry e, boolean partialData, List<Finding> out) throws IOException {
      ObjectId id = e.content();
      if (partialData && !stored(id)) {
        return; // not fetched
      }
      if (!e.chunked()) {
        if (!scan.intact.containsKey(id)) {
          boolean damaged = scan.damaged.contains(id);
          out.add(new Finding(id.hex(), (damaged ? "damaged" : "missing") + " content of " + e.path(), e.path(), id, !damaged));
        }
        return;
      }
      FileCheck check = files.get(id);
      if (check == null) {
        check = checkFile(id);
        files.put(id, check);
      }
      if (check.unreadable() != null) {
        String why = check.unreadable().isEmpty() ? "missing file object of " + e.path() : "file object of " + e.path() + ": " + check.unreadable();
        out.add(new Finding(id.hex(), why, e.path(), id, !stored(id)));
        return;
      }
      for (ObjectId c : check.notIntact()) {
        boolean damaged = scan.damaged.contains(c);
        if (!partialData || damaged) {
          out.add(new Finding(c.hex(), (damaged ? "damaged" : "missing") + " chunk of " + e.path(), e.path(), id, !damaged));
        }
      }
    }

    private FileCheck checkFile(ObjectId id) throws IOException {
      try {
        List<ObjectId> bad = new ArrayList<>();
        for (ChunkRef c : FileObjectFormat.decode(reader.open(id).bytes(), id).chunks()) {
          if (!scan.intact.containsKey(c.id())) {
            bad.add(c.id());
          }
        }
        return new FileCheck(bad.isEmpty() ? List.of() : bad, null);
      } catch (MissingObjectException ex) {
        return new FileCheck(List.of(), ""); // missing: the finding names its id
      } catch (IOException ex) {
        if (packRemoved(ex)) {
          throw ex;
        }
        return new FileCheck(List.of(), ex.getMessage());
      }
    }
  }

  /**
   * Whether {@code e} says a pack file is gone: one a gc removed while this check read it (having
   * copied its live objects to a new pack first), not damage.
   */
  static boolean packRemoved(IOException e) {
    return e instanceof java.nio.file.NoSuchFileException n && n.getFile() != null
        && PackFormat.nameOf(Path.of(n.getFile()).getFileName().toString()) != null;
  }

  /** Why {@code what} could not be read, without its id (a problem names it once, by itself). */
  static String unreadable(String what, IOException e) throws IOException {
    if (e instanceof InterruptedIOException || e instanceof ClosedChannelException || packRemoved(e)) {
      throw e; // the check was stopped, or a gc took a pack from under it (it starts again): not the data found damaged
    }
    return e instanceof MissingObjectException ? "missing " + what : what + ": " + e.getMessage();
  }
}
