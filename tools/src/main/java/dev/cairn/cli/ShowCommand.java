package dev.cairn.cli;

import dev.cairn.dataset.Dataset;
import dev.cairn.dataset.DatasetRecord;
import dev.cairn.dataset.DatasetRepository;
import dev.cairn.manifest.DatasetPaths;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * One version's record, whole: what {@code GET /api/versions/{id}} returns, as {@code git show}
 * shows a commit. The only place besides the web UI where a merge's conflicting paths are listed as
 * JSON.
 */
@Command(name = "show", description = "Show a version's record: state, parents, size, change-set, conflicts, metadata. With --json: the "
    + "version detail of the web API, without its runs (tools/README.md; cairn runs lists them).")
final class ShowCommand extends Base {
  @Mixin VersionSelector selector;

  @Option(names = "--storage", paramLabel = "URI", description = "Fetch the version's record and manifest from this remote if they are not"
      + " local (its files come as needed); with --name, the remote's highest version.")
  String storage;

  @Option(names = "--lineage", description = "Instead, list the version and each of its ancestors, one a line, each with its parents, children"
      + " before their parents (clearml's get_dependency_graph; --json: an object of each id to its parents' ids).")
  boolean lineage;

  @Override
  String existingRemote() {
    return storage != null ? storage : DatasetRepository.environmentStorage(); // a new teammate's first command makes the repository
  }

  @Override
  boolean readsOnly() {
    return true;
  }

  @Override
  boolean asksTeamRemote() {
    return true;
  }

  @Override
  int run() throws Exception {
    Dataset ds = storage != null ? selectOrFetch(selector, storage) : selectHereOrFromTeam(selector);
    if (lineage) {
      return printLineage(ds);
    }
    DatasetRecord r = ds.record();
    Set<String> deleted = ds.conflictsResolvedByDeletion();
    if (json) {
      printJson(Views.versionDetail(r, deleted));
      return 0;
    }
    line("version", r.id());
    line("dataset", (r.project().isEmpty() ? "" : r.project() + " / ") + r.name() + ", version " + r.version());
    String state = r.state().label() + " (created " + Format.time(r.createdMillis())
        + (r.closedMillis() > 0 ? ", closed " + Format.time(r.closedMillis()) : "")
        + (r.publishedMillis() > 0 ? ", published " + Format.time(r.publishedMillis()) : "") + ")";
    line("state", state);
    List<String> parents = new ArrayList<>();
    for (String p : r.parents()) {
      parents.add(DatasetRecord.shortId(p) + " (" + parentLabel(p) + ")");
    }
    line("parents", parents.isEmpty() ? "none" : String.join(", ", parents));
    if (!r.tags().isEmpty()) {
      line("tags", String.join(", ", r.tags()));
    }
    line("content", Format.count(r.fileCount(), "file") + ", " + Format.bytes(r.totalBytes()));
    line("changes", String.format("%d added, %d modified, %d removed; %s", r.summary().added(), r.summary().modified(),
        r.summary().removed(), r.wasRecovered() && r.storedBytes() == 0 ? "newly stored: not known (the record was recovered from the"
            + " version object, which does not keep it)" : Format.bytes(r.storedBytes()) + " newly stored"));
    if (r.storage() != null) {
      line("storage", r.storage());
    }
    if (!r.description().isEmpty()) {
      line("description", r.description());
    }
    for (Map.Entry<String, String> e : new TreeMap<>(r.metadata()).entrySet()) {
      // One line a key, escaped as the metadata command prints it (a newline as \x0a): a value never reads as another key.
      line("metadata", DatasetPaths.printable(e.getKey()) + "=" + DatasetPaths.printable(e.getValue()));
    }
    if (!r.conflicts().isEmpty()) {
      line("conflicts", ConflictLines.header(r));
      ConflictLines.print(out(), r, deleted, ds.conflictsChangedSinceMerge());
    }
    return 0;
  }

  /**
   * The lineage DAG, as the web UI draws it: {@code id  project/name version  <- parent ids}, the
   * version first, then its ancestors breadth first; a deleted ancestor is followed through its
   * version object and said to be deleted.
   */
  private int printLineage(Dataset ds) throws IOException {
    Dataset.Ancestry ancestry = ds.ancestry();
    Map<String, List<String>> graph = ancestry.parents();
    Set<String> unknown = ancestry.unknownParents();
    if (json) {
      printJsonAsIs(graph); // keyed by ids: notes stay on stderr, not among them
      for (String id : unknown) { // its empty list is not a root's
        note(DatasetRecord.shortId(id) + " (" + parentLabel(id) + ") is listed without parents: they are not known here");
      }
      return 0;
    }
    for (Map.Entry<String, List<String>> e : graph.entrySet()) {
      out().printf("%s  %s%s%n", DatasetRecord.shortId(e.getKey()), lineageLabel(e.getKey()),
          unknown.contains(e.getKey()) ? "  <- parents not known here" : e.getValue().isEmpty() ? ""
          : "  <- " + String.join(", ", e.getValue().stream().map(DatasetRecord::shortId).toList()));
    }
    return 0;
  }

  /**
   * "label:      value", a value of several lines indented under its first; other control
   * characters (an escape sequence in a description) print as {@code \xNN}.
   */
  private void line(String label, String value) {
    String[] lines = value.split("\n", -1);
    for (int i = 0; i < lines.length; i++) {
      lines[i] = DatasetPaths.printable(lines[i]);
    }
    out().printf("%-12s %s%n", label + ":", String.join("\n" + " ".repeat(13), lines));
  }

  /** A version's project/name and version string, or why they cannot be given. */
  private String lineageLabel(String id) throws IOException {
    if (!repo().catalog().exists(id)) {
      return parentLabel(id);
    }
    try {
      DatasetRecord v = repo().catalog().read(id);
      return DatasetPaths.printable(DatasetRepository.label(v.project(), v.name())) + " " + v.version();
    } catch (IOException e) {
      return "unreadable record";
    }
  }

  /** A parent's name and version, or why it cannot be given. */
  private String parentLabel(String id) throws IOException {
    if (!repo().catalog().exists(id)) {
      String there = repo().catalog().deletedThere(id);
      return repo().catalog().wasDeleted(id) ? "deleted" : there != null ? "deleted on " + there : "not in this repository";
    }
    try {
      DatasetRecord p = repo().catalog().read(id);
      return p.name() + " " + p.version();
    } catch (IOException e) {
      return "unreadable record";
    }
  }
}
