package dev.cairn.gc;

import dev.cairn.dataset.DatasetRecord;
import dev.cairn.dataset.DatasetRepository;
import dev.cairn.dataset.Progress;
import dev.cairn.dataset.RecordRecovery;
import dev.cairn.errors.CairnException;
import dev.cairn.id.ObjectId;
import dev.cairn.internal.index.ObjectLocation;
import dev.cairn.internal.io.Text;
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
import java.util.HashMap;
import java.util.HashSet;
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
    this.progress = progress;
  }

  /** What a check found. */
  public record Report(List<Problem> problems, long packs, long objects, long versions, long bytes) {
    public List<Problem> errors() {
      return problems.stream().filter(p -> p.severity() == Problem.Severity.ERROR).toList();
    }

    public boolean ok() {
      return errors().isEmpty();
    }
  }

  public Report check() throws IOException {
    Path packDir = repo.repository().packs().packDirectory();
    PackScan scan = PackScan.run(packDir, repo.repository().objects().algorithm(), progress);
    List<Problem> problems = new ArrayList<>(scan.problems);
    checkIndex(scan, problems);
    List<DatasetRecord> records = checkRecords(problems);
    try (ScanReader reader = new ScanReader(scan, packDir)) {
      Reachability reach = new Reachability(reader, scan);
      for (DatasetRecord r : records) {
        reach.checkVersion(r, problems);
      }
      checkLostRecords(scan, reader, problems);
    }
    checkLeftovers(problems);
    for (dev.cairn.dataset.CacheCheck.Damage d : new dev.cairn.dataset.CacheCheck(repo, progress).run()) {
      problems.add(Problem.error(null, d.path().toString(), d.what() + " (fsck --repair deletes it; get builds it again)"));
    }
    return new Report(problems, scan.packs, scan.intact.size() + scan.lost().size(), records.size(), scan.bytes);
  }

  /** Runs the pack scan alone, for repairs. */
  PackScan scan() throws IOException {
    return PackScan.run(repo.repository().packs().packDirectory(), repo.repository().objects().algorithm(), progress);
  }

  private void checkIndex(PackScan scan, List<Problem> problems) {
    Map<ObjectId, ObjectLocation> indexed = new HashMap<>();
    try {
      repo.repository().packs().index().forEach(indexed::put);
    } catch (IOException | RuntimeException e) {
      problems.add(Problem.error(null, repo.repository().directory().resolve("index").toString(), "index unreadable: " + e.getMessage()));
      return;
    }
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
    int unindexed = 0;
    for (ObjectId id : scan.intact.keySet()) {
      if (!indexed.containsKey(id)) {
        unindexed++;
      }
    }
    if (unindexed > 0) {
      problems.add(Problem.warning(null, where, unindexed + " stored objects are not in the index (repair rebuilds it)"));
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
            + " data: left by a fetch that stopped part way (get it again with cairn get --id " + id.substring(0, 8)
            + " --storage URI; gc removes what is left)"));
      } else if (RecordRecovery.stillReserved(repo, v)) {
        problems.add(Problem.error(id, where, "record missing, its version string still reserved and version object "
            + e.getKey().abbreviate(12) + " here (fsck --repair recovers it)"));
      } else {
        // Its version string free: most likely deleted by an older cairn, which left no mark.
        problems.add(Problem.warning(id, where, "no record and no version string, but version object " + e.getKey().abbreviate(12)
            + " here: deleted by an older cairn, or lost with its reservation (fsck --repair would bring it back)"));
      }
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
        } catch (CairnException e) {
          problems.add(Problem.error(n.substring(0, n.length() - 5), p.toString(), "record unreadable: " + e.getMessage()));
        }
      }
    }
    for (DatasetRecord r : out) {
      for (String parent : r.parents()) {
        // A parent deleted on purpose (delete --force) is no problem: the child keeps its content.
        if (!ids.contains(parent) && !repo.catalog().wasDeleted(parent)) {
          problems.add(Problem.warning(r.id(), null, "parent " + parent
              + (repo.catalog().exists(parent) ? " has an unreadable record" : "'s record is missing (fsck --repair recovers it from its version object)")));
        }
      }
    }
    return out;
  }

  private void checkLeftovers(List<Problem> problems) throws IOException {
    Path tmp = repo.repository().tmpDirectory();
    try (Stream<Path> s = Files.list(tmp)) {
      long n = s.count();
      if (n > 0) {
        problems.add(Problem.warning(null, tmp.toString(), Text.count(n, "leftover temporary file") + " of interrupted commands (gc removes them once older than its --grace, 1h by default)"));
      }
    }
    Path locks = repo.repository().directory().resolve("refs").resolve("locks");
    if (Files.isDirectory(locks)) {
      try (Stream<Path> s = Files.list(locks)) {
        for (Path p : s.toList()) {
          problems.add(Problem.warning(p.getFileName().toString(), p.toString(), "lock held (or left by a process that died)"));
        }
      }
    }
  }

  /** Walks versions down to every chunk, each shared subtree once. */
  static final class Reachability {
    private final ScanReader reader;
    private final PackScan scan;
    private final Set<ObjectId> checked = new HashSet<>();

    Reachability(ScanReader reader, PackScan scan) {
      this.reader = reader;
      this.scan = scan;
    }

    void checkVersion(DatasetRecord r, List<Problem> problems) {
      String version = r.id();
      if (!r.isDraft() && r.storage() != null && r.versionObject() != null && !stored(r.versionObject())) {
        // Known from its remote only (an ancestor of a version fetched; its manifest may be here
        // as its child's base): nothing of its own to check.
        return;
      }
      if (r.versionObject() != null) {
        try {
          Version v = VersionFormat.decode(reader.open(r.versionObject()).bytes(), r.versionObject());
          if (!v.root().equals(r.root())) {
            problems.add(Problem.error(version, null, "record root differs from its version object's root"));
          }
        } catch (IOException e) {
          problems.add(Problem.error(r.versionObject().hex(), "version " + version, "version object: " + e.getMessage()));
        }
      }
      // A version that is on a remote may hold here only the files a get selected (a part, a
      // filter): its missing data is not damage. Damaged data still is.
      boolean partial = !r.isDraft() && r.storage() != null;
      tree(r.root(), version, partial, problems);
      // A closed version's base is derived from its parents; a version fetched from a remote
      // comes without it.
      if (r.isDraft() || stored(r.base())) {
        tree(r.base(), version, partial, problems);
      }
    }

    private boolean stored(ObjectId id) {
      return scan.intact.containsKey(id) || scan.damaged.contains(id);
    }

    private void tree(ObjectId node, String version, boolean partial, List<Problem> problems) {
      if (!checked.add(node)) {
        return;
      }
      TreeNode n;
      try {
        n = TreeFormat.decode(reader.open(node).bytes(), node);
      } catch (IOException e) {
        problems.add(Problem.error(node.hex(), "version " + version, "manifest node: " + e.getMessage()));
        return;
      }
      if (n instanceof TreeNode.Inner in) {
        for (ChildRef c : in.children()) {
          tree(c.id(), version, partial, problems);
        }
        return;
      }
      for (FileEntry e : ((TreeNode.Leaf) n).entries()) {
        if (e.kind() != EntryKind.FILE || e.size() == 0 || !checked.add(e.content())) {
          continue;
        }
        if (partial && !stored(e.content())) {
          checked.remove(e.content()); // not fetched; a local version naming it is checked again
          continue;
        }
        if (!e.chunked()) {
          if (!scan.intact.containsKey(e.content())) {
            problems.add(Problem.error(e.content().hex(), "version " + version, (scan.damaged.contains(e.content()) ? "damaged" : "missing") + " content of " + e.path()));
          }
          continue;
        }
        try {
          for (ChunkRef c : FileObjectFormat.decode(reader.open(e.content()).bytes(), e.content()).chunks()) {
            if (!scan.intact.containsKey(c.id()) && (!partial || scan.damaged.contains(c.id()))) {
              problems.add(Problem.error(c.id().hex(), "version " + version, (scan.damaged.contains(c.id()) ? "damaged" : "missing") + " chunk of " + e.path()));
            }
          }
        } catch (IOException ex) {
          problems.add(Problem.error(e.content().hex(), "version " + version, "file object of " + e.path() + ": " + ex.getMessage()));
        }
      }
    }
  }
}
