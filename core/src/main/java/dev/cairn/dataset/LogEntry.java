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
}
