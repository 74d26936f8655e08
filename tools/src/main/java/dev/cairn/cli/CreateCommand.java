package dev.cairn.cli;

import dev.cairn.dataset.CreateOptions;
import dev.cairn.dataset.Dataset;
import dev.cairn.dataset.DatasetRecord;
import dev.cairn.dataset.DatasetRepository;
import dev.cairn.dataset.Selection;
import dev.cairn.errors.DatasetNotFoundException;
import dev.cairn.manifest.DatasetPaths;
import dev.cairn.manifest.DiffEntry;
import dev.cairn.storage.StorageException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "create", description = "Create a new dataset version (a draft), starting from its parents merged.")
final class CreateCommand extends Base {
  @Option(names = "--project", paramLabel = "P", description = "Project (default: the last parent's project, else the one project holding datasets of that --name here, else on the remote, else none).")
  String project;

  @Option(names = "--name", paramLabel = "N", required = true, description = "Dataset name.")
  String name;

  @Option(names = "--version", paramLabel = "V", description = "Version string (default: 1.0.0, or the one after the highest: its last number plus one, as 1.0.9 -> 1.0.10 or 2.0.0-rc1 -> 2.0.0-rc2; one with no number gains .1).")
  String version;

  @Option(names = "--parents", paramLabel = "ID", arity = "1..*", split = ",", description = "Parent versions (space- or comma-separated), merged in order: three-way against their nearest common ancestor (a change on one side wins, deletions too), else as a union; where both sides changed a path, the later parent wins.")
  List<String> parents = new ArrayList<>();

  @Option(names = "--tags", paramLabel = "T", arity = "1..*", split = ",", converter = Trimmed.class, description = "Tags (space- or comma-separated).")
  List<String> tags = new ArrayList<>();

  @Option(names = "--description", paramLabel = "D", description = "Description.")
  String description;

  @Option(names = {"--storage", "--output-uri"}, paramLabel = "URI", description = "Remote of this version: its version string is reserved there, and close uploads to it "
      + "(default: $CAIRN_STORAGE or remote.default, else the parents' remote).")
  String storage;

  @Option(names = "--fail-on-conflict", description = "Refuse to create the version if parents disagree about a path.")
  boolean failOnConflict;

  @Override
  boolean createsRepository() {
    return true;
  }

  @Override
  String remoteOfNewRepository() {
    return storage;
  }

  @Override
  int run() throws Exception {
    List<String> ps = new ArrayList<>();
    for (String p : parents) {
      ps.add(localOrFetched(p));
    }
    String proj = project;
    if (proj == null && !ps.isEmpty()) {
      proj = repo().get(ps.get(ps.size() - 1)).project();
    } else if (proj == null) {
      proj = projectHolding(name, storage != null ? storage : repo().defaultStorage());
    }
    String remote = storage != null ? storage : repo().defaultStorage();
    // Without parents, the dataset's own versions stand for them: a new version of a dataset on a
    // remote goes there too.
    String inherited = remote == null ? parentsRemoteFor(ps.isEmpty() ? latestOf(proj, name) : ps) : null;
    if (inherited != null) {
      remote = inherited;
    }
    boolean remoteExisted = remote == null || inherited != null || holdsCairnData(remote);
    if (storage == null && inherited == null) {
      requireDefaultRemoteThere(remote, remoteExisted, "Did not create " + DatasetRepository.label(proj, name), "");
    } else if (!remoteExisted) {
      requireNotMistyped(storage, "Did not create " + DatasetRepository.label(proj, name));
    }
    CreateOptions.Builder options = CreateOptions.of(proj, name).version(version).parents(ps).tags(tags).description(description)
        .failOnConflict(failOnConflict);
    Dataset ds;
    try {
      ds = Dataset.create(repo(), options.storage(remote).build());
    } catch (StorageException unusable) {
      if (inherited == null) {
        throw unusable;
      }
      // A default the user did not ask for: its remote unreachable or read-only is no reason to fail.
      remotes().parentsRemoteUnusable(inherited, unusable);
      inherited = null;
      ds = Dataset.create(repo(), options.storage(null).build());
    }
    if (!remoteExisted) {
      noteNewRemote(remote);
    }
    if (inherited != null) {
      remotes().parentsRemoteTaken(ds, inherited, "close --disable-upload");
    }
    DatasetRecord r = ds.record();
    noteMergeDrops(ds, r);
    noteBasesNotHere(ds, r);
    for (String tied : r.parents().size() < 2 ? List.<String>of() : ds.parentsMergedAsUnion()) {
      note(DatasetRecord.shortId(tied) + " shares no single nearest ancestor with the parents before it (criss-cross"
          + " merges): it was laid over them as a union, so a file one side deleted since may be back (cairn show lists the conflicts)");
    }
    if (json) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("id", r.id());
      m.put("project", r.project());
      m.put("name", r.name());
      m.put("version", r.version());
      m.put("state", r.state().label());
      m.put("parents", r.parents());
      m.put("tags", r.tags());
      m.put("conflicts", Views.conflicts(r, r.conflicts().isEmpty() ? Set.of() : ds.conflictsResolvedByDeletion()));
      printJson(m);
    } else {
      out().printf("New dataset created id=%s%n", r.id());
      out().printf("%s%s version %s, %s from %s%n", r.project().isEmpty() ? "" : r.project() + " / ", r.name(),
          r.version(), Format.count(r.fileCount(), "file"), r.parents().isEmpty() ? "no parent" : Format.count(r.parents().size(), "parent"));
      if (!r.tags().isEmpty()) {
        out().printf("tagged %s%n", String.join(", ", r.tags()));
      }
      if (!r.conflicts().isEmpty()) {
        out().printf("%s between parents; the later parent won (see 'cairn show --id %s')%n",
            Format.count(r.conflicts().size(), "conflicting path"), r.shortId());
      }
    }
    return 0;
  }

  /** The dataset's highest closed version here, as a list of its id (empty: none). */
  private List<String> latestOf(String proj, String nm) throws IOException {
    try {
      Dataset latest = repo().get(proj, nm, null, true);
      return latest.record().isDraft() ? List.of() : List.of(latest.id());
    } catch (DatasetNotFoundException none) {
      return List.of();
    }
  }

  /**
   * A merge of parents that share an ancestor keeps what each side deleted since it, as Git's
   * does: train and val splits of one set merge to little. A note says how many files a parent
   * holds that the merge left out, and what lays the versions over each other instead.
   */
  private void noteMergeDrops(Dataset ds, DatasetRecord r) throws IOException {
    if (r.parents().size() < 2) {
      return;
    }
    Set<String> dropped = new HashSet<>();
    for (String p : r.parents()) {
      for (DiffEntry d : ds.compare(repo().get(p))) {
        // The losing side of a conflict (a file against a folder, say) is reported as a conflict, not here.
        if (d.type() == DiffEntry.ChangeType.REMOVED
            && r.conflicts().stream().noneMatch(c -> DatasetPaths.isUnder(d.path(), c.path()))) {
          dropped.add(d.path());
        }
      }
    }
    if (!dropped.isEmpty()) {
      note("the merge leaves out " + Format.count(dropped.size(), "file") + " that a parent holds: deleted on"
          + " another side since their common ancestor, as a Git merge keeps a deletion; cairn squash --ids "
          + String.join(" ", r.parents().stream().map(DatasetRecord::shortId).toList()) + " lays the versions over each other instead");
    }
  }

  /**
   * A parent's id: local, else fetched (its record and manifest, as {@code list --storage} does)
   * from the new version's remote or the default one.
   */
  private String localOrFetched(String parent) throws IOException {
    try {
      return repo().get(parent).id();
    } catch (DatasetNotFoundException notLocal) {
      String remote = storage != null ? storage : repo().defaultStorage();
      if (remote == null) {
        String msg = notLocal.getMessage();
        int hint = msg.indexOf(" (a version only a remote holds");
        throw new DatasetNotFoundException((hint < 0 ? msg : msg.substring(0, hint)) + " (a parent only a remote holds is fetched"
            + " with it when create is given --storage URI)");
      }
      return repo().fetch(parent, Selection.NONE, remote, null, progress()).id();
    }
  }
}
