package dev.cairn.cli;

import dev.cairn.dataset.Dataset;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "move", description = {"Move a dataset (all its versions) to another project.", "Refused when a dataset of that project has its name, here or, by version, on its remotes."})
final class MoveCommand extends Base {
  @Option(names = "--project", paramLabel = "P", description = "Current project.")
  String project;

  @Option(names = "--name", paramLabel = "N", required = true, description = "Dataset name.")
  String name;

  @Option(names = "--new-project", paramLabel = "P", required = true, description = "Project to move to.")
  String newProject;

  @Override
  int run() throws Exception {
    Dataset ds = repo().get(project, name, null);
    String oldProject = ds.project();
    int versions = ds.moveToProject(newProject);
    if (json) {
      printJson(RenameCommand.result(oldProject, name, ds, versions));
    } else if (versions == 0) {
      out().printf("%s is already in project %s: nothing moved%n", name, newProject);
    } else {
      out().printf("Moved %s to project %s (%s)%n", name, newProject, Format.count(versions, "version"));
    }
    return 0;
  }
}
