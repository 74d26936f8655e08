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
    DAMAGED
  }
}
