package dev.cairn.errors;

import dev.cairn.id.ObjectId;
import java.util.Locale;

/**
 * Stored bytes are damaged: a checksum or hash does not match, or an encoding does not parse.
 * Names the object (when known) and the file that holds it. Retrying does not help; the object
 * must be restored from another copy.
 */
public class CorruptObjectException extends CairnException {
  /** What is wrong. */
  public enum Reason {
    /** The object's bytes do not hash to its id. */
    HASH_MISMATCH,
    /** A block's checksum does not match its bytes. */
    CHECKSUM_MISMATCH,
    /** An encoding does not follow its format. */
    MALFORMED,
    /** Compressed bytes do not decompress. */
    BAD_COMPRESSION,
    /** A file ends before its format says it should. */
    TRUNCATED,
    /** The object has another type than the caller expected. */
    WRONG_TYPE
  }

  private final ObjectId id;
  private final Reason reason;
  private final String where;

  public CorruptObjectException(ObjectId id, Reason reason, String where, String detail) {
    super(message(id, reason, where, detail));
    this.id = id;
    this.reason = reason;
    this.where = where;
  }

  public CorruptObjectException(ObjectId id, Reason reason, String where, String detail, Throwable cause) {
    this(id, reason, where, detail);
    initCause(cause);
  }

  private static String message(ObjectId id, Reason reason, String where, String detail) {
    StringBuilder sb = new StringBuilder("Cannot read ");
    sb.append(id == null ? "data" : "object " + id.hex());
    String kind = reason.name().toLowerCase(Locale.ROOT).replace('_', ' ');
    if (detail == null || detail.isEmpty()) {
      sb.append(": ").append(kind);
    } else {
      sb.append(": ").append(detail.contains(kind) ? detail : kind + ", " + detail); // not "checksum mismatch, block checksum mismatch"
    }
    if (where != null) {
      sb.append(" (").append(where).append(')');
    }
    return sb.toString();
  }

  /** The damaged object, or null when the damage is not tied to one object. */
  public ObjectId objectId() {
    return id;
  }

  public Reason reason() {
    return reason;
  }

  /** The file (and offset) holding the damaged bytes. */
  public String where() {
    return where;
  }
}
