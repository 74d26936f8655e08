package dev.cairn.cli;

import dev.cairn.dataset.Dataset;
import dev.cairn.dataset.DatasetRepository;
import dev.cairn.errors.DatasetNotFoundException;
import dev.cairn.errors.InvalidInputException;
import java.io.IOException;
import picocli.CommandLine.Option;

/**
 * Picks a version: {@code --id ID} (or an 8+ digit prefix), or {@code --project P --name N
 * [--version V]} (highest version without {@code --version}), else the version last created or used.
 */
final class VersionSelector {
  @Option(names = "--id", paramLabel = "ID", description = "Version id, or a unique prefix of 8+ hex digits; without it or --name, the last version created or used (but"
      + " delete, which must be told).")
  String id;

  @Option(names = "--project", paramLabel = "P", description = "Project of the dataset (with --name).")
  String project;

  @Option(names = "--name", paramLabel = "N", description = "Dataset name: picks its highest version (get and publish: its highest closed one, as clearml-data gets a finalized"
      + " version; of a dataset with drafts only, the highest draft, which get --copy copies), or --version.")
  String name;

  @Option(names = "--version", paramLabel = "V", description = "Version string (with --name).")
  String version;

  /** Refuses options that pick a version two ways, or that pick none alone (they would be ignored). */
  void validate() throws InvalidInputException {
    if (id != null && (name != null || project != null || version != null)) {
      throw new UsageException("Cannot pick a version by --id and by --project/--name/--version at once: give one or the other");
    }
    if (name == null && (project != null || version != null)) {
      throw new UsageException("Cannot pick a version by " + (project != null && version != null
          ? "--project and --version" : version != null ? "--version" : "--project") + " without --name: add --name N");
    }
  }

  Dataset resolve(DatasetRepository repo) throws IOException {
    return resolve(repo, false);
  }

  /** As {@link #resolve(DatasetRepository)}; by name, with {@code onlyClosed}, the highest closed version. */
  Dataset resolve(DatasetRepository repo, boolean onlyClosed) throws IOException {
    validate();
    Dataset ds;
    if (id != null) {
      ds = repo.get(id);
    } else if (name != null) {
      try {
        ds = repo.get(project, name, version, onlyClosed);
      } catch (DatasetNotFoundException onlyDrafts) {
        if (!onlyClosed) {
          throw onlyDrafts;
        }
        // A draft, then (or nothing: said by the lookup below): get --copy copies it, and a cached copy is refused, saying why.
        ds = repo.get(project, name, version, false);
      }
    } else {
      ds = Base.requireCurrent(repo);
    }
    repo.catalog();
    return ds;
  }
}
