package dev.cairn.cli;

import dev.cairn.dataset.Conflict;
import dev.cairn.dataset.DatasetRecord;
import java.io.PrintWriter;
import java.util.List;
import java.util.Set;

/** How {@code list} and {@code show} print the paths a version's parents disagreed on. */
final class ConflictLines {
  private ConflictLines() {}

  /** "2 paths conflicted between parents; the later one won:" (a squash names what it flattened). */
  static String header(DatasetRecord r) {
    return header(r, r.conflicts().size());
  }

  /** As above, of which {@code matching} match the filters the lines below are limited to. */
  static String header(DatasetRecord r, int matching) {
    String between = r.parents().isEmpty() ? "the versions it was made from" : "parents";
    return Format.count(r.conflicts().size(), "path") + " conflicted between " + between
        + (matching < r.conflicts().size() ? ", " + matching + " of them matching --filter" : "") + "; the later one won:";
  }

  /**
   * One line a path: which versions held it, which one's side was taken, whether that side deleted
   * it, and whether the version changed it since (resolved by hand).
   */
  static void print(PrintWriter out, DatasetRecord r, Set<String> deletedByWinner, Set<String> changedSince) {
    print(out, r.conflicts(), deletedByWinner, changedSince);
  }

  /** As above, for {@code conflicts}, some of a version's. */
  static void print(PrintWriter out, List<Conflict> conflicts, Set<String> deletedByWinner, Set<String> changedSince) {
    for (Conflict c : conflicts) {
      out.printf("  %s (versions %s; took %s%s%s)%n", c.path(),
          String.join(", ", c.parents().stream().map(DatasetRecord::shortId).toList()), DatasetRecord.shortId(c.winner()),
          deletedByWinner.contains(c.path()) ? ", which deleted it" : "", changedSince.contains(c.path()) ? "; changed here since" : "");
    }
  }
}
