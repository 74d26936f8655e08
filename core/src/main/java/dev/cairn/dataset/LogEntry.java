package dev.cairn.dataset;

import java.util.List;

/**
 * One command in a version's execution log: what ran, when, and what it changed.
 *
 * @param timeMillis when it ran
 * @param command the operation ({@code create}, {@code add}, {@code remove}, {@code sync}, ...)
 * @param arguments the arguments as given
 * @param changes files added, modified and removed by it
 * @param storedBytes bytes it newly wrote to the repository (after dedup and compression)
 */
public record LogEntry(long timeMillis, String command, List<String> arguments, ChangeSummary changes, long storedBytes) {
  public LogEntry {
    arguments = List.copyOf(arguments);
  }
}
