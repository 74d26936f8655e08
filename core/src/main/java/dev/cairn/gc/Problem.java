package dev.cairn.gc;

import java.util.Locale;

/**
 * Something {@link Fsck} found.
 *
 * @param what the object id, version id or path concerned
 * @param where the file holding it
 */
public record Problem(Severity severity, String what, String where, String message) {
  /** How bad it is. */
  public enum Severity {
    /** Data is damaged or missing, or a reference names what is not there. */
    ERROR,
    /** Nothing is lost: leftovers of interrupted commands, derived data to rebuild. */
    WARNING
  }

  static Problem error(String what, String where, String message) {
    return new Problem(Severity.ERROR, what, where, message);
  }

  static Problem warning(String what, String where, String message) {
    return new Problem(Severity.WARNING, what, where, message);
  }

  @Override
  public String toString() {
    return severity.name().toLowerCase(Locale.ROOT) + ": " + message + (what == null ? "" : " (" + what + ")")
        + (where == null ? "" : " in " + where);
  }
}
