package dev.cairn.cli;

import dev.cairn.dataset.Dataset;
import dev.cairn.dataset.RemoveOptions;
import dev.cairn.errors.DatasetStateException;
import dev.cairn.manifest.DiffEntry;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "remove", description = "Remove files from a draft version (paths or patterns inside the dataset).")
final class RemoveCommand extends Base {
  @Mixin VersionSelector selector;

  @Option(names = "--files", paramLabel = "GLOB", arity = "1..*", required = true,
      description = "Paths, folders or patterns inside the dataset (data/*.jpg, data/jsons), or the links of external files"
          + " (s3a://bucket/raw/*.jpg).")
  List<String> files;

  @Option(names = "--non-recursive", description = "A folder removes only its direct files, and a pattern only the files it matches itself, from the dataset's root"
      + " (img?.jpg is not flat/img3.jpg; not the files of folders it matches).")
  boolean nonRecursive;

  @Option(names = "--ignore-unmatch", description = "Pass over a path or pattern that matches no file, with a warning, instead of"
      + " removing nothing (as git rm's option; clearml-data removes what matches without a word).")
  boolean ignoreUnmatch;

  @Option(names = "--verbose", description = "List each path removed (--json: changes).")
  boolean verbose;

  @Override
  int run() throws Exception {
    Dataset ds = select(selector);
    Dataset.Change c;
    try {
      c = ds.removeFiles(new RemoveOptions(files, !nonRecursive, ignoreUnmatch), progress());
    } catch (DatasetStateException refused) {
      throw notingOpenDraft(selector, ds, refused);
    }
    List<DiffEntry> paths = verbose ? c.paths() : null;
    if (json) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("id", ds.id());
      m.put("removed", c.summary().removed());
      m.put("files", ds.record().fileCount());
      if (paths != null) {
        m.put("changes", changesJson(paths));
      }
      printJson(m);
    } else {
      if (paths != null) {
        printPaths(paths);
      }
      out().printf("%s removed; version now holds %s%n", Format.count(c.summary().removed(), "file"),
          Format.count(ds.record().fileCount(), "file"));
    }
    return 0;
  }
}
