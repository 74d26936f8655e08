package dev.cairn.cli;

import dev.cairn.dataset.Dataset;
import dev.cairn.manifest.DiffEntry;
import dev.cairn.manifest.FileEntry;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "list", description = "List the files of a version (no download needed).")
final class ListCommand extends Base {
  @Mixin VersionSelector selector;

  @Option(names = "--filter", paramLabel = "GLOB", arity = "1..*", description = "Only paths matching (a folder/ or a pattern).")
  List<String> filters = new ArrayList<>();

  @Option(names = "--modified", description = "Only the change-set: files this version added or modified.")
  boolean modified;

  @Option(names = "--storage", paramLabel = "URI", description = "Fetch the version's manifest from this remote if it is not local.")
  String storage;

  @Override
  int run() throws Exception {
    Dataset ds = storage != null && selector.id != null
        ? repo().fetch(selector.id, dev.cairn.dataset.Selection.NONE, storage, null, progress()).invokedAs("list", argv())
        : select(selector);
    List<String> patterns = new ArrayList<>();
    for (String f : filters) {
      patterns.add(f.endsWith("/") ? f + "**" : f);
    }
    List<FileEntry> files;
    if (modified) {
      files = new ArrayList<>();
      List<dev.cairn.dataset.Glob> gs = patterns.stream().map(dev.cairn.dataset.Glob::of).toList();
      for (DiffEntry d : ds.changes()) {
        if (d.type() != DiffEntry.ChangeType.REMOVED && (gs.isEmpty() || gs.stream().anyMatch(g -> g.matches(d.path())))) {
          files.add(d.newEntry());
        }
      }
    } else {
      files = ds.listFiles(patterns);
    }
    if (json) {
      printJson(files.stream().map(Views::file).toList());
      return 0;
    }
    int width = Math.max(9, Math.min(80, files.stream().mapToInt(e -> e.path().length()).max().orElse(9)));
    out().printf("%s | %12s | %s%n", Format.col("file name", width), "size", "hash");
    long total = 0;
    for (FileEntry e : files) {
      out().printf("%s | %12d | %s%n", Format.col(e.path(), width), e.size(), e.digest().hex());
      total += e.size();
    }
    out().printf("Total %d files, %d bytes%n", files.size(), total);
    List<dev.cairn.dataset.Conflict> conflicts = ds.record().conflicts();
    if (!conflicts.isEmpty()) {
      out().printf("%d path(s) conflicted between parents; the later parent won:%n", conflicts.size());
      for (dev.cairn.dataset.Conflict c : conflicts) {
        out().printf("  %s (parents %s; took %s)%n", c.path(),
            String.join(", ", c.parents().stream().map(p -> p.substring(0, 8)).toList()), c.winner().substring(0, 8));
      }
    }
    return 0;
  }
}
