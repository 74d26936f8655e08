package dev.cairn.dataset;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * How two copies of a version's record relate, by their logs: every change to a closed version's
 * record (a rename, tags, a description, a publish) appends to its log, so the copy whose log holds
 * every entry of the other's, and more, holds all of the other's changes. Entries are compared by
 * time, command and arguments, as sets: two copies may list the same changes in other orders (each
 * of two remotes took the other side's change made again on top of its own), and neither then
 * lacks a change of the other's. Entries that change nothing of the version itself are left out:
 * {@code upload} (each copy logs the remotes it went to) and {@code fsck --repair} (a record
 * recovered here).
 */
public enum RecordHistory {
  /** The same changes. */
  SAME,
  /** Ours extends theirs: ours is newer. */
  OURS_AHEAD,
  /** Theirs extends ours: ours is an older copy, and publishing it would undo their changes. */
  THEIRS_AHEAD,
  /** Each holds changes the other lacks. */
  DIVERGED;

  private static final Set<String> NOT_CHANGES = Set.of("upload", "fsck --repair");

  /** Whether {@code e} records a change to the version (an upload or a repair does not). */
  static boolean isChange(LogEntry e) {
    return !NOT_CHANGES.contains(e.command());
  }

  /**
   * Whether the closed record here, {@code ours}, takes a remote's record of the version whose log
   * relates to its own as {@code history}: one that extends it (renamed, tagged or published
   * there), or one with the same changes when {@code ours} names no remote (recovered by
   * {@code fsck --repair} from the version object, which keeps none): its remote and uploads.
   */
  static boolean takesTheirs(DatasetRecord ours, RecordHistory history) {
    return !ours.isDraft() && (history == THEIRS_AHEAD || history == SAME && ours.storage() == null);
  }

  /** How {@code ours} relates to {@code theirs}. */
  public static RecordHistory of(List<LogEntry> ours, List<LogEntry> theirs) {
    Set<Change> a = changes(ours);
    Set<Change> b = changes(theirs);
    boolean oursMore = !b.containsAll(a);
    boolean theirsMore = !a.containsAll(b);
    return oursMore && theirsMore ? DIVERGED : oursMore ? OURS_AHEAD : theirsMore ? THEIRS_AHEAD : SAME;
  }

  /** The commands of {@code theirs}' changes that {@code ours} lacks, each once, for a message: "rename, tags". */
  public static String since(List<LogEntry> ours, List<LogEntry> theirs) {
    Set<Change> a = changes(ours);
    return String.join(", ", changes(theirs).stream().filter(c -> !a.contains(c)).map(Change::command).distinct().toList());
  }

  /** A log entry as far as the version is concerned (a recovered entry lacks its change summary). */
  private record Change(long timeMillis, String command, List<String> arguments) {}

  /** The log's changes, in its order. */
  private static Set<Change> changes(List<LogEntry> log) {
    Set<Change> out = new LinkedHashSet<>();
    log.stream().filter(RecordHistory::isChange).forEach(e -> out.add(new Change(e.timeMillis(), e.command(), e.arguments())));
    return out;
  }
}
