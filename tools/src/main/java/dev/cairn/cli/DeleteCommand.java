package dev.cairn.cli;

import dev.cairn.dataset.Dataset;
import dev.cairn.dataset.DatasetRecord;
import dev.cairn.dataset.DatasetRepository;
import dev.cairn.dataset.Progress;
import dev.cairn.errors.DatasetNotFoundException;
import dev.cairn.internal.json.Json;
import dev.cairn.transport.Fetcher;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

@Command(name = "delete", description = "Delete a version; the next gc frees the data no remaining version needs. A child keeps its "
    + "parents' data: its id names its whole history, as a Git commit's does. Name it: --id, or --name "
    + "(and --project, --version); unlike other commands, delete never falls back to the last version "
    + "used.")
final class DeleteCommand extends Base {
  @Mixin VersionSelector selector;

  @Option(names = "--force", description = "Delete even if it is published, or if closed versions have it as a parent (never while a draft does: it could not be closed).")
  boolean force;

  @Option(names = "--storage", paramLabel = "URI", description = "Delete the version from this remote (its data goes at the remote's next gc).")
  String storage;

  @Option(names = "--entire-dataset", description = "Delete every version of the dataset named (by --name, or by the version --id names); needs --force. Not with --storage.")
  boolean entireDataset;

  @Override
  String existingRemote() {
    return storage;
  }

  @Override
  int run() throws Exception {
    selector.validate();
    if (storage != null) {
      if (entireDataset) {
        throw new ParameterException(spec.commandLine(), "Cannot delete an entire dataset from a remote: delete its versions one by one"
            + " (--id, or --name with --version)");
      }
      if (selector.id == null && selector.name == null) {
        throw new ParameterException(spec.commandLine(), "Cannot delete from a remote: name the version with --id ID (or --name N);"
            + " delete never takes the last version used");
      }
      // By name, the version the remote holds (its highest without --version), as get --storage finds it.
      String wanted = selector.id != null ? selector.id : repo().resolveRemote(storage, null, selector.project, selector.name, selector.version);
      boolean deleted;
      String id;
      try (var remote = repo().openRemote(storage)) {
        id = new Fetcher(repo(), remote, Progress.NONE).resolve(wanted);
        deleted = remote.deleteVersion(id, force);
      }
      if (!deleted) {
        throw new DatasetNotFoundException("Cannot delete " + wanted + ": " + storage + " does not hold it");
      }
      if (json) {
        printJson(Json.object("id", id, "storage", uri(storage), "deleted", true));
      } else {
        out().printf("Dataset version %s deleted from %s%n", id, storage);
      }
      return 0;
    }
    if (selector.id == null && selector.name == null) {
      throw new ParameterException(spec.commandLine(), "Cannot delete: name the version with --id ID (or --name N); delete never takes the"
          + " last version used");
    }
    if (entireDataset) {
      return deleteDataset();
    }
    // Not made the current version: deleting is not using it (and a refused delete changes nothing).
    Dataset ds = selector.resolve(repo()).invokedAs(spec.name(), argv());
    String version = ds.record().version();
    Dataset.Deletion d = ds.delete(force);
    List<String> stillOn = d.stillOn().stream().map(Base::uri).distinct().filter(remote -> heldThere(d.id(), remote)).toList();
    if (d.problem() != null) {
      warn(String.format("could not ask %s (%s): version %s may stay reserved there, and the next version made there skip it",
          d.storage(), d.problem(), version));
    }
    if (json) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("id", ds.id());
      m.put("deleted", true);
      m.put("released_on", d.released() ? d.storage() : null);
      m.put("still_on", stillOn);
      noteStillOn(stillOn, ds.shortId(), stillOn.isEmpty() ? null : stillOn.get(0), "it was uploaded", "it");
      printJson(m);
    } else {
      out().printf("Dataset version %s deleted%s%n", ds.id(), d.released() ? "; version " + version + " is free again on " + d.storage() : "");
      noteStillOn(stillOn, ds.shortId(), stillOn.isEmpty() ? null : stillOn.get(0), "it was uploaded", "it");
    }
    return 0;
  }

  /**
   * The note (also under {@code notes} with {@code --json}) that a version deleted here stays on
   * {@code remotes}, with the command that deletes {@code shortId} from {@code remote} there.
   */
  private void noteStillOn(java.util.Collection<String> remotes, String shortId, String remote, String uploaded, String what) {
    if (!remotes.isEmpty()) {
      note(String.format("deleted here only, not on %s, where %s (cairn delete --id %s --storage %s deletes %s there)",
          String.join(", ", remotes), uploaded, shortId, ShellWords.quote(remote), what));
    }
  }

  /**
   * Whether {@code remote} still holds version {@code id} (it was uploaded there): one deleted there
   * already (by {@code delete --storage}, or a teammate) is not said to stay there. One that cannot
   * be asked is taken to.
   */
  private boolean heldThere(String id, String remote) {
    try (dev.cairn.transport.Remote r = repo().openRemote(remote)) {
      return r.record(id) != null;
    } catch (IOException | RuntimeException cannotAsk) {
      return true;
    }
  }

  /** {@code --entire-dataset}: every version of the dataset, newest first. */
  private int deleteDataset() throws Exception {
    if (!force) {
      throw new ParameterException(spec.commandLine(), "Cannot delete an entire dataset without --force: every one of its versions goes");
    }
    if (selector.version != null) {
      throw new ParameterException(spec.commandLine(), "Cannot delete an entire dataset of one version: leave out --version");
    }
    DatasetRecord named = selector.resolve(repo()).record();
    List<Dataset.Deletion> done = Dataset.deleteDataset(repo(), named.project(), named.name(), true);
    Map<String, String> stillOn = new LinkedHashMap<>(); // id → its own remote (the first it was uploaded to)
    java.util.Set<String> remotes = new java.util.TreeSet<>();
    for (Dataset.Deletion d : done) {
      List<String> there = d.stillOn().stream().map(Base::uri).distinct().filter(remote -> heldThere(d.id(), remote)).toList();
      if (!there.isEmpty()) {
        stillOn.put(d.id(), there.get(0));
        remotes.addAll(there);
      }
    }
    for (Dataset.Deletion d : done) {
      if (d.problem() != null) {
        warn(String.format("could not ask %s (%s): version %s may stay reserved there", d.storage(), d.problem(), d.version()));
      }
    }
    Map.Entry<String, String> one = stillOn.isEmpty() ? null : stillOn.entrySet().iterator().next();
    String uploaded = Format.count(stillOn.size(), "version") + (stillOn.size() == 1 ? " was" : " were") + " uploaded";
    if (json) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("project", named.project());
      m.put("name", named.name());
      m.put("deleted", done.size());
      m.put("still_on", remotes);
      noteStillOn(remotes, one == null ? null : DatasetRecord.shortId(one.getKey()), one == null ? null : one.getValue(), uploaded, "one");
      printJson(m);
    } else {
      out().printf("Deleted %s of %s%n", Format.count(done.size(), "version"), DatasetRepository.label(named.project(),
          named.name()));
      noteStillOn(remotes, one == null ? null : DatasetRecord.shortId(one.getKey()), one == null ? null : one.getValue(), uploaded, "one");
    }
    return 0;
  }
}
