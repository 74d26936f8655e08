package dev.cairn.dataset;

import java.util.List;
import java.util.Set;

/**
 * How two copies of a version's record relate, by their logs: every change to a closed version's
 * record (a rename, tags, a description, a publish) appends to its log, so the copy whose log
 * extends the other's holds all of the other's changes. Entries are compared by time, command and
 * arguments; entries that change nothing of the version itself are left out: {@code upload}
 * (each copy logs the remotes it went to) and {@code fsck --repair} (a record recovered here).
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

  /** How {@code ours} relates to {@code theirs}. */
  public static RecordHistory of(List<LogEntry> ours, List<LogEntry> theirs) {
    List<Change> a = changes(ours);
    List<Change> b = changes(theirs);
    int common = common(a, b);
    boolean oursMore = common < a.size();
    boolean theirsMore = common < b.size();
    return oursMore && theirsMore ? DIVERGED : oursMore ? OURS_AHEAD : theirsMore ? THEIRS_AHEAD : SAME;
  }

  /** The commands of {@code theirs} that {@code ours} lacks, each once, for a message: "rename, tags". */
  public static String since(List<LogEntry> ours, List<LogEntry> theirs) {
    List<Change> a = changes(ours);
    List<Change> b = changes(theirs);
    return String.join(", ", b.subList(common(a, b), b.size()).stream().map(Change::command).distinct().toList());
  }

  /**
   * The commands of {@code after}'s changes that {@code before} does not hold, each once: what a
   * record taken from a remote brought, whether it extended this one or this one's changes were
   * made again on top of it.
   */
  public static String brought(List<LogEntry> before, List<LogEntry> after) {
    return String.join(", ", after.stream().filter(e -> isChange(e) && !before.contains(e)).map(LogEntry::command).distinct().toList());
  }

  /** A log entry as far as the version is concerned (a recovered entry lacks its change summary). */
  private record Change(long timeMillis, String command, List<String> arguments) {}

  private static List<Change> changes(List<LogEntry> log) {
    return log.stream().filter(RecordHistory::isChange).map(e -> new Change(e.timeMillis(), e.command(), e.arguments())).toList();
  }

  private static int common(List<Change> a, List<Change> b) {
    int n = 0;
    while (n < a.size() && n < b.size() && a.get(n).equals(b.get(n))) {
      n++;
    }
    return n;
  }
}
