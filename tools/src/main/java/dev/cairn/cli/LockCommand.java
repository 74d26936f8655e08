package dev.cairn.cli;

import dev.cairn.dataset.DatasetRecord;
import dev.cairn.dataset.Usage;
import dev.cairn.errors.DatasetNotFoundException;
import dev.cairn.errors.InvalidInputException;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "lock", description = "Write a lock file with the exact versions (ids and manifest roots) a run used.")
final class LockCommand extends Base {
  @Option(names = "--run", paramLabel = "RUN", description = "The run (default: $CAIRN_RUN_ID).")
  String run;

  @Option(names = "--output", paramLabel = "FILE", required = true, description = "Where to write the lock file ('-' or /dev/stdout: standard output; a device or named pipe is written into, never replaced).")
  Path output;

  @Option(names = "--overwrite", description = "Replace the file at --output if there is one (through a symbolic link: the file it names; without it, an existing file is refused).")
  boolean overwrite;

  @Override
  int run() throws Exception {
    String r = run != null ? run : System.getenv("CAIRN_RUN_ID");
    if (r == null || r.isBlank()) {
      throw new InvalidInputException("Cannot write lock file: give --run RUN (or set CAIRN_RUN_ID)");
    }
    if (output.toString().equals("-") || STANDARD_OUTPUT.contains(output.toString())) {
      if (json) {
        throw new UsageException("Cannot give --json with --output " + output + ": standard output holds the lock file, which is JSON"
            + " itself; give --output FILE for the summary");
      }
      // As other tools read "-": the lock file itself, which is JSON already, on standard output.
      String text = repo().usage().lockFile(r);
      out().print(text.endsWith("\n") ? text : text + "\n");
      warnOfVersionsHereAlone(r);
      return 0;
    }
    int n = repo().usage().writeLockFile(r, output, overwrite);
    warnOfVersionsHereAlone(r);
    if (json) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("path", output.toAbsolutePath().toString());
      m.put("datasets", n);
      printJson(m);
    } else {
      out().printf("Wrote %s (%s of run %s)%n", output, Format.count(n, "version"), r);
    }
    return 0;
  }

  /** Names of standard output: written as {@code -} is, the confirmation not mixed into the lock file. */
  private static final java.util.Set<String> STANDARD_OUTPUT = java.util.Set.of("/dev/stdout", "/dev/fd/1", "/proc/self/fd/1");

  /**
   * A lock file names versions, not where they are: one on no remote is restored from this
   * repository alone, which a colleague's lacks. Said, one line each, with the upload that shares it.
   */
  private void warnOfVersionsHereAlone(String run) throws IOException {
    for (Usage.Use u : repo().usage().run(run)) {
      DatasetRecord r;
      try {
        r = repo().get(u.id()).record();
      } catch (DatasetNotFoundException deleted) {
        continue; // restored by its root while its objects are here
      }
      if (r.storage() == null || !r.wasUploaded()) {
        warn(u.alias() + " (" + r.shortId() + ") is on no remote: only this repository can restore it;"
            + " cairn upload --id " + r.shortId() + " --storage URI shares it");
      }
    }
  }
}
