package dev.cairn.errors;

/** A file was written in a format version this build does not read. Upgrade Cairn. */
public class UnsupportedFormatVersionException extends CairnException {
  private static final String NOT_SUPPORTED = " is not supported by this Cairn";

  public UnsupportedFormatVersionException(String what, int version, String where) {
    super("Cannot read " + what + ": format version " + version + NOT_SUPPORTED + " (" + where + ")");
  }

  /** Whether {@code message}, kept where only an error's text is (a pack's, say), is this error's. */
  public static boolean isMessageOf(String message) {
    return message != null && message.contains(NOT_SUPPORTED);
  }
}
