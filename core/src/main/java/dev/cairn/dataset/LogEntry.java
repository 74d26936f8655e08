package dev.cairn.dataset;

import java.util.List;

/**
 * One command in a version's execution log: what ran, when, and what it changed.
 *
 * @param timeMillis when it ran
 * @param command the operation ({@code create}, {@code add}, {@code remove}, {@code sync}, ...)
 * @param arguments the arguments as given; of {@code rename} and {@code move}, the project and name
 *     the version took (see {@link #renamedTo})
 * @param changes files added, modified and removed by it
 * @param storedBytes bytes it newly wrote to the repository (after dedup and compression)
 */
public record LogEntry(long timeMillis, String command, List<String> arguments, ChangeSummary changes, long storedBytes) {
  public LogEntry {
    arguments = List.copyOf(arguments);
  }

  /**
   * Of a {@code rename} or {@code move} entry, the project and name the version took, as
   * {@code [project, name]}; else null. Such an entry records its outcome, not the command line
   * (which named the version by its old name), so it is shown as "renamed to project/name".
   */
  public List<String> renamedTo() {
    return (command.equals("rename") || command.equals("move")) && arguments.size() == 2 ? arguments : null;
  }

  /**
   * The log as a person reads it: entries of one command line in a row made one, at the first's
   * time, with their changes and bytes added up. A {@code sync} that makes a version logs its
   * steps (the draft made, the folder synced, the version closed) as three entries of that same
   * command line, which its re-run reads; shown, they are one command.
   */
  public static List<LogEntry> collapsed(List<LogEntry> log) {
    List<LogEntry> out = new java.util.ArrayList<>(log.size());
    for (LogEntry e : log) {
      LogEntry last = out.isEmpty() ? null : out.get(out.size() - 1);
      if (last != null && last.command.equals(e.command) && last.arguments.equals(e.arguments) && e.renamedTo() == null) {
        ChangeSummary a = last.changes;
        ChangeSummary b = e.changes;
        out.set(out.size() - 1, new LogEntry(last.timeMillis, last.command, last.arguments, new ChangeSummary(a.added() + b.added(),
            a.modified() + b.modified(), a.removed() + b.removed(), a.addedBytes() + b.addedBytes(), a.modifiedBytes() + b.modifiedBytes(),
            a.removedBytes() + b.removedBytes()), last.storedBytes + e.storedBytes));
      } else {
        out.add(e);
      }
    }
    return out;
  }
}
