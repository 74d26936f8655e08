package dev.cairn.cli;

import dev.cairn.dataset.Dataset;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "rename", description = "Rename a dataset (all its versions). Refused when another dataset of the project has the new "
    + "name, here or, by version, on its remotes, and while a remote holds versions of it that are not here (get them first).")
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
    String oldProject = ds.project();
    int versions = ds.rename(newName);
    if (versions > 0) {
      remotes().datasetChangedHere(ds);
    }
    if (json) {
      printJson(result(oldProject, name, ds, versions));
    } else if (versions == 0) {
      out().printf("%s is already named %s: nothing renamed%n", name, newName);
    } else {
      out().printf("Renamed %s to %s (%s)%n", name, newName, Format.count(versions, "version"));
    }
    return 0;
  }

  /** The JSON of a rename or move: where the dataset was, where it is, how many versions moved. */
  static Map<String, Object> result(String oldProject, String oldName, Dataset ds, int versions) throws IOException {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("old_project", oldProject);
    m.put("old_name", oldName);
    m.put("project", ds.project());
    m.put("name", ds.name());
    m.put("versions", versions);
    return m;
  }
}
