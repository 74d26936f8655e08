package dev.cairn.store;

import dev.cairn.id.ObjectId;
import dev.cairn.object.ObjectType;

/**
 * An object read from the store, its hash already verified. Objects are at most one chunk or one
 * encoded manifest node in size, so they are held in memory whole.
 */
public record ObjectLoader(ObjectId id, ObjectType type, byte[] bytes) {
  /** Length of the object in bytes. */
  public int size() {
    return bytes.length;
  }
}
