package dev.cairn.cli;

import dev.cairn.dataset.Dataset;
import dev.cairn.dataset.DatasetRecord;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "squash", description = "Create a closed version without parents holding the merge of versions (later wins).")
final class SquashCommand extends Base {
  @Option(names = "--name", paramLabel = "N", required = true, description = "Name of the new version.")
  String name;

  @Option(names = "--project", paramLabel = "P", description = "Project (default: that of the last id).")
  String project;

  @Option(names = "--ids", paramLabel = "ID", arity = "1..*", split = ",", converter = Trimmed.class, required = true, description = "Versions to merge, in order (space- or comma-separated).")
  List<String> ids;

  @Override
  int run() throws Exception {
    Dataset ds = Dataset.squash(repo(), project, name, ids);
    DatasetRecord r = ds.record();
    if (json) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("id", r.id());
      m.put("project", r.project());
      m.put("name", r.name());
      m.put("version", r.version());
      m.put("files", r.fileCount());
      printJson(m);
    } else {
      out().printf("Squashed dataset created id=%s (%s)%n", r.id(), Format.count(r.fileCount(), "file"));
    }
    return 0;
  }
}
