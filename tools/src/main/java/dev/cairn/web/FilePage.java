package dev.cairn.web;

import dev.cairn.dataset.Glob;
import dev.cairn.errors.InvalidInputException;
import dev.cairn.manifest.DatasetPaths;
import dev.cairn.manifest.FileEntry;
import dev.cairn.manifest.Manifest;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.function.Predicate;

/**
 * One page of a version's full listing. Unfiltered pages are cut from the manifest tree by entry
 * counts, skipping whole subtrees, so any page of a million files costs a few node reads. A
 * filtered listing streams the tree in path order from a resume point and stops at the first match
 * past a page of them (so a next page is offered only when it holds one) or after
 * {@link #SCAN_LIMIT} entries, whichever comes first; a glob whose start is a
 * literal folder ({@code images/*.png}) seeks straight to that folder and stops past it.
 *
 * @param files the entries on this page, in path order
 * @param offset index of the first entry (unfiltered listings only; 0 when filtered)
 * @param total entries in the version
 * @param filter the filter, or null
 * @param more whether more entries follow (filtered: more matches, or, when the scan ran out of
 *     budget, entries not scanned yet)
 * @param resumeAfter the path a filtered listing's next page continues after, or null
 * @param scanCut whether the scan stopped at {@link #SCAN_LIMIT} before a page of matches was found
 * @param scanned entries read by a filtered scan
 */
record FilePage(List<FileEntry> files, long offset, long total, String filter, boolean more, String resumeAfter, boolean scanCut,
    long scanned) {
  /** Most entries one filtered request reads before it stops and offers to continue. */
  static final int SCAN_LIMIT = 200_000;

  /**
   * Characters the matches of one page may read in all, for a pattern that can backtrack ({a,b}
   * alternatives, three runs of stars): {@code **}{@code /*.{png,jpg}} over the {@link #SCAN_LIMIT}
   * paths of a deep layout (16 levels) reads about 360 million (0.4 s), two thirds of it; one
   * crafted to backtrack is refused (400) after a few seconds of work, rather than keep a thread
   * busy for hours.
   */
  static final long PAGE_MATCH_BUDGET = 600_000_000L;

  FilePage {
    files = List.copyOf(files);
  }

  /** Entries {@code offset} to {@code offset + limit - 1}. */
  static FilePage unfiltered(Manifest m, long offset, int limit) throws IOException {
    long total = m.entryCount();
    List<FileEntry> files = m.page(offset, limit);
    return new FilePage(files, offset, total, null, offset + files.size() < total, null, false, 0);
  }

  /**
   * Up to {@code limit} entries matching {@code filter} whose paths sort after {@code after}.
   *
   * @param filter a glob ({@code *}, {@code ?}, {@code [..]}, {@code {a,b}}) or, without wildcards,
   *     text found anywhere in the path (case-insensitive)
   * @param after the path to resume after, or null from the start
   * @throws HttpProblem 400 for a malformed glob or resume path
   */
  static FilePage filtered(Manifest m, String filter, String after, int limit) throws IOException {
    if (after != null && DatasetPaths.problem(after) != null) {
      throw HttpProblem.badRequest("Cannot resume the listing: bad path '" + after + "'");
    }
    Predicate<String> matches = matcher(filter);
    String prefix = literalFolder(filter);
    String from = after != null ? after : prefix;
    List<FileEntry> files = new ArrayList<>(Math.min(limit, 1024));
    long scanned = 0;
    String last = null;
    Iterator<FileEntry> it = m.iterator(from);
    while (it.hasNext()) {
      FileEntry e = it.next();
      if (after != null && e.path().equals(after)) {
        continue;
      }
      if (!prefix.isEmpty() && !e.path().startsWith(prefix)) {
        break;
      }
      scanned++;
      if (matches.test(e.path())) {
        if (files.size() == limit) {
          // A match past a full page: only now is a next page sure to hold one. It resumes after
          // the entry before it, not rescanning the misses between, and counts it as its own.
          return new FilePage(files, 0, m.entryCount(), filter, true, last, false, scanned - 1);
        }
        files.add(e);
      }
      last = e.path();
      if (scanned >= SCAN_LIMIT) {
        // Out of budget: matches may follow. A full page offers them; a short one says how far it got.
        boolean more = it.hasNext();
        boolean cut = more && files.size() < limit;
        return new FilePage(files, 0, m.entryCount(), filter, more, more ? last : null, cut, scanned);
      }
    }
    return new FilePage(files, 0, m.entryCount(), filter, false, null, false, scanned);
  }

  private static Predicate<String> matcher(String filter) {
    if (Glob.hasWildcard(filter)) {
      try {
        // As cairn list --filter reads it: a folder matched selects everything under it.
        Glob g = Glob.parseFilter("filter", filter);
        return g.within(PAGE_MATCH_BUDGET);
      } catch (InvalidInputException e) {
        throw HttpProblem.badRequest(e.getMessage());
      }
    }
    // In composed Unicode form, as globs compare names: a name typed composed finds one stored decomposed.
    String needle = DatasetPaths.nfc(filter).toLowerCase(Locale.ROOT);
    return path -> DatasetPaths.nfc(path).toLowerCase(Locale.ROOT).contains(needle);
  }

  /**
   * The folder every match of a glob must lie in, as the glob reads it ({@link Glob#requiredPrefix}:
   * up to the last {@code /} before its first wildcard, a leading {@code /} dropped, and before a
   * letter a path may spell in the other Unicode form); "" when matches may lie anywhere, and for a
   * filter without wildcards (a text search).
   */
  static String literalFolder(String filter) {
    if (!Glob.hasWildcard(filter)) {
      return "";
    }
    try {
      return Glob.parseFilter("filter", filter).requiredPrefix();
    } catch (InvalidInputException malformed) {
      return ""; // refused by the matcher, with its message
    }
  }
}
