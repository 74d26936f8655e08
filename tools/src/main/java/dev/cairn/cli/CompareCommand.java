package dev.cairn.cli;

import dev.cairn.dataset.Catalog;
import dev.cairn.dataset.ChangeSummary;
import dev.cairn.dataset.Dataset;
import dev.cairn.dataset.Selection;
import dev.cairn.manifest.DiffEntry;
import dev.cairn.storage.Storages;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "compare", description = "Compare two versions: what changed from --source to --target.")
final class CompareCommand extends Base {
  @Option(names = "--source", paramLabel = "ID", required = true, description = "The baseline version: its id (or a unique prefix of 8+"
      + " hex digits), or with --name its version string.")
  String source;

  @Option(names = "--target", paramLabel = "ID", required = true, description = "The version compared with it, named as --source is.")
  String target;

  @Option(names = "--name", paramLabel = "N", description = "A dataset whose versions --source and --target name by their version strings"
      + " (compare --name pets --source 1.0.0 --target 1.0.3), as dvc diff takes two revisions.")
  String name;

  @Option(names = "--project", paramLabel = "P", description = "Project of the dataset (with --name).")
  String project;

  @Option(names = "--verbose", description = "List the paths, not only the counts (--json lists them always).")
  boolean verbose;

  @Option(names = "--storage", paramLabel = "URI", description = "Fetch from this remote the records and manifests of the versions that are"
      + " not here (no file data).")
  String storage;

  @Override
  String existingRemote() {
    return storage;
  }

  @Override
  int run() throws Exception {
    if (storage != null) {
      Storages.parse(storage); // refused as other commands refuse it, though both versions may be here
    }
    if (project != null && name == null) {
      throw new UsageException("Cannot compare by --project without --name: add --name N, whose version strings --source and --target"
          + " then are");
    }
    Dataset src = versionFor(source);
    Dataset dst = versionFor(target);
    List<DiffEntry> diff = dst.compare(src);
    if (json) {
      // The fields of the web's /api/compare, every change at once (no paging, no stored_in).
      ChangeSummary summary = ChangeSummary.EMPTY;
      List<Object> changes = new ArrayList<>();
      for (DiffEntry d : diff) {
        summary = summary.plus(d);
        changes.add(Views.change(d));
      }
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("source", Views.version(src.record()));
      m.put("target", Views.version(dst.record()));
      m.put("summary", new TreeMap<>(summary.toJson()));
      m.put("changes", changes);
      printJson(m);
      return 0;
    }
    if (verbose) {
      printPaths(diff);
    }
    ChangeSummary summary = ChangeSummary.EMPTY;
    for (DiffEntry d : diff) {
      summary = summary.plus(d);
    }
    out().printf("%d removed, %d modified, %d added%n", summary.removed(), summary.modified(), summary.added());
    return 0;
  }

  private Dataset versionFor(String id) throws IOException {
    if (name != null) {
      VersionSelector byString = new VersionSelector();
      byString.project = project;
      byString.name = name;
      byString.version = id;
      return selectOrFetch(byString, storage);
    }
    Catalog.requireIdForm(id);
    if (storage == null) {
      return requireLocal(repo().get(id));
    }
    Dataset ds = repo().fetch(id, Selection.NONE, storage, null, progress()).invokedAs(spec.name(), argv());
    catchUpFrom(ds, storage); // the remote's newer record, as show takes it; a note if the remote cannot be read
    return ds;
  }
}
