package dev.cairn.cli;

import dev.cairn.dataset.Dataset;
import dev.cairn.dataset.DatasetRecord;
import dev.cairn.storage.StorageException;
import dev.cairn.transport.Pusher;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "squash", description = "Create a closed version without parents holding the merge of versions (later wins), uploaded, as "
    + "close does, to --storage, the default remote, or else the remote the versions squashed share.")
final class SquashCommand extends Base {
  @picocli.CommandLine.Mixin WorkersOption workers;
  @picocli.CommandLine.Mixin ChunkSizeOption chunkSize;
  @picocli.CommandLine.Mixin StepsOption steps;

  @Option(names = "--name", paramLabel = "N", required = true, description = "Name of the new version.")
  String name;

  @Option(names = "--project", paramLabel = "P", description = "Project (default: that of the last id).")
  String project;

  @Option(names = "--ids", paramLabel = "ID", arity = "1..*", split = ",", converter = Trimmed.class, required = true, description = "Versions to merge, in order (space- or comma-separated).")
  List<String> ids;

  @Option(names = "--storage", paramLabel = "URI", description = "Upload the new version to this remote (default: $CAIRN_STORAGE or"
      + " remote.default, else the remote the versions squashed share), as close does.")
  String storage;

  @Option(names = "--disable-upload", description = "Keep the new version here, even with a default remote.")
  boolean disableUpload;

  @Override
  int run() throws Exception {
    if ((storage != null || chunkSize.megabytes != null) && disableUpload) {
      throw new UsageException("Cannot squash: " + (storage != null ? "--storage" : "--chunk-size")
          + " uploads the new version, --disable-upload keeps it here; give one or the other");
    }
    long packBytes = chunkSize.packTargetBytes();
    String remote = disableUpload ? null : storage != null ? storage : repo().defaultStorage();
    // With no remote named, the one the squashed versions share, as a child goes to its parents'.
    String inherited = remote == null && !disableUpload ? parentsRemoteFor(ids) : null;
    if (inherited != null) {
      remote = inherited;
    }
    chunkSize.requireRemote("squash", remote);
    if (storage == null && inherited == null) {
      requireDefaultRemoteThere(remote, remote == null || holdsCairnData(remote), "Did not squash", "");
    } else {
      requireNotMistyped(storage, "Did not squash");
    }
    long started = System.currentTimeMillis();
    Dataset ds;
    try {
      ds = Dataset.squash(repo(), project, name, ids, remote, progress());
    } catch (StorageException unusable) {
      if (inherited == null) {
        throw unusable;
      }
      // A remote the user did not ask for: its being unreachable or read-only is no reason to fail.
      remotes().parentsRemoteUnusable(inherited, unusable);
      inherited = null;
      remote = null;
      ds = Dataset.squash(repo(), project, name, ids, null, progress());
    }
    if (inherited != null) {
      note(ds.shortId() + " goes to " + inherited + ", the remote of the versions it squashes (--storage names another;"
          + " --disable-upload keeps it here)");
    }
    // Closed before this run: an earlier run of this squash made it and stopped before its upload ended.
    boolean earlier = ds.record().closedMillis() < started;
    Dataset made = ds;
    String target = remote;
    Pusher.Result pushed = target == null ? null : uploadAfterClose(() -> uploadClosed(made, target, storage, packBytes));
    DatasetRecord r = ds.record();
    if (json) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("id", r.id());
      m.put("project", r.project());
      m.put("name", r.name());
      m.put("version", r.version());
      m.put("state", r.state().label());
      m.put("files", r.fileCount());
      m.put("conflicts", Views.conflicts(r, r.conflicts().isEmpty() ? Set.of() : ds.conflictsResolvedByDeletion()));
      m.put("made_earlier", earlier);
      putUpload(m, pushed, target);
      printClosedJson(m);
    } else {
      out().printf(earlier ? "Squashed dataset id=%s (%s), made by an earlier run of this squash that did not upload it%n"
          : "Squashed dataset created id=%s (%s)%n", r.id(), Format.count(r.fileCount(), "file"));
      if (!r.conflicts().isEmpty()) {
        out().printf("%s between the versions squashed; the later one won (see 'cairn show --id %s')%n",
            Format.count(r.conflicts().size(), "conflicting path"), r.shortId());
      }
      if (pushed != null) {
        printUploaded(pushed, target);
      }
    }
    return 0;
  }
}
