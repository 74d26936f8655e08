package dev.cairn.cli;

import dev.cairn.dataset.Dataset;
import dev.cairn.dataset.DatasetRepository;
import dev.cairn.dataset.LogEntry;
import dev.cairn.manifest.DatasetPaths;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

@Command(name = "log", description = "Show a version's execution log: every command that changed it.")
final class LogCommand extends Base {
  @Mixin VersionSelector selector;

  @Override
  boolean readsOnly() {
    return true;
  }

  @Override
  int run() throws Exception {
    Dataset ds = select(selector);
    List<LogEntry> log = ds.record().log();
    if (json) {
      printJson(log.stream().map(Views::log).toList());
      return 0;
    }
    for (LogEntry e : log) {
      String changes = e.changes().isEmpty() ? "" : String.format("  (+%d ~%d -%d, %s stored)", e.changes().added(),
          e.changes().modified(), e.changes().removed(), Format.bytes(e.storedBytes()));
      String arguments = e.renamedTo() == null ? printable(e.arguments())
          : "to " + DatasetPaths.printable(DatasetRepository.label(e.renamedTo().get(0), e.renamedTo().get(1)));
      out().printf("%s  %-15s %s%s%n", Format.time(e.timeMillis()), e.command(), arguments, changes);
    }
    return 0;
  }

  /**
   * The arguments on one line, as a shell would need them typed (a value with a space is one
   * argument, quoted); a control character in a value (a newline) would start a line that looks
   * like an entry, and is escaped.
   */
  private static String printable(List<String> arguments) {
    return String.join(" ", arguments.stream().map(a -> DatasetPaths.printable(ShellWords.quote(a))).toList());
  }
}
