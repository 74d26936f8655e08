package dev.cairn.dataset;

import dev.cairn.internal.json.Json;
import dev.cairn.manifest.DiffEntry;
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
