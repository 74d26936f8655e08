package dev.cairn.cli;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code cairn unlock --storage URI}: deletes a remote's upload and collection locks that no
 * running process holds, as {@code restic unlock}; {@code --remove-all}, every one.
 */
@Command(name = "unlock", description = "Delete a remote's upload and collection locks that no running process holds (its process, of"
    + " this host, ended; or not renewed for an hour), as restic's unlock. Uploads and collections pass over those already; a lock"
    + " left by a process killed on another host holds collections off for an hour: --remove-all deletes it.")
final class UnlockCommand extends Base {
  @Option(names = "--storage", paramLabel = "URI", required = true, description = "The remote.")
  String storage;

  @Option(names = "--remove-all", description = "Delete every lock, those of running uploads and collections too: only when none runs"
      + " (one that does fails before it publishes or deletes anything, and is run again).")
  boolean removeAll;

  @Override
  String existingRemote() {
    return storage;
  }

  @Override
  int run() throws Exception {
    dev.cairn.transport.Remote.Unlocked done;
    try (var remote = repo().openRemote(storage)) {
      done = remote.unlock(removeAll);
    }
    List<String> removed = done.removed();
    String where = uri(storage);
    if (json) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("storage", where);
      m.put("removed", removed);
      m.put("kept", done.kept());
      printJson(m);
      return 0;
    }
    for (String lock : removed) {
      out().println("Removed " + where + "/" + lock);
    }
    // As restic's unlock lists what it keeps: a lock that holds a gc off is never a mystery.
    for (String lock : done.kept()) {
      out().println("Kept: " + lock);
    }
    out().println((removed.isEmpty() ? "No lock to remove on " + where : "Removed " + Format.count(removed.size(), "lock") + " on " + where)
        + (done.kept().isEmpty() ? "" : "; kept " + Format.count(done.kept().size(), "lock") + " whose process may still run (once it"
            + " has surely ended, as after a crash of that host, --remove-all deletes it)"));
    return 0;
  }
}
