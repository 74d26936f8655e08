package dev.cairn.dataset;

import dev.cairn.internal.json.Json;
import dev.cairn.manifest.DiffEntry;
import dev.cairn.manifest.FileEntry;
import dev.cairn.manifest.Manifest;
import java.io.IOException;
import java.util.List;
import java.util.Map;

/**
 * Counts and bytes of a change-set: files added, modified and removed. Bytes are the sizes of the
 * files as they are after the change (before it, for removals).
 */
public record ChangeSummary(long added, long modified, long removed, long addedBytes, long modifiedBytes, long removedBytes) {
  public static final ChangeSummary EMPTY = new ChangeSummary(0, 0, 0, 0, 0, 0);

  /** This summary with one more difference counted. */
  public ChangeSummary plus(DiffEntry d) {
    return switch (d.type()) {
      case ADDED -> new ChangeSummary(added + 1, modified, removed, addedBytes + d.newEntry().size(), modifiedBytes, removedBytes);
      case MODIFIED -> new ChangeSummary(added, modified + 1, removed, addedBytes, modifiedBytes + d.newEntry().size(), removedBytes);
      case REMOVED -> new ChangeSummary(added, modified, removed + 1, addedBytes, modifiedBytes, removedBytes + d.oldEntry().size());
    };
  }

  /** This summary with one difference no longer counted ({@link #plus} undone). */
  public ChangeSummary minus(DiffEntry d) {
    return switch (d.type()) {
      case ADDED -> new ChangeSummary(added - 1, modified, removed, addedBytes - d.newEntry().size(), modifiedBytes, removedBytes);
      case MODIFIED -> new ChangeSummary(added, modified - 1, removed, addedBytes, modifiedBytes - d.newEntry().size(), removedBytes);
      case REMOVED -> new ChangeSummary(added, modified, removed - 1, addedBytes, modifiedBytes, removedBytes - d.oldEntry().size());
    };
  }

  /**
   * The change-set from {@code base} to a draft's manifest after an edit, from {@code before}, the
   * change-set to it before the edit, and {@code edit}, the edit's own differences: each path the
   * edit touched is counted again against the base, as {@code diff(base, root)} counts it. It costs
   * a lookup a path edited, where the whole diff costs a read of every path changed since the base
   * (an add a file at a time would take time of the square of the files).
   */
  static ChangeSummary afterEdit(ChangeSummary before, Manifest base, List<DiffEntry> edit) throws IOException {
    ChangeSummary s = before;
    for (DiffEntry d : edit) {
      FileEntry was = base.lookup(d.path());
      DiffEntry then = against(was, d.oldEntry());
      DiffEntry now = against(was, d.newEntry());
      if (then != null) {
        s = s.minus(then);
      }
      if (now != null) {
        s = s.plus(now);
      }
    }
    return s;
  }

  /** How {@code e} (null: no file) differs from the base's {@code was} at its path, as a diff says it, or null. */
  private static DiffEntry against(FileEntry was, FileEntry e) {
    if (was == null) {
      return e == null ? null : DiffEntry.added(e);
    }
    if (e == null) {
      return DiffEntry.removed(was);
    }
    return was.sameContent(e) ? null : DiffEntry.modified(was, e);
  }

  /** Total number of changed paths. */
  public long total() {
    return added + modified + removed;
  }

  public boolean isEmpty() {
    return total() == 0;
  }

  public Map<String, Object> toJson() {
    return Json.object("added", added, "modified", modified, "removed", removed,
        "added_bytes", addedBytes, "modified_bytes", modifiedBytes, "removed_bytes", removedBytes);
  }
}
