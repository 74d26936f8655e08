package dev.cairn.cli;

import dev.cairn.dataset.AddOptions;
import dev.cairn.dataset.Dataset;
import dev.cairn.dataset.LinkOptions;
import dev.cairn.errors.DatasetStateException;
import dev.cairn.manifest.DiffEntry;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "add", description = "Add files or folders (or an archive) to a draft version.")
final class AddCommand extends Base {
  @Mixin VersionSelector selector;
  @Mixin WorkersOption workers;

  @Option(names = "--files", paramLabel = "PATH", arity = "1..*", description = "Files or folders; a folder adds its contents. A quoted"
      + " pattern ('data/a/*.jpg') that no file is named after adds the matching files of its leading folder (data/a) at any depth,"
      + " relative to it, as --files data/a --wildcard '*.jpg' would.")
  List<Path> files = new ArrayList<>();

  @Option(names = "--wildcard", paramLabel = "GLOB", arity = "1..*", description = "Add only files (of --files and --links) whose relative path or name matches; an error if no file does.")
  List<String> wildcards = new ArrayList<>();

  @Option(names = "--exclude", paramLabel = "GLOB", arity = "1..*", description = "Leave out each file or folder (of --files) whose path"
      + " relative to the folder given, or whose name, matches ('.git', '*.tmp', '/build'); a folder that matches is not read at all.")
  List<String> excludes = new ArrayList<>();

  @Option(names = "--dataset-folder", paramLabel = "DIR", description = "Folder inside the dataset to add under (default: the root); a leading / also means the dataset's root.")
  String datasetFolder = "";

  @Option(names = "--non-recursive", description = "Do not descend into subfolders (of --files and --links).")
  boolean nonRecursive;

  @Option(names = "--archive", paramLabel = "FILE", description = "Import the files of a .zip, .tar, .tar.gz (.tgz) or .tar.zst (.tzst) archive.")
  Path archive;

  @Option(names = "--rehash", description = "Read every file, even those unchanged since they were last hashed.")
  boolean rehash;

  @Option(names = "--skip-refused", description = "In the folders of --files, pass over each file or folder whose name cannot be a"
      + " dataset path (invalid UTF-8, a control character, a backslash, a Unicode-normalization twin, a name too long), with a warning,"
      + " instead of adding nothing.")
  boolean skipRefused;

  @Option(names = "--links", paramLabel = "URI", arity = "1..*",
      description = "External files or folders that stay where they are (s3a://, hdfs://, gs://, abfss://, paths; an"
          + " http(s):// URL names one file).")
  List<String> links = new ArrayList<>();

  @Option(names = "--verbose", description = "List each path the add changed (--json: changes).")
  boolean verbose;

  /**
   * As {@link Base#argv}, with each file, folder and archive as an absolute path: the log is read
   * from anywhere, and a sync logs its folder so too.
   */
  @Override
  List<String> argv() {
    List<String> out = new ArrayList<>();
    String option = null;
    for (String a : super.argv()) {
      if (a.startsWith("--") && spec.findOption(a) != null) {
        option = a;
        out.add(a);
      } else if (("--files".equals(option) || "--archive".equals(option)) && !a.isEmpty()) {
        out.add(Path.of(a).toAbsolutePath().normalize().toString());
      } else {
        out.add(a);
      }
    }
    return out;
  }

  @Override
  int run() throws Exception {
    if (files.isEmpty() && archive == null && links.isEmpty()) {
      throw badValue("Cannot add: give --files PATH ..., --links URI ... or --archive FILE");
    }
    if (files.isEmpty() && links.isEmpty() && (!wildcards.isEmpty() || nonRecursive)) {
      throw new UsageException("Cannot add: --wildcard and --non-recursive apply to --files and --links, and neither was given");
    }
    if (files.isEmpty() && (rehash || skipRefused || !excludes.isEmpty())) {
      throw new UsageException("Cannot add: " + (rehash ? "--rehash" : skipRefused ? "--skip-refused" : "--exclude")
          + " applies to --files, and none was given");
    }
    Dataset ds = select(selector);
    // One change: when a source fails, the draft keeps none of the others either.
    AddOptions given = files.isEmpty() ? null : new AddOptions(files, wildcards, datasetFolder, !nonRecursive, rehash, skipRefused, excludes);
    Dataset.Change c;
    try {
      c = ds.add(given, archive, new LinkOptions(links, wildcards, !nonRecursive), datasetFolder, progress());
    } catch (DatasetStateException refused) {
      throw notingOpenDraft(selector, ds, refused);
    }
    print(this, ds, c, verbose ? c.paths() : null);
    return 0;
  }

  /** @param paths what changed path by path, or null when not asked for */
  static void print(Base cmd, Dataset ds, Dataset.Change c, List<DiffEntry> paths) throws IOException {
    if (cmd.json) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("id", ds.id());
      m.put("added", c.summary().added());
      m.put("modified", c.summary().modified());
      m.put("removed", c.summary().removed());
      m.put("files_read", c.filesRead());
      m.put("stored_bytes", c.storedBytes());
      m.put("files", ds.record().fileCount());
      if (paths != null) {
        m.put("changes", changesJson(paths));
      }
      cmd.printJson(m);
    } else {
      if (paths != null) {
        cmd.printPaths(paths);
      }
      cmd.out().printf("%s added, %d modified, %d removed (%s read, %s newly stored); version now holds %s%n",
          Format.count(c.summary().added(), "file"), c.summary().modified(), c.summary().removed(),
          Format.count(c.filesRead(), "file"), Format.bytes(c.storedBytes()), Format.count(ds.record().fileCount(), "file"));
    }
  }
}
