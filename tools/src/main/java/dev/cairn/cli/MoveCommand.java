package dev.cairn.cli;

import dev.cairn.dataset.Dataset;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "move", description = "Move a dataset (all its versions) to another project. Refused when a dataset of that project has "
    + "its name, here or, by version, on its remotes, and while a remote holds versions of it that are not here (get them first).")
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
    if (versions > 0) {
      remotes().datasetChangedHere(ds);
    }
    if (json) {
      printJson(RenameCommand.result(oldProject, name, ds, versions));
    } else {
      String where = newProject.isEmpty() ? "no project" : "project " + newProject;
      out().println(versions == 0 ? name + " is already in " + where + ": nothing moved"
          : "Moved " + name + " to " + where + " (" + Format.count(versions, "version") + ")");
    }
    return 0;
  }
}
