package dev.cairn.object;

import dev.cairn.id.ObjectId;
import java.util.Objects;

/** One chunk of a file: its id and its length in bytes. */
public record ChunkRef(ObjectId id, int size) {
  public ChunkRef {
    Objects.requireNonNull(id, "id");
    if (size <= 0) {
      throw new IllegalArgumentException("a chunk holds at least one byte: " + size);
    }
  }
}
