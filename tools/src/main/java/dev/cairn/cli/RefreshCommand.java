package dev.cairn.cli;

import dev.cairn.dataset.DatasetRecord;
import dev.cairn.dataset.DatasetRepository;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "refresh", description = "Take the remote's newer records of the versions here (renamed, moved, tagged, described or"
    + " published elsewhere since they were fetched or uploaded); no data is read. Without --storage, from every remote the"
    + " versions here live on. A record changed both here and there is kept as it is here, and said.")
final class RefreshCommand extends Base {
  @Option(names = "--storage", paramLabel = "URI", description = "The remote to read (default: each remote a version here lives on).")
  String storage;

  @Override
  String existingRemote() {
    return storage;
  }

  @Override
  int run() throws Exception {
    Set<String> remotes = new LinkedHashSet<>();
    if (storage != null) {
      remotes.add(storage);
    } else {
      for (DatasetRecord r : repo().catalog().all()) {
        if (!r.isDraft() && r.storage() != null) {
          remotes.add(r.storage());
        }
      }
    }
    List<Object> results = new ArrayList<>();
    for (String remote : remotes) {
      DatasetRepository.Refresh r = repo().refreshRecords(remote);
      if (json) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("storage", uri(remote));
        m.put("compared", r.compared());
        m.put("updated", r.updated());
        m.put("deleted_there", r.deletedThere());
        m.put("diverged", r.diverged());
        results.add(m);
        continue;
      }
      for (String id : r.updated()) {
        DatasetRecord now = repo().catalog().read(id);
        out().printf("updated %s  %s %s%n", id.substring(0, 8), Format.path(DatasetRepository.label(now.project(), now.name())),
            now.version());
      }
      for (String id : r.deletedThere()) {
        err().println("cairn: note: " + id.substring(0, 8) + " was deleted on " + remote + "; the copy here stays");
      }
      for (String d : r.diverged()) {
        err().println("cairn: warning: " + d);
      }
      out().printf("%s on %s: %s updated%n", Format.count(r.compared(), "version"), remote, r.updated().size());
    }
    if (json) {
      printJson(results);
    } else if (remotes.isEmpty()) {
      out().println("No version here lives on a remote: nothing to refresh (--storage URI names one)");
    }
    return 0;
  }
}
