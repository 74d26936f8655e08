package dev.cairn.internal.pack;

import dev.cairn.id.ObjectId;
import dev.cairn.object.ObjectType;

/**
 * Where one object lives inside a pack: the block holding it (offset and length of the whole block
 * including its header) and its place in the block's uncompressed bytes.
 */
public record PackEntry(ObjectId id, ObjectType type, long blockOffset, int blockLength, int offsetInBlock, int length) {
  /** The order the entries' objects are stored in: by block, then by place in the block. */
  public static final java.util.Comparator<PackEntry> STORED_ORDER =
      java.util.Comparator.comparingLong(PackEntry::blockOffset).thenComparingInt(PackEntry::offsetInBlock);
}
