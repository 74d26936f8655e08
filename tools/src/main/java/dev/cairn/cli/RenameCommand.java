package dev.cairn.cli;

import dev.cairn.dataset.Dataset;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "rename", description = "Rename a dataset (all its versions).")
final class RenameCommand extends Base {
  @Option(names = "--project", paramLabel = "P", description = "Project of the dataset.")
  String project;

  @Option(names = "--name", paramLabel = "N", required = true, description = "Current name.")
  String name;

  @Option(names = "--new-name", paramLabel = "N", required = true, description = "New name.")
  String newName;

  @Override
  int run() throws Exception {
    Dataset ds = repo().get(project, name, null);
    ds.rename(newName);
    if (json) {
      printJson(Map.of("project", ds.project(), "name", ds.name()));
    } else {
      out().printf("Renamed %s to %s%n", name, newName);
    }
    return 0;
  }
}
