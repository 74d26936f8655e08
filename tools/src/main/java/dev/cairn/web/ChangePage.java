package dev.cairn.web;

import dev.cairn.dataset.ChangeSummary;
import dev.cairn.id.ObjectId;
import dev.cairn.manifest.DiffEntry;
import dev.cairn.manifest.ManifestDiff;
import dev.cairn.manifest.NodeLoader;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * One page of the differences between two manifests, with the summary of all of them. The diff is
 * streamed (its cost grows with the number of changes, not the size of the versions) and only the
 * rows of the page are kept, so a change-set of a million files never sits in memory.
 *
 * @param rows the differences on this page, in path order
 * @param offset index of the first row among the matching differences
 * @param matching how many differences match the type filter
 * @param summary counts and bytes of every difference, whatever the filter
 */
record ChangePage(List<DiffEntry> rows, long offset, long matching, ChangeSummary summary) {
  ChangePage {
    rows = List.copyOf(rows);
  }

  /**
   * Reads a page of any diff, counting every difference for the summary.
   *
   * @param type only this kind of change, or null for all
   */
  static ChangePage read(NodeLoader loader, ObjectId from, ObjectId to, DiffEntry.ChangeType type, long offset, int limit)
      throws IOException {
    List<DiffEntry> rows = new ArrayList<>(Math.min(limit, 1024));
    long[] matching = {0};
    ChangeSummary[] summary = {ChangeSummary.EMPTY};
    new ManifestDiff(loader).diff(from, to, d -> {
      summary[0] = summary[0].plus(d);
      if (type == null || d.type() == type) {
        if (matching[0] >= offset && rows.size() < limit) {
          rows.add(d);
        }
        matching[0]++;
      }
    });
    return new ChangePage(rows, offset, matching[0], summary[0]);
  }

  /**
   * Reads a page of a diff whose summary is already known (a version's change-set, summarized in
   * its record): the diff stops as soon as the page is full, so the first pages of a huge
   * change-set cost no more than the rows they show.
   */
  static ChangePage read(NodeLoader loader, ObjectId from, ObjectId to, ChangeSummary known, DiffEntry.ChangeType type, long offset,
      int limit) throws IOException {
    List<DiffEntry> rows = new ArrayList<>(Math.min(limit, 1024));
    long[] seen = {0};
    try {
      new ManifestDiff(loader).diff(from, to, d -> {
        if (type == null || d.type() == type) {
          if (seen[0] >= offset) {
            if (rows.size() == limit) {
              throw PageFull.INSTANCE;
            }
            rows.add(d);
          }
          seen[0]++;
        }
      });
    } catch (PageFull full) {
      // the rest of the diff is not needed
    }
    return new ChangePage(rows, offset, count(known, type), known);
  }

  /** Above this many changes, moves are not looked for: the page would walk the whole change-set to find them. */
  static final long MOVES_LOOKED_FOR = 20_000;

  /**
   * The removed paths of the diff by their content, for a page to tell an added file that is a
   * removed one moved (the same bytes under a new path): the first removed path of each content.
   * Empty when nothing was removed, when the page shows no added file, or past
   * {@link #MOVES_LOOKED_FOR} changes.
   */
  static Map<ObjectId, String> removedByContent(NodeLoader loader, ObjectId from, ObjectId to, ChangePage page) throws IOException {
    ChangeSummary s = page.summary();
    if (s.removed() == 0 || s.total() > MOVES_LOOKED_FOR || page.rows().stream().noneMatch(d -> d.type() == DiffEntry.ChangeType.ADDED)) {
      return Map.of();
    }
    Map<ObjectId, String> removed = new HashMap<>();
    new ManifestDiff(loader).diff(from, to, d -> {
      if (d.type() == DiffEntry.ChangeType.REMOVED && d.oldEntry().size() > 0) { // empty files are all alike
        removed.putIfAbsent(d.oldEntry().digest(), d.path());
      }
    });
    return removed;
  }

  private static long count(ChangeSummary s, DiffEntry.ChangeType type) {
    if (type == null) {
      return s.total();
    }
    return switch (type) {
      case ADDED -> s.added();
      case MODIFIED -> s.modified();
      case REMOVED -> s.removed();
    };
  }

  /** Ends a diff early once a page is full. */
  private static final class PageFull extends RuntimeException {
    private static final long serialVersionUID = 1L;
    static final PageFull INSTANCE = new PageFull();

    private PageFull() {
      super("page full", null, false, false);
    }
  }
}
