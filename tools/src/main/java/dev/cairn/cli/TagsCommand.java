package dev.cairn.cli;

import dev.cairn.dataset.Dataset;
import dev.cairn.manifest.DatasetPaths;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "tags", description = "Show, add or remove a version's tags (the web UI's Add Tag). Changed after an upload, they are "
    + "sent to the remotes the version is on at once.")
final class TagsCommand extends Base {
  @Mixin VersionSelector selector;

  @Option(names = "--add", paramLabel = "T", arity = "1..*", split = ",", converter = Trimmed.class, description = "Tags to add (space- or comma-separated).")
  List<String> add = new ArrayList<>();

  @Option(names = "--remove", paramLabel = "T", arity = "1..*", split = ",", converter = Trimmed.class,
      description = "Tags to remove; an error, changing nothing, if the version lacks one.")
  List<String> remove = new ArrayList<>();

  @Override
  boolean readsOnly() {
    return add.isEmpty() && remove.isEmpty(); // only shown: the version stays the current one it was
  }

  @Override
  int run() throws Exception {
    for (String t : add) {
      if (remove.contains(t)) { // options that do not go together: said before any version is read
        throw badValue("Cannot both add and remove tag '" + DatasetPaths.printable(t) + "'");
      }
    }
    Dataset ds = select(selector);
    if (!add.isEmpty() || !remove.isEmpty()) {
      VersionRemotes.Before before = remotes().takeNewerRecords(ds);
      ds.editTags(add, remove);
      remotes().sendRecordChange(ds, before);
    }
    List<String> tags = ds.tags();
    if (json) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("id", ds.id());
      m.put("tags", tags);
      printJson(m);
    } else if (tags.isEmpty()) {
      out().printf("%s has no tags%n", ds.id());
    } else {
      tags.forEach(t -> out().println(t));
    }
    return 0;
  }
}
