package dev.cairn.cli;

import dev.cairn.dataset.DatasetRecord;
import dev.cairn.dataset.DatasetRepository;
import dev.cairn.errors.BadStorageLocationException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "refresh", description = "Take the remote's newer records of the versions here (renamed, moved, tagged, described or"
    + " published elsewhere since they were fetched or uploaded); no data is read. Without --storage, from each version's own"
    + " remote (a copy uploaded elsewhere: --storage names that remote). A record changed both here and there is kept as it"
    + " is here, and said; a remote that cannot be read is said, and makes the exit status non-zero (the others are still read).")
final class RefreshCommand extends Base {
  @Option(names = "--storage", paramLabel = "URI", description = "The remote to read (default: each version's own remote).")
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
    boolean failed = false;
    for (String remote : remotes) {
      DatasetRepository.Refresh r;
      try {
        r = repo().refreshRecords(remote);
      } catch (java.io.IOException | RuntimeException e) {
        if (!json && (storage != null || e instanceof BadStorageLocationException)) {
          // The one remote asked for, or a location with no remote at all: the command's error.
          // Asked as JSON, its entry says it, and the exit is 1.
          throw e;
        }
        failed = true;
        String why = ErrorHandler.oneLine(e, false);
        if (json) {
          Map<String, Object> m = new LinkedHashMap<>();
          m.put("storage", uri(remote));
          m.put("error", why);
          results.add(m);
        } else {
          err().println("cairn: could not refresh from " + remote + ": " + why);
        }
        continue;
      }
      if (json) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("storage", uri(remote));
        m.put("compared", r.compared());
        m.put("updated", r.updated());
        m.put("merged", notes(r.merged()));
        m.put("deleted_there", r.deletedThere());
        m.put("kept", notes(r.kept()));
        m.put("clashes", notes(r.clashes()));
        m.put("not_here", r.notHere());
        results.add(m);
        continue;
      }
      Set<String> merged = new LinkedHashSet<>();
      for (DatasetRepository.Refresh.Note m : r.merged()) {
        merged.add(m.id());
      }
      for (String id : r.updated()) {
        DatasetRecord now = repo().catalog().read(id);
        out().printf("%s %s  %s %s%n", merged.contains(id) ? "merged " : "updated", DatasetRecord.shortId(id),
            Format.path(DatasetRepository.label(now.project(), now.name())), now.version());
      }
      for (DatasetRepository.Refresh.Note m : r.merged()) {
        note(m.message());
      }
      for (String id : r.deletedThere()) {
        note(DatasetRecord.shortId(id) + " was deleted on " + remote + "; the copy here stays");
      }
      for (DatasetRepository.Refresh.Note k : r.kept()) {
        warn(k.message());
      }
      for (DatasetRepository.Refresh.Note c : r.clashes()) {
        warn(c.message());
      }
      out().printf("%s on %s: %s updated%s%s%n", Format.count(r.compared(), "version"), remote, r.updated().size(),
          r.merged().isEmpty() ? "" : " (" + r.merged().size() + " merged)",
          r.notHere().isEmpty() ? "" : "; " + Format.count(r.notHere().size(), "version") + " there of datasets here "
              + (r.notHere().size() == 1 ? "is" : "are") + " not here (cairn search --storage " + remote + " lists them)");
    }
    if (json) {
      printJson(results);
    } else if (remotes.isEmpty()) {
      out().println("No version here lives on a remote: nothing to refresh (--storage URI names one)");
    }
    return failed ? 1 : 0;
  }

  /** Each note as fields: {@code id}, {@code reason}, {@code other} (a clash's), {@code message}. */
  private static List<Object> notes(List<DatasetRepository.Refresh.Note> notes) {
    List<Object> out = new ArrayList<>();
    for (DatasetRepository.Refresh.Note n : notes) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("id", n.id());
      m.put("reason", n.reason());
      m.put("other", n.other());
      m.put("message", n.message());
      out.add(m);
    }
    return out;
  }
}
