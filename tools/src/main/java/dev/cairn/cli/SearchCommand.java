package dev.cairn.cli;

import dev.cairn.dataset.DatasetRecord;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "search", description = "List dataset versions, oldest first.")
final class SearchCommand extends Base {
  @Option(names = "--project", paramLabel = "P", description = "Only this project.")
  String project;

  @Option(names = "--name", paramLabel = "N", description = "Only names matching this regular expression (case-insensitive).")
  String name;

  @Option(names = "--tags", paramLabel = "T", arity = "1..*", description = "Only versions carrying all these tags.")
  List<String> tags = new ArrayList<>();

  @Option(names = "--ids", paramLabel = "ID", arity = "1..*", description = "Only these versions (ids or prefixes).")
  List<String> ids = new ArrayList<>();

  @Override
  int run() throws Exception {
    List<DatasetRecord> found = new ArrayList<>(repo().list(project, name, tags));
    if (!ids.isEmpty()) {
      List<String> full = new ArrayList<>();
      for (String i : ids) {
        full.add(repo().catalog().resolve(i));
      }
      found.removeIf(r -> !full.contains(r.id()));
    }
    if (json) {
      printJson(found.stream().map(Views::version).toList());
      return 0;
    }
    out().printf("%-16s | %-20s | %-9s | %-9s | %-16s | %-19s | %s%n", "project", "name", "version", "state", "tags", "created", "id");
    for (DatasetRecord r : found) {
      out().printf("%s | %s | %s | %s | %s | %s | %s%n", Format.col(r.project(), 16), Format.col(r.name(), 20),
          Format.col(r.version(), 9), Format.col(r.state().label(), 9), Format.col(String.join(",", r.tags()), 16),
          Format.time(r.createdMillis()), r.id());
    }
    return 0;
  }
}
