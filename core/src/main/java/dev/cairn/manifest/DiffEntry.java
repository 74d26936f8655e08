package dev.cairn.manifest;

/**
 * One difference between two manifests.
 *
 * @param oldEntry the entry before (null when added)
 * @param newEntry the entry after (null when removed)
 */
public record DiffEntry(ChangeType type, String path, FileEntry oldEntry, FileEntry newEntry) {
  /** Kinds of change. */
  public enum ChangeType {
    ADDED,
    MODIFIED,
    REMOVED
  }

  public static DiffEntry added(FileEntry e) {
    return new DiffEntry(ChangeType.ADDED, e.path(), null, e);
  }

  public static DiffEntry removed(FileEntry e) {
    return new DiffEntry(ChangeType.REMOVED, e.path(), e, null);
  }

  public static DiffEntry modified(FileEntry before, FileEntry after) {
    return new DiffEntry(ChangeType.MODIFIED, after.path(), before, after);
  }

  /** The entry as it is after the change, or before it for a removal. */
  public FileEntry entry() {
    return newEntry != null ? newEntry : oldEntry;
  }
}
