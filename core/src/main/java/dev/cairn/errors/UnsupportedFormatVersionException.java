package dev.cairn.errors;

/** A file was written in a format version this build does not read. Upgrade Cairn. */
public class UnsupportedFormatVersionException extends CairnException {
  public UnsupportedFormatVersionException(String what, int version, String where) {
    super("Cannot read " + what + ": format version " + version + " is not supported by this Cairn (" + where + ")");
  }
}
