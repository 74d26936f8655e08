package dev.cairn.transport;

import dev.cairn.dataset.LogEntry;
import java.util.List;

/**
 * How two copies of a version's record relate, by their logs: every change to a closed version's
 * record (a rename, tags, a description, a publish, an upload) appends to its log, so the copy
 * whose log extends the other's holds all of the other's changes.
 */
enum RecordHistory {
  /** The same log. */
  SAME,
  /** Ours extends theirs: ours is newer. */
  OURS_AHEAD,
  /** Theirs extends ours: ours is an older copy, and publishing it would undo their changes. */
  THEIRS_AHEAD,
  /** Each holds changes the other lacks. */
  DIVERGED;

  static RecordHistory of(List<LogEntry> ours, List<LogEntry> theirs) {
    int common = 0;
    while (common < ours.size() && common < theirs.size() && ours.get(common).equals(theirs.get(common))) {
      common++;
    }
    boolean oursMore = common < ours.size();
    boolean theirsMore = common < theirs.size();
    return oursMore && theirsMore ? DIVERGED : oursMore ? OURS_AHEAD : theirsMore ? THEIRS_AHEAD : SAME;
  }

  /** The commands of {@code log} past the first {@code common} entries, for a message: "rename, tags". */
  static String since(List<LogEntry> ours, List<LogEntry> theirs) {
    int common = 0;
    while (common < ours.size() && common < theirs.size() && ours.get(common).equals(theirs.get(common))) {
      common++;
    }
    return String.join(", ", theirs.subList(common, theirs.size()).stream().map(LogEntry::command).toList());
  }
}
