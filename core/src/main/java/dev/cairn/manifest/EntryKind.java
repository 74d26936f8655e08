package dev.cairn.manifest;

/** What a manifest entry points at. */
public enum EntryKind {
  /** A file whose bytes are stored in the repository. */
  FILE(1),
  /** An external file that stays where it is (a URI), recorded with its size and digest. */
  LINK(2);

  private final int code;

  EntryKind(int code) {
    this.code = code;
  }

  public int code() {
    return code;
  }

  /** The kind for a code, or null. */
  public static EntryKind fromCode(int code) {
    for (EntryKind k : values()) {
      if (k.code == code) {
        return k;
      }
    }
    return null;
  }
}
