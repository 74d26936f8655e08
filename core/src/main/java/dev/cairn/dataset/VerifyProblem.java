package dev.cairn.dataset;

/**
 * A path where stored data or a folder differs from a version.
 *
 * @param kind what differs
 * @param detail a human-readable explanation
 */
public record VerifyProblem(String path, Kind kind, String detail) {
  /** Kinds of difference. */
  public enum Kind {
    /** The version has the file; the folder does not. */
    MISSING,
    /** The folder has a file the version does not. */
    UNEXPECTED,
    /** Sizes differ. */
    SIZE,
    /** Same size, different bytes. */
    CONTENT,
    /** Same bytes; the executable bit differs (sync counts that as a change too). */
    MODE,
    /** Stored objects are missing or damaged. */
    DAMAGED,
    /**
     * A linked file could not be read (its server or store is down, refused access, or timed out):
     * whether it differs is not known. Counted as a difference, since the version cannot be
     * checked.
     */
    UNREACHABLE,
    /**
     * The file's data is not here because the version was fetched in part from its remote (a
     * filter, a part, or only its manifest): not damage, and not counted as a difference.
     */
    NOT_FETCHED;

    /** Whether this kind says the version and what was checked differ (all but {@link #NOT_FETCHED}). */
    public boolean isDifference() {
      return this != NOT_FETCHED;
    }
  }
}
