package dev.cairn.errors;

import dev.cairn.id.ObjectId;

/** A requested object is not in the repository. Retrying does not help; fetching it may. */
public class MissingObjectException extends CairnException {
  private final ObjectId id;

  public MissingObjectException(ObjectId id, String what) {
    super("Cannot read " + what + ": object is missing (" + id.hex() + ")");
    this.id = id;
  }

  public MissingObjectException(ObjectId id) {
    this(id, "object");
  }

  /** {@code missing}'s object, with what was tried to get it ("...; fetching it from X failed: ..."). */
  public MissingObjectException(MissingObjectException missing, String tried) {
    super(missing.getMessage() + "; " + tried, missing);
    this.id = missing.id;
  }

  /** For a subclass that says in its own words which object is missing and why (the first of several, say). */
  protected MissingObjectException(ObjectId id, String message, Throwable cause) {
    super(message, cause);
    this.id = id;
  }

  /** The id that was asked for. */
  public ObjectId objectId() {
    return id;
  }
}
