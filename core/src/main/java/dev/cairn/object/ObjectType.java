package dev.cairn.object;

/** The kinds of stored objects, with the one-byte code packs record for each. */
public enum ObjectType {
  /** Raw bytes of a piece of a file. Its id is the hash of those bytes. */
  CHUNK(1),
  /** The ordered chunks of a file of more than one chunk, with its size and whole-file digest. */
  FILE(2),
  /** A node of a manifest tree: sorted paths to file entries, or to child nodes. */
  TREE(3),
  /** A version: a manifest root, parent versions and properties. */
  VERSION(4);

  private final int code;

  ObjectType(int code) {
    this.code = code;
  }

  /** The code written in pack indexes. */
  public int code() {
    return code;
  }

  /** The type for a pack code, or null if unknown. */
  public static ObjectType fromCode(int code) {
    for (ObjectType t : values()) {
      if (t.code == code) {
        return t;
      }
    }
    return null;
  }
}
